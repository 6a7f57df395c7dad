package dev.spillway.core.guard.abuse;

/**
 * What one request of a user weighs in its abuse score: nothing, or a finding's category, severity (0–7) and whether
 * it was blocked (counts in full) or only logged or masked (counts half).
 */
public record Harm(String category, int severity, boolean blocked) {
  public static final Harm NONE = new Harm("", -1, false);

  public boolean flagged() {
    return severity >= 0;
  }

  /** {@code (severity + 1) / 8}, halved when not blocked. */
  double weight() {
    double w = (severity + 1) / 8.0;
    return blocked ? w : w / 2;
  }
}
