package dev.spillway.gateway.reload;

import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.routing.Pool;
import dev.spillway.gateway.pipeline.Pipeline;
import java.util.Map;
import java.util.Objects;

/**
 * One loaded configuration and everything a request needs that was built from it: the pools, the backends' clients and
 * credentials, and the request pipeline with its stages. Immutable; a request reads the current generation once, when it
 * arrives ({@link LiveConfig#pipeline()}), and finishes on it however long it runs, so a reload never changes the rules
 * under a request in flight.
 *
 * @param number 1 for the config the gateway started with, one more for each reload that changed something
 * @param config the config the generation was built from (restart-only sections as they run, see {@link ConfigDiff})
 * @param pools logical model name to its pool, in config order
 * @param clients each backend's credential and own TLS client
 * @param pipeline the request pipeline over {@code pools}
 */
public record ConfigGeneration(
    long number, SpillwayConfig config, Map<String, Pool> pools, BackendClients clients, Pipeline pipeline) {
  public ConfigGeneration {
    Objects.requireNonNull(config, "config");
    pools = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pools));
    Objects.requireNonNull(clients, "clients");
    Objects.requireNonNull(pipeline, "pipeline");
  }
}
