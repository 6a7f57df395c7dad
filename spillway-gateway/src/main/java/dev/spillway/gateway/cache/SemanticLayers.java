package dev.spillway.gateway.cache;

import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.config.SpillwayConfig;
import java.util.Optional;

/** The semantic layer a config asks for. */
final class SemanticLayers {
  private SemanticLayers() {}

  /** The semantic layer, when the gateway's or some consumer's settings turn it on. */
  static Optional<ResponseCache.SemanticLayer> forConfig(SpillwayConfig config, CacheSettings gateway) {
    return Optional.empty(); // WIP: the embedder and index land next
  }
}
