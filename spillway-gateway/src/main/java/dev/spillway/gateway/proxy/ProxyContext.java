package dev.spillway.gateway.proxy;

import dev.spillway.core.routing.Router;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.events.GatewayListener;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * What every exchange shares: one per gateway server. Thread-safe.
 *
 * @param vertx for timers
 * @param client the upstream HTTP client (connection pools per backend host)
 * @param tlsClients backend id to its own client, for backends with a client certificate or extra trust
 * @param router routing decisions
 * @param ticker monotonic time
 * @param random weighted picks; a supplier so each event loop can use its own generator
 * @param listener traffic observer
 * @param credentials each backend's credential provider
 * @param estimator token counts for requests (and for streams that end without usage)
 * @param limits admission by the callers' token limits
 */
public record ProxyContext(
    Vertx vertx,
    HttpClient client,
    java.util.Map<String, HttpClient> tlsClients,
    Router router,
    Ticker ticker,
    Supplier<RandomGenerator> random,
    GatewayListener listener,
    java.util.function.Function<dev.spillway.core.config.BackendConfig, dev.spillway.gateway.credentials.BackendCredential> credentials,
    dev.spillway.core.tokens.TokenEstimator estimator,
    LimitAdmission limits) {

  /** The client that reaches {@code backend}: its own when it has special TLS, else the shared one. */
  public HttpClient clientFor(dev.spillway.core.config.BackendConfig backend) {
    HttpClient own = tlsClients.get(backend.id());
    return own != null ? own : client;
  }
}
