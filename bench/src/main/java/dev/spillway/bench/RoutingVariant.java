package dev.spillway.bench;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PredictiveSpill;
import dev.spillway.core.config.RoutingStrategy;
import java.time.Duration;
import java.util.List;

/** The gateway configurations the spillover benchmark compares, in the order they run. */
public enum RoutingVariant {
  /** PTU first, and wait up to 1500 ms for a throttled PTU before spilling (the recommended setup). */
  PRIORITY_WAIT("priority-wait", "priority + maxWaitForPtu 1500ms"),
  /** PTU first, spill to PAYG at once on a PTU 429. */
  PRIORITY("priority", "priority, no wait"),
  /** PTU first, but pass over a PTU that last reported 95 % utilization or more (predictive spill). */
  PRIORITY_PREDICTIVE("priority-predictive", "priority + predictive spill 95%"),
  /** Both: the wait budget and predictive spill. */
  PRIORITY_WAIT_PREDICTIVE("priority-wait-predictive", "priority + maxWaitForPtu 1500ms + predictive spill 95%"),
  /** The baseline: PTU and PAYG in turn, no preference. */
  ROUND_ROBIN("round-robin", "round-robin");

  public static final Duration MAX_WAIT_FOR_PTU = Duration.ofMillis(1500);
  public static final PredictiveSpill PREDICTIVE = new PredictiveSpill(true, 95, true);

  private final String id;
  private final String label;

  RoutingVariant(String id, String label) {
    this.id = id;
    this.label = label;
  }

  /** The flag and JSON spelling: {@code priority-wait}, {@code priority}, {@code round-robin}. */
  public String id() {
    return id;
  }

  /** How the report names it. */
  public String label() {
    return label;
  }

  /** The logical model {@code name} over {@code backends} (PTU at priority 1, PAYG at 2) for this variant. */
  ModelConfig model(String name, List<BackendConfig> backends) {
    return switch (this) {
      case PRIORITY_WAIT -> ModelConfig.builder()
          .name(name)
          .strategy(RoutingStrategy.PRIORITY)
          .backends(backends)
          .maxWaitForPtu(MAX_WAIT_FOR_PTU)
          .build();
      case PRIORITY -> ModelConfig.builder().name(name).strategy(RoutingStrategy.PRIORITY).backends(backends).build();
      case PRIORITY_PREDICTIVE -> predictive(name, backends, Duration.ZERO);
      case PRIORITY_WAIT_PREDICTIVE -> predictive(name, backends, MAX_WAIT_FOR_PTU);
      case ROUND_ROBIN -> ModelConfig.builder()
          .name(name)
          .strategy(RoutingStrategy.ROUND_ROBIN)
          .backends(backends)
          .build();
    };
  }

  private static ModelConfig predictive(String name, List<BackendConfig> backends, Duration wait) {
    return ModelConfig.builder()
        .name(name)
        .strategy(RoutingStrategy.PRIORITY)
        .groupStrategy(RoutingStrategy.WEIGHTED)
        .backends(backends)
        .maxWaitForPtu(wait)
        .maxPtuWaiters(ModelConfig.DEFAULT_MAX_PTU_WAITERS)
        .predictiveSpill(PREDICTIVE)
        .build();
  }

  static RoutingVariant fromId(String id) {
    for (RoutingVariant v : values()) {
      if (v.id.equals(id)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown configuration '" + id + "'; expected one of priority-wait, priority, priority-predictive,"
            + " priority-wait-predictive, round-robin");
  }
}
