package dev.spillway.core.config;

import java.util.List;

/**
 * A configuration could not be loaded. Carries every problem found, not just the first, so one
 * edit-and-retry round fixes them all. The message lists them one per line; it never contains a
 * secret.
 */
public final class ConfigException extends RuntimeException {
  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(describe(problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in file order. Never empty. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String describe(List<ConfigProblem> problems) {
    if (problems.size() == 1) {
      return "invalid configuration: " + problems.getFirst();
    }
    StringBuilder text =
        new StringBuilder("invalid configuration (").append(problems.size()).append(" problems):");
    for (ConfigProblem problem : problems) {
      text.append("\n  ").append(problem);
    }
    return text.toString();
  }
}
