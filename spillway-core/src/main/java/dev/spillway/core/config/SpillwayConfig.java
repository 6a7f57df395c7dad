package dev.spillway.core.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole gateway configuration: immutable, validated at load (see {@link ConfigLoader}).
 *
 * @param server the listener
 * @param routing gateway-wide routing settings
 * @param models logical model name to its pool, in file order
 */
public record SpillwayConfig(ServerConfig server, RoutingConfig routing, Map<String, ModelConfig> models) {
  public SpillwayConfig {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(routing, "routing");
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
  }

  public Optional<ModelConfig> model(String name) {
    return Optional.ofNullable(models.get(name));
  }
}
