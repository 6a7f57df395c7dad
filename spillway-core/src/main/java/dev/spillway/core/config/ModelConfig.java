package dev.spillway.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A logical model: the name clients send (as body {@code model} or as the Azure deployment in the
 * URL) and the pool of backends that serve it.
 *
 * @param name the logical model name
 * @param strategy how the pool picks a backend
 * @param groupStrategy for {@link RoutingStrategy#PRIORITY}: how to pick inside a priority group
 *     (never PRIORITY itself)
 * @param backends at least one; order is the order of the config file
 * @param maxWaitForPtu when every PTU backend is throttled but one frees within this time, wait
 *     for it instead of spilling to PAYG; zero disables waiting
 * @param maxPtuWaiters how many requests of this model may wait for PTU at once; more spill
 * @param predictiveSpill skip backends about to throttle
 * @param affinity optional session stickiness
 */
public record ModelConfig(
    String name,
    RoutingStrategy strategy,
    RoutingStrategy groupStrategy,
    List<BackendConfig> backends,
    Duration maxWaitForPtu,
    int maxPtuWaiters,
    PredictiveSpill predictiveSpill,
    Optional<SessionAffinity> affinity) {

  public static final int DEFAULT_MAX_PTU_WAITERS = 1000;

  public ModelConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(groupStrategy, "groupStrategy");
    Objects.requireNonNull(maxWaitForPtu, "maxWaitForPtu");
    Objects.requireNonNull(predictiveSpill, "predictiveSpill");
    affinity = affinity == null ? Optional.empty() : affinity;
    backends = List.copyOf(backends);
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("model " + name + " needs at least one backend");
    }
    if (groupStrategy == RoutingStrategy.PRIORITY) {
      throw new IllegalArgumentException("groupStrategy cannot be priority");
    }
    if (maxWaitForPtu.isNegative()) {
      throw new IllegalArgumentException("maxWaitForPtu cannot be negative");
    }
    if (maxPtuWaiters < 0) {
      throw new IllegalArgumentException("maxPtuWaiters cannot be negative");
    }
  }

  /** Priority (or another strategy) with weighted groups, no PTU wait, no predictive spill, no affinity. */
  public ModelConfig(String name, RoutingStrategy strategy, List<BackendConfig> backends) {
    this(
        name,
        strategy,
        RoutingStrategy.WEIGHTED,
        backends,
        Duration.ZERO,
        DEFAULT_MAX_PTU_WAITERS,
        PredictiveSpill.OFF,
        Optional.empty());
  }

  public ModelConfig withMaxWaitForPtu(Duration wait) {
    return new ModelConfig(name, strategy, groupStrategy, backends, wait, maxPtuWaiters, predictiveSpill, affinity);
  }

  public ModelConfig withGroupStrategy(RoutingStrategy group) {
    return new ModelConfig(name, strategy, group, backends, maxWaitForPtu, maxPtuWaiters, predictiveSpill, affinity);
  }
}
