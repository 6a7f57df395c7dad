package dev.spillway.simulator;

import java.util.List;

/**
 * Faults a deployment injects on its own: each request, with {@code probability}, suffers one of
 * {@code kinds} chosen uniformly. Both draws come from the simulator's seeded random sequence for
 * that deployment, so a run with the same seed and the same request order fails the same way.
 *
 * @param probability chance in {@code [0, 1]} that a request is faulted
 * @param kinds the faults to choose from; must be non-empty when {@code probability > 0}
 */
public record FaultConfig(double probability, List<FaultKind> kinds) {

  /** No injected faults. */
  public static final FaultConfig NONE = new FaultConfig(0, List.of());

  public FaultConfig {
    if (!(probability >= 0 && probability <= 1)) {
      throw new IllegalArgumentException("faults.probability must be between 0 and 1, got " + probability);
    }
    kinds = List.copyOf(kinds);
    if (probability > 0 && kinds.isEmpty()) {
      throw new IllegalArgumentException("faults.kinds must name at least one fault when probability > 0");
    }
  }

  /** Faults with the given probability, chosen among {@code kinds}. */
  public static FaultConfig of(double probability, FaultKind... kinds) {
    return new FaultConfig(probability, List.of(kinds));
  }

  /** Whether this config can inject anything. */
  public boolean enabled() {
    return probability > 0;
  }
}
