package dev.spillway.core.config;

import java.time.Duration;
import java.util.ArrayList;
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
 * @param ptuStation how requests wait for PTU when it is full: the wait budget of each priority class
 *     ({@code maxWaitForPtu}), station or fixed waiting, the share reserved for critical requests
 * @param maxPtuWaiters how many requests of this model may wait for PTU at once; more spill
 * @param predictiveSpill skip backends about to throttle
 * @param affinity optional session stickiness
 */
public record ModelConfig(
    String name,
    RoutingStrategy strategy,
    RoutingStrategy groupStrategy,
    List<BackendConfig> backends,
    PtuStation ptuStation,
    int maxPtuWaiters,
    PredictiveSpill predictiveSpill,
    Optional<SessionAffinity> affinity) {

  public static final int DEFAULT_MAX_PTU_WAITERS = 1000;

  public ModelConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(groupStrategy, "groupStrategy");
    Objects.requireNonNull(ptuStation, "ptuStation");
    Objects.requireNonNull(predictiveSpill, "predictiveSpill");
    Objects.requireNonNull(affinity, "affinity");
    backends = List.copyOf(backends);
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("model " + name + " needs at least one backend");
    }
    if (groupStrategy == RoutingStrategy.PRIORITY) {
      throw new IllegalArgumentException("groupStrategy cannot be priority");
    }
    if (maxPtuWaiters < 0) {
      throw new IllegalArgumentException("maxPtuWaiters cannot be negative");
    }
  }

  /** The wait budget of standard requests (the scalar {@code maxWaitForPtu}); zero = no wait. */
  public Duration maxWaitForPtu() {
    return ptuStation.budget(PriorityClass.STANDARD);
  }

  /**
   * A builder for models made in code. {@code name} and {@code backends} must be set; the rest start where a config
   * file leaves them: strategy priority, weighted groups, no PTU wait, {@link #DEFAULT_MAX_PTU_WAITERS}, {@link
   * PredictiveSpill#OFF} and no session affinity.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every part of this model, for a copy that differs in a few of them. */
  public Builder toBuilder() {
    Builder builder = new Builder()
        .name(name)
        .strategy(strategy)
        .groupStrategy(groupStrategy)
        .backends(backends)
        .ptuStation(ptuStation)
        .maxPtuWaiters(maxPtuWaiters)
        .predictiveSpill(predictiveSpill);
    affinity.ifPresent(builder::affinity);
    return builder;
  }

  /**
   * Collects the parts of a {@link ModelConfig}; {@link #build()} checks that the required ones are set and the record
   * checks the rest (at least one backend, a group strategy other than priority, no negative wait). Each setter rejects
   * null. Not thread-safe; use it once.
   */
  public static final class Builder {
    private String name;
    private RoutingStrategy strategy = RoutingStrategy.PRIORITY;
    private RoutingStrategy groupStrategy = RoutingStrategy.WEIGHTED;
    private List<BackendConfig> backends;
    private PtuStation ptuStation = PtuStation.NO_WAIT;
    private int maxPtuWaiters = DEFAULT_MAX_PTU_WAITERS;
    private PredictiveSpill predictiveSpill = PredictiveSpill.OFF;
    private Optional<SessionAffinity> affinity = Optional.empty();

    private Builder() {}

    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    public Builder strategy(RoutingStrategy strategy) {
      this.strategy = Objects.requireNonNull(strategy, "strategy");
      return this;
    }

    /** How to pick inside a priority group; never {@link RoutingStrategy#PRIORITY}. */
    public Builder groupStrategy(RoutingStrategy groupStrategy) {
      this.groupStrategy = Objects.requireNonNull(groupStrategy, "groupStrategy");
      return this;
    }

    /** At least one, in the order they are tried within a group. */
    public Builder backends(List<BackendConfig> backends) {
      this.backends = Objects.requireNonNull(backends, "backends");
      return this;
    }

    /**
     * The wait budget as one duration (standard requests; critical twice that, batch none: {@link
     * PtuStation#ofBudget}), keeping the mode set so far. Zero (the default) spills at once.
     */
    public Builder maxWaitForPtu(Duration maxWaitForPtu) {
      Objects.requireNonNull(maxWaitForPtu, "maxWaitForPtu");
      PtuStation byBudget = PtuStation.ofBudget(ptuStation.mode(), maxWaitForPtu);
      this.ptuStation =
          byBudget.withReserveForCritical(ptuStation.reserveForCriticalPercent()).withDemandWindow(ptuStation.demandWindow());
      return this;
    }

    /** Every part of how requests wait for PTU at once. */
    public Builder ptuStation(PtuStation ptuStation) {
      this.ptuStation = Objects.requireNonNull(ptuStation, "ptuStation");
      return this;
    }

    /** Station (the default) or the fixed wait, keeping the budgets set so far. */
    public Builder ptuWait(PtuStation.Mode mode) {
      this.ptuStation =
          new PtuStation(mode, ptuStation.budgets(), ptuStation.reserveForCriticalPercent(), ptuStation.demandWindow());
      return this;
    }

    public Builder maxPtuWaiters(int maxPtuWaiters) {
      this.maxPtuWaiters = maxPtuWaiters;
      return this;
    }

    public Builder predictiveSpill(PredictiveSpill predictiveSpill) {
      this.predictiveSpill = Objects.requireNonNull(predictiveSpill, "predictiveSpill");
      return this;
    }

    /** Session stickiness; unset means none. */
    public Builder affinity(SessionAffinity affinity) {
      this.affinity = Optional.of(Objects.requireNonNull(affinity, "affinity"));
      return this;
    }

    /**
     * @throws IllegalStateException when name or backends was not set (the message names each missing one)
     * @throws IllegalArgumentException when the record rejects a value (no backends, a negative wait, ...)
     */
    public ModelConfig build() {
      List<String> missing = new ArrayList<>();
      if (name == null) {
        missing.add("name");
      }
      if (backends == null) {
        missing.add("backends");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException("ModelConfig.builder() needs " + String.join(", ", missing) + " set");
      }
      return new ModelConfig(
          name, strategy, groupStrategy, backends, ptuStation, maxPtuWaiters, predictiveSpill, affinity);
    }
  }
}
