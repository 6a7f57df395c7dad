package dev.spillway.gateway.cache;

import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.cache.semantic.Embedder;
import dev.spillway.core.cache.semantic.InMemorySemanticIndex;
import dev.spillway.core.cache.semantic.LexicalGuards;
import dev.spillway.core.cache.semantic.LocalMiniLmEmbedder;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.SpillwayConfig;
import java.util.Optional;

/**
 * The semantic layer a config asks for: the in-process embedder (its model loaded on the first lookup, off the event
 * loop) or, with {@code embeddingsModel}, one that calls that model through the gateway ({@link RoutedEmbedder}), an index bounded by the gateway's {@code maxEntries} and {@code maxBytes}, and the standard lexical guards.
 * Built only when the gateway's section or some consumer's turns the layer on, so a gateway without it never loads
 * the model.
 */
final class SemanticLayers {
  private SemanticLayers() {}

  /** The semantic layer, when the gateway's or some consumer's settings turn it on. */
  static Optional<ResponseCache.SemanticLayer> forConfig(
      SpillwayConfig config, CacheSettings gateway, Optional<SelfCalls> self) {
    if (!wanted(config, gateway)) {
      return Optional.empty();
    }
    CacheSettings.Resolved r = gateway.resolved();
    Embedder embedder = gateway.embedding().isPresent() && self.isPresent()
        ? self.get().embedder()
        : new LocalMiniLmEmbedder();
    return Optional.of(new ResponseCache.SemanticLayer(embedder, InMemorySemanticIndex.of(r), LexicalGuards.standard()));
  }

  private static boolean wanted(SpillwayConfig config, CacheSettings gateway) {
    if (on(gateway.resolved())) {
      return true;
    }
    for (ConsumerConfig c : config.consumers()) {
      Optional<CacheSettings> own = c.policySettings().get(CacheSettings.class);
      if (own.isPresent() && on(own.get().orElse(gateway).resolved())) {
        return true;
      }
    }
    return false;
  }

  private static boolean on(CacheSettings.Resolved r) {
    return r.enabled() && r.semantic();
  }
}
