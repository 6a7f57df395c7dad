package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.cache.CacheKeys;
import dev.spillway.core.cache.CachedAnswer;
import dev.spillway.core.cache.semantic.SemanticEntry;
import dev.spillway.core.cache.semantic.SemanticMatch;
import dev.spillway.gateway.cache.ResponseCache;
import dev.spillway.gateway.cache.RoutedEmbedder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * The cache stage's semantic half: whether the semantic layer applies to a request (its {@link CacheKeys#semantic
 * key}), the lookup of its last question (embedded — in the process on a worker thread, or by a routed embeddings model
 * over HTTP without blocking a thread — and searched off the event loop), and the store of its answer with the vector
 * the lookup made. A failing embedder or index costs the cache, never the request.
 */
final class SemanticCacheSteps {
  private static final System.Logger LOG = System.getLogger("spillway.cache");

  private final ResponseCache cache;
  private final Vertx vertx;

  SemanticCacheSteps(ResponseCache cache, Vertx vertx) {
    this.cache = cache;
    this.vertx = vertx;
  }

  /** Sets the request's semantic key when the semantic layer applies to it; returns whether it does. */
  boolean prepare(CachePending pending, JsonNode body) {
    if (!pending.settings.semantic() || cache.semantic().isEmpty()) {
      return false;
    }
    Optional<JsonNode> view = pending.shape.semanticView(body);
    if (view.isEmpty()) {
      return false;
    }
    CacheKeys.SemanticKey k = CacheKeys.semantic(pending.tenant, pending.model, pending.shape.api(), view.get(),
        pending.settings.ignoreSystemMessages(), pending.settings.maxMessageCount(),
        cache.semantic().get().embedder().id());
    pending.semantic = k.skipped() ? null : k;
    return pending.semantic != null;
  }

  /** The nearest similar question's match in the request's partition, when one passes the threshold and the guard. */
  Future<Optional<SemanticMatch>> lookup(CachePending pending, JsonNode body) {
    if (!prepare(pending, body)) {
      return Future.succeededFuture(Optional.empty());
    }
    ResponseCache.SemanticLayer layer = cache.semantic().orElseThrow();
    double threshold = pending.settings.thresholdFor(pending.model);
    long now = cache.nowMillis();
    Future<Optional<SemanticMatch>> match;
    if (layer.embedder() instanceof RoutedEmbedder routed) {
      // An embeddings model called through the gateway: an HTTP request, no thread blocked while it runs.
      match = routed.embedAsync(pending.semantic.question()).compose(vector -> {
        pending.vector = vector;
        return vertx.executeBlocking(() -> layer.index().nearest(pending.semantic.partition(),
            pending.semantic.question(), vector, threshold, layer.guard(), now), false);
      });
    } else {
      match = vertx.executeBlocking(() -> {
        pending.vector = layer.embedder().embed(pending.semantic.question());
        return layer.index().nearest(pending.semantic.partition(), pending.semantic.question(), pending.vector,
            threshold, layer.guard(), now);
      }, false);
    }
    return match.recover(failed -> {
      LOG.log(System.Logger.Level.WARNING, "semantic cache lookup failed: " + failed.getClass().getSimpleName());
      pending.semantic = null;
      return Future.succeededFuture(Optional.empty());
    });
  }

  /** Adds the answer to the semantic layer: with the vector the lookup made, or one made now, off the event loop. */
  void store(CachePending p, CachedAnswer entry) {
    if (p.semantic == null) {
      return;
    }
    ResponseCache.SemanticLayer layer = cache.semantic().orElseThrow();
    CacheKeys.SemanticKey k = p.semantic;
    Future<float[]> vector = p.vector != null
        ? Future.succeededFuture(p.vector)
        : layer.embedder() instanceof RoutedEmbedder routed
            ? routed.embedAsync(k.question())
            : vertx.executeBlocking(() -> layer.embedder().embed(k.question()), false);
    vector.compose(v -> vertx.executeBlocking(() -> {
      layer.index().put(new SemanticEntry(k.partition(), k.question(), v, entry), cache.nowMillis());
      return null;
    }, false)).onFailure(failed ->
        LOG.log(System.Logger.Level.WARNING, "semantic cache store failed: " + failed.getClass().getSimpleName()));
  }
}
