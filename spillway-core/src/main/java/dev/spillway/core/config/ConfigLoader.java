package dev.spillway.core.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Loads {@code spillway.yaml} into an immutable, validated {@link SpillwayConfig}.
 *
 * <p>Why not plain Jackson binding: its {@code JsonNode}s carry no line numbers and it stops at the
 * first error. This loader reads the YAML token stream into a tree that remembers lines, expands
 * {@code ${VAR}} / {@code ${VAR:-default}} inside scalars, then binds and validates everything,
 * throwing one {@link ConfigException} that lists every problem as {@code file:line: key.path:
 * message}. Unknown keys are errors (with a "did you mean" when close): a typo must not silently
 * become a default. Secrets (backend API keys and client secrets, {@code auth.keyPepper}, {@code
 * admin.apiKey}, anything from the environment) never appear in messages.
 *
 * <p>Relative file paths in the config ({@code auth.keyStore}, {@code server.tls}, {@code
 * apiKeyFile}, {@code jwksFile}) resolve against the directory of the config file given to {@link
 * #load}; text given to {@link #parse(String, String, Function)} has no file, so its relative paths
 * stay relative to the working directory.
 *
 * <p>A config file without a {@code ledger:} section records usage to the embedded SQLite ledger next to it ({@link
 * LedgerConfig#embedded}; {@code ledger: off} turns it off); text given to {@code parse} has no such default.
 *
 * <p>Stateless and thread-safe. An invalid reload should keep the previous config: callers catch
 * {@link ConfigException} and carry on with what they had.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Reads and validates a config file, expanding {@code ${VAR}} from the process environment.
   *
   * @throws ConfigException listing every problem, including an unreadable file
   */
  public static SpillwayConfig load(Path file) {
    String source = file.toString();
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(List.of(new ConfigProblem(source, 0, "", "file not found")));
    } catch (CharacterCodingException e) {
      throw new ConfigException(List.of(new ConfigProblem(source, 0, "", "file is not valid UTF-8")));
    } catch (IOException e) {
      throw new ConfigException(
          List.of(new ConfigProblem(source, 0, "", "cannot read file (" + e.getClass().getSimpleName() + ")")));
    }
    return parse(yaml, source, System::getenv, Optional.of(file.toAbsolutePath().getParent()), true);
  }

  /**
   * Parses and validates config text.
   *
   * @param yaml the YAML document
   * @param sourceName how messages name the file, for example {@code spillway.yaml}
   * @param env environment lookup for {@code ${VAR}}; returns null when a variable is unset
   * @throws ConfigException listing every problem found, in line order
   */
  public static SpillwayConfig parse(String yaml, String sourceName, Function<String, String> env) {
    return parse(yaml, sourceName, env, Optional.empty(), false);
  }

  /**
   * Like {@link #parse(String, String, Function)}, with relative paths resolved against {@code
   * baseDirectory} (usually the directory the text was read from).
   */
  public static SpillwayConfig parse(
      String yaml, String sourceName, Function<String, String> env, Path baseDirectory) {
    return parse(yaml, sourceName, env, Optional.of(Objects.requireNonNull(baseDirectory, "baseDirectory")), false);
  }

  private static SpillwayConfig parse(String yaml, String sourceName, Function<String, String> env,
      Optional<Path> baseDirectory, boolean embeddedLedger) {
    Objects.requireNonNull(yaml, "yaml");
    Objects.requireNonNull(sourceName, "sourceName");
    Objects.requireNonNull(env, "env");
    List<ConfigProblem> problems = new ArrayList<>();
    SpillwayConfig config =
        new ConfigBinder(sourceName, env, problems, baseDirectory, embeddedLedger)
            .bind(YamlReader.read(yaml, sourceName, problems));
    if (!problems.isEmpty() || config == null) {
      if (problems.isEmpty()) {
        problems.add(new ConfigProblem(sourceName, 0, "", "invalid configuration"));
      }
      problems.sort(Comparator.comparingInt(ConfigProblem::line));
      throw new ConfigException(problems);
    }
    return config;
  }

  /** Same as {@link Durations#parse}: {@code 250ms}, {@code 10s}, {@code 1m30s}; a bare number is an error. */
  public static Duration parseDuration(String text) {
    return Durations.parse(text);
  }

  /** Same as {@link Sizes#parse}: {@code 1048576}, {@code 512KiB}, {@code 16MiB}, {@code 1GB}. */
  public static long parseSize(String text) {
    return Sizes.parse(text);
  }
}
