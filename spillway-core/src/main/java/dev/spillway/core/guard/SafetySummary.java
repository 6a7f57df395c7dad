package dev.spillway.core.guard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the guards found in one request, gathered as it goes (the input guard, the backend's filter results, the
 * output guard) and summed up at its end as its strongest finding: the one with the strongest action, then the
 * highest severity, the first of equals. One request is one safety event, whatever it held. Not thread-safe: one per
 * request, on its event loop.
 */
public final class SafetySummary {
  /** Who found it. */
  public enum Source {
    GATEWAY,
    BACKEND;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Which way the text was going. */
  public enum Direction {
    INPUT,
    OUTPUT;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** One finding with where it came from. */
  public record Sourced(GuardFinding finding, Source source, Direction direction) {}

  private final List<Sourced> findings = new ArrayList<>();

  /** Adds {@code found}, all from {@code source} on the way {@code direction}. */
  public void add(List<GuardFinding> found, Source source, Direction direction) {
    for (GuardFinding f : found) {
      if (f.action() != GuardAction.ALLOW) {
        findings.add(new Sourced(f, source, direction));
      }
    }
  }

  public List<Sourced> findings() {
    return Collections.unmodifiableList(findings);
  }

  public boolean isEmpty() {
    return findings.isEmpty();
  }

  /** The strongest finding, when there is one. */
  public java.util.Optional<Sourced> strongest() {
    Sourced best = null;
    for (Sourced s : findings) {
      if (best == null || stronger(s.finding(), best.finding())) {
        best = s;
      }
    }
    return java.util.Optional.ofNullable(best);
  }

  private static boolean stronger(GuardFinding a, GuardFinding b) {
    int byAction = a.action().compareTo(b.action());
    return byAction > 0 || byAction == 0 && a.severity() > b.severity();
  }
}
