package dev.spillway.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.ApiRoute;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.routing.breaker.BreakerState;
import dev.spillway.core.routing.breaker.CircuitBreaker;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.http.Json;
import dev.spillway.gateway.http.ErrorResponder;
import dev.spillway.gateway.http.GatewayHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.Optional;

/**
 * The operator's view of the backends ({@code GET /admin/backends}) and actions on one backend
 * ({@code POST /admin/backends/{id}/force-open|disable|reset}), behind {@link AdminAccess}; consumers and keys
 * through {@link ConsumerAdmin}, the chargeback report ({@code GET /admin/usage}) through {@link UsageAdmin}.
 */
public final class AdminHandler implements dev.spillway.gateway.http.GatewayEndpoint {
  private final Map<String, Pool> pools;
  private final Ticker ticker;
  private final AdminAccess access;
  private final ConsumerAdmin consumers;
  private final UsageAdmin usage;
  private final io.vertx.core.Vertx vertx;
  private final CacheAdmin cache;
  private final SafetyAdmin safety;
  /** {@code POST /admin/reload}; set once by the gateway before it listens. */
  private volatile dev.spillway.gateway.http.GatewayEndpoint reload =
      (request, requestId, route) -> ErrorResponder.send(request.response(), GatewayError.reloadNotConfigured(), requestId);

  public AdminHandler(
      io.vertx.core.Vertx vertx,
      Map<String, Pool> pools,
      Ticker ticker,
      AdminAccess access,
      dev.spillway.gateway.auth.ConsumerDirectory directory,
      Optional<dev.spillway.core.auth.keys.KeyStore> keys,
      dev.spillway.core.config.LedgerConfig ledger,
      dev.spillway.core.config.CostsConfig costs,
      java.time.Clock clock,
      dev.spillway.gateway.cache.ResponseCache cache,
      dev.spillway.gateway.guard.SafetyMonitor safety) {
    this.vertx = vertx;
    this.cache = new CacheAdmin(cache);
    this.safety = new SafetyAdmin(safety);
    this.pools = pools;
    this.ticker = ticker;
    this.access = access;
    this.consumers =
        new ConsumerAdmin(directory, keys, java.util.Collections.unmodifiableSet(pools.keySet()), clock);
    this.usage = new UsageAdmin(vertx, ledger, costs, clock);
  }

  /** Answers {@code POST /admin/reload} with {@code endpoint}, behind the same access check as the rest. */
  public AdminHandler reloadWith(dev.spillway.gateway.http.GatewayEndpoint endpoint) {
    this.reload = java.util.Objects.requireNonNull(endpoint, "endpoint");
    return this;
  }

  @Override
  public void handle(HttpServerRequest request, String requestId, ApiRoute route) {
    request.pause();
    access
        .check(request)
        .onComplete(
            ar -> {
              request.resume();
              Optional<GatewayError> refusal = ar.succeeded() ? ar.result() : Optional.of(GatewayError.invalidCredentials());
              if (refusal.isPresent()) {
                ErrorResponder.send(request.response(), refusal.get(), requestId);
              } else {
                act(request, requestId, route);
              }
            });
  }

  private void act(HttpServerRequest request, String requestId, ApiRoute route) {
    long now = ticker.read();
    switch (route.operation()) {
      case ADMIN_BACKENDS -> respond(request, requestId, backends(now));
      case ADMIN_USAGE -> usage.handle(request, requestId);
      case ADMIN_CACHE_STATS -> respond(request, requestId, cache.stats());
      case ADMIN_CACHE_INVALIDATE ->
          cache.invalidate(request).onComplete(ar -> {
            if (ar.failed()) {
              ErrorResponder.send(request.response(), GatewayError.internal(), requestId);
            } else if (ar.result() instanceof GatewayError error) {
              ErrorResponder.send(request.response(), error, requestId);
            } else {
              respond(request, requestId, (ObjectNode) ar.result());
            }
          });
      case ADMIN_RELOAD -> reload.handle(request, requestId, route);
      case ADMIN_SAFETY -> respond(request, requestId, safety.report());
      case ADMIN_SAFETY_LIFT -> {
        Object lifted = safety.lift(request);
        if (lifted instanceof GatewayError error) {
          ErrorResponder.send(request.response(), error, requestId);
        } else {
          respond(request, requestId, (ObjectNode) lifted);
        }
      }
      case ADMIN_CONSUMERS -> answer(request, requestId, consumers::list);
      case ADMIN_CREATE_KEY -> answer(request, requestId, () -> consumers.createKey(route.pathParam().orElseThrow()));
      case ADMIN_REVOKE_KEY -> answer(request, requestId, () -> consumers.revokeKey(route.pathParam().orElseThrow()));
      case ADMIN_DELETE_CONSUMER -> answer(request, requestId, () -> consumers.deleteConsumer(route.pathParam().orElseThrow()));
      case ADMIN_PUT_CONSUMER ->
          request
              .body()
              .onSuccess(
                  body ->
                      answer(request, requestId, () -> consumers.putConsumer(route.pathParam().orElseThrow(), body.getBytes())))
              .onFailure(e -> ErrorResponder.send(request.response(), GatewayError.invalidJson("unreadable body"), requestId));
      case ADMIN_FORCE_OPEN, ADMIN_DISABLE, ADMIN_RESET -> {
        String id = route.pathParam().orElseThrow();
        Optional<BackendState> backend = find(id);
        if (backend.isEmpty()) {
          ErrorResponder.send(request.response(), GatewayError.unknownBackend(id), requestId);
          return;
        }
        BackendState b = backend.get();
        switch (route.operation()) {
          case ADMIN_FORCE_OPEN -> b.breaker().forceOpen(now);
          case ADMIN_DISABLE -> b.breaker().disable(now);
          default -> {
            b.breaker().reset(now);
            b.clearThrottle();
            b.clearAuthHold();
          }
        }
        respond(request, requestId, backend(findModel(b), b, now));
      }
      default -> throw new IllegalArgumentException("not an admin route: " + route);
    }
  }

