package dev.spillway.core.config;

import java.util.List;
import java.util.Objects;

/**
 * A logical model: the name clients send (as body {@code model} or as the Azure deployment in the
 * URL) and the pool of backends that serve it.
 *
 * @param name the logical model name
 * @param strategy how the pool picks a backend
 * @param backends at least one; order is the order of the config file
 */
public record ModelConfig(String name, RoutingStrategy strategy, List<BackendConfig> backends) {
  public ModelConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(strategy, "strategy");
    backends = List.copyOf(backends);
    if (backends.isEmpty()) {
      throw new IllegalArgumentException("model " + name + " needs at least one backend");
    }
  }
}
