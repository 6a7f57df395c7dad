package dev.spillway.gateway.pipeline;

import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.time.Scheduler;
import dev.spillway.gateway.events.GatewayListener;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the gateway hands each {@link PolicyFactory}: the config, the pools, time, the traffic listener, and the shared
 * components a stage may need by type (the authenticator, the token estimator, the limit admission, the upstream
 * clients, ...). Components are looked up by type so this package need not know every stage's collaborators.
 *
 * @param config the gateway's configuration
 * @param pools logical model name to its pool
 * @param vertx for work that must leave the event loop
 * @param scheduler every timer of the request path
 * @param clock wall-clock time (quota windows, retry dates)
 * @param listener observer of every attempt and finished request
 * @param components shared collaborators by type
 */
public record PipelineServices(
    SpillwayConfig config,
    Map<String, Pool> pools,
    Vertx vertx,
    Scheduler scheduler,
    Clock clock,
    GatewayListener listener,
    Map<Class<?>, Object> components) {

  public PipelineServices {
    components = Map.copyOf(components);
    pools = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pools));
  }

  /** The component of {@code type}; the gateway registers every one a built-in stage needs. */
  public <T> T component(Class<T> type) {
    Object c = components.get(type);
    return type.cast(Objects.requireNonNull(c, () -> "no component " + type.getSimpleName()));
  }
}
