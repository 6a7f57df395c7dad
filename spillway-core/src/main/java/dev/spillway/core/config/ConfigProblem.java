package dev.spillway.core.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration file, located by key path and line so a person can fix it
 * without guessing.
 *
 * <p>Messages never contain secret values (API keys), and never a value that came from an
 * environment variable.
 *
 * @param source the file name as the user gave it (for example {@code spillway.yaml})
 * @param line 1-based line in the file, or 0 when the problem has no line (an unreadable file)
 * @param path the key path, for example {@code models.gpt-4o.backends[1].url}; empty for problems
 *     about the whole file
 * @param message what is wrong and, where useful, what would be right
 */
public record ConfigProblem(String source, int line, String path, String message) {
  public ConfigProblem {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code source:line: path: message}, leaving out the parts that are not known. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(source);
    if (line > 0) {
      text.append(':').append(line);
    }
    text.append(": ");
    if (!path.isEmpty()) {
      text.append(path).append(": ");
    }
    return text.append(message).toString();
  }
}