  private ObjectNode backends(long now) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    ArrayNode list = root.putArray("backends");
    ObjectNode waiters = root.putObject("ptuWaiters");
    for (Pool pool : pools.values()) {
      for (BackendState b : pool.backends()) {
        list.add(backend(pool.name(), b, now));
      }
      waiters.put(pool.name(), pool.ptuWaiters());
    }
    return root;
  }

  /** One backend's state; times are milliseconds from now. */
  static ObjectNode backend(String model, BackendState b, long now) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", b.id());
    node.put("model", model);
    node.put("tier", b.config().tier().id());
    node.put("region", b.config().region());
    node.put("priority", b.config().priority());
    node.put("weight", b.config().weight());
    CircuitBreaker.Snapshot breaker = b.breaker().snapshot(now);
    node.put("state", summary(b, breaker.state(), now));
    node.put("throttledForMs", millis(b.nanosUntilAvailable(now)));
    node.put("authHeldForMs", millis(b.nanosUntilAuthReleased(now)));
    ObjectNode br = node.putObject("breaker");
    br.put("state", breaker.state().name());
    br.put("windowCalls", breaker.windowCalls());
    br.put("windowFailures", breaker.windowFailures());
    br.put("failureRatePercent", breaker.failureRatePercent());
    br.put("panic", breaker.halfOpenEarly()); // on trial early: the pool's breakers would hold out too many backends
    if (breaker.nanosUntilPermitted() == Long.MAX_VALUE) {
      br.putNull("openForMs");
    } else {
      br.put("openForMs", millis(breaker.nanosUntilPermitted()));
    }
    node.put("inFlight", b.inFlight());
    ObjectNode latency = node.putObject("latency");
    latency.put("samples", b.latency().samples());
    putMillis(latency, "ttftMs", b.latency().ttftNanos());
    putMillis(latency, "msPerOutputToken", b.latency().nanosPerOutputToken());
    if (b.lastUtilizationPercent().isPresent()) {
      node.put("utilizationPercent", b.lastUtilizationPercent().getAsDouble());
    } else {
      node.putNull("utilizationPercent");
    }
    if (b.lastRemainingTokens().isPresent()) {
      node.put("remainingTokens", b.lastRemainingTokens().getAsLong());
    } else {
      node.putNull("remainingTokens");
    }
    return node;
  }

  /** The one word an operator reads first. */
  private static String summary(BackendState b, BreakerState breaker, long now) {
    return switch (breaker) {
      case FORCED_OPEN -> "forced_open";
      case OPEN -> "open";
      case HALF_OPEN -> b.isThrottled(now) ? "throttled" : b.isAuthHeld(now) ? "auth_held" : "half_open";
      case CLOSED, DISABLED -> b.isThrottled(now) ? "throttled" : b.isAuthHeld(now) ? "auth_held" : "available";
    };
  }

  private static void putMillis(ObjectNode node, String field, java.util.OptionalDouble nanos) {
    if (nanos.isPresent()) {
      node.put(field, Math.round(nanos.getAsDouble() / 1_000.0) / 1_000.0);
    } else {
      node.putNull(field);
    }
  }

  private static long millis(long nanos) {
    return (nanos + 999_999) / 1_000_000;
  }

  private Optional<BackendState> find(String id) {
    for (Pool pool : pools.values()) {
      Optional<BackendState> b = pool.backend(id);
      if (b.isPresent()) {
        return b;
      }
    }
    return Optional.empty();
  }

  private String findModel(BackendState backend) {
    for (Pool pool : pools.values()) {
      if (pool.backends().contains(backend)) {
        return pool.name();
      }
    }
    return "";
  }

  /**
   * Runs a key-store action off the event loop (it writes a file or a database), then answers: {@code 503
   * store_unavailable} when the shared store cannot be reached.
   */
  private static final System.Logger STORE_LOG = System.getLogger("spillway.admin");

  private void answer(HttpServerRequest request, String requestId, java.util.concurrent.Callable<ConsumerAdmin.Answer> action) {
    vertx
        .executeBlocking(action, false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                // The shared store down is an outage the caller can wait out (nothing changed); anything else a bug.
                GatewayError error = dev.spillway.core.error.StoreUnavailableException.isCauseOf(ar.cause())
                    ? GatewayError.storeUnavailable() : GatewayError.internal();
                STORE_LOG.log(System.Logger.Level.WARNING, "admin write failed, answered " + error.status() + " "
                    + error.code() + ": " + ar.cause());
                ErrorResponder.send(request.response(), error, requestId);
                return;
              }
              ConsumerAdmin.Answer a = ar.result();
              if (a.error().isPresent()) {
                ErrorResponder.send(request.response(), a.error().get(), requestId);
              } else {
                request
                    .response()
                    .setStatusCode(a.status())
                    .putHeader("content-type", "application/json")
                    .putHeader("cache-control", "no-store")
                    .putHeader(GatewayHeaders.REQUEST_ID, requestId)
                    .end(a.body().orElseThrow().toString());
              }
            });
  }

  private static void respond(HttpServerRequest request, String requestId, ObjectNode body) {
    dev.spillway.gateway.http.Answer.json(200, body.toString()).send(request.response(), requestId);
  }

}
