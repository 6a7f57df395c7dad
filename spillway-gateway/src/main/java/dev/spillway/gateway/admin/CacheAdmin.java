package dev.spillway.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.cache.CacheUnavailableException;
import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.cache.ResponseCache;
import dev.spillway.gateway.http.Json;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.Set;

/**
 * The response cache's admin routes: {@code GET /admin/cache} (its size) and {@code DELETE /admin/cache} with any of
 * {@code consumer}, {@code team}, {@code model} and {@code key} (the {@code x-spillway-cache-key} a response named) to
 * remove the matching answers, every answer when none is given. A consumer's answers are those filed under it ({@code
 * varyBy: consumer}); a team's, those filed under the team. With the answers in Redis ({@code cache.store: redis})
 * an invalidation reaches every replica, and answers 503 {@code cache_unavailable} when Redis cannot be reached.
 */
final class CacheAdmin {
  private static final Set<String> PARAMS = Set.of("consumer", "team", "model", "key");

  private final ResponseCache cache;

  CacheAdmin(ResponseCache cache) {
    this.cache = cache;
  }

  ObjectNode stats() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("enabled", cache.enabledByDefault());
    root.put("store", cache.store().configName());
    ObjectNode exact = root.putObject("exact");
    exact.put("entries", cache.exactEntries());
    exact.put("bytes", cache.exactBytes());
    cache.semantic().ifPresent(layer -> {
      ObjectNode semantic = root.putObject("semantic");
      semantic.put("entries", cache.semanticEntries());
      semantic.put("bytes", cache.semanticBytes());
      semantic.put("embedder", layer.embedder().id());
    });
    return root;
  }

  /** The invalidation's answer ({@code {"removed": n}}), or the 400 for a query it does not understand. */
  Future<Object> invalidate(HttpServerRequest request) {
    for (String name : request.params().names()) {
      if (!PARAMS.contains(name)) {
        return Future.succeededFuture(GatewayError.invalidParameter(name,
            "unknown parameter '" + name + "'; DELETE /admin/cache takes consumer, team, model and key"));
      }
    }
    String consumer = request.getParam("consumer", "");
    String team = request.getParam("team", "");
    if (!consumer.isEmpty() && !team.isEmpty()) {
      return Future.succeededFuture(GatewayError.invalidParameter("team", "give consumer or team, not both"));
    }
    String tenant = !consumer.isEmpty()
        ? ResponseCache.tenant(CacheSettings.VaryBy.CONSUMER, consumer, "")
        : !team.isEmpty() ? ResponseCache.tenant(CacheSettings.VaryBy.TEAM, "", team) : "";
    CacheScope scope = new CacheScope(tenant, request.getParam("model", ""), request.getParam("key", ""));
    return Future.fromCompletionStage(cache.invalidate(scope)).<Object>map(removed -> {
      ObjectNode n = Json.MAPPER.createObjectNode();
      n.put("removed", removed);
      return n;
    }).recover(failed -> unavailable(failed)
        ? Future.<Object>succeededFuture(GatewayError.cacheUnavailable())
        : Future.<Object>failedFuture(failed));
  }

  /** True when a shared cache's store could not be reached (the answers are still there: 503, not 500). */
  private static boolean unavailable(Throwable failed) {
    for (Throwable t = failed; t != null; t = t.getCause()) {
      if (t instanceof CacheUnavailableException) {
        return true;
      }
    }
    return false;
  }
}
