package dev.spillway.core.routing;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ModelConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The backends serving one logical model, with their live state. Thread-safe. */
public final class Pool {
  private final ModelConfig model;
  private final List<BackendState> backends;

  public Pool(ModelConfig model) {
    this.model = model;
    List<BackendState> states = new ArrayList<>(model.backends().size());
    for (BackendConfig backend : model.backends()) {
      states.add(new BackendState(backend, states.size()));
    }
    this.backends = List.copyOf(states);
  }

  public ModelConfig model() {
    return model;
  }

  public String name() {
    return model.name();
  }

  /** In config order. */
  public List<BackendState> backends() {
    return backends;
  }

  public Optional<BackendState> backend(String id) {
    return backends.stream().filter(b -> b.id().equals(id)).findFirst();
  }

  /** A fresh attempt cycle for one client request. */
  public AttemptCycle newCycle() {
    return new AttemptCycle(backends.size());
  }

  /**
   * Nanos until the soonest throttled backend frees, or empty when none is throttled. This is what
   * a client is told to wait when every backend is exhausted.
   */
  public java.util.OptionalLong nanosUntilSoonestFree(long nowNanos) {
    long soonest = Long.MAX_VALUE;
    boolean anyThrottled = false;
    for (BackendState b : backends) {
      if (!b.isAvailable(nowNanos)) {
        anyThrottled = true;
        soonest = Math.min(soonest, b.nanosUntilAvailable(nowNanos));
      }
    }
    return anyThrottled ? java.util.OptionalLong.of(soonest) : java.util.OptionalLong.empty();
  }
}
