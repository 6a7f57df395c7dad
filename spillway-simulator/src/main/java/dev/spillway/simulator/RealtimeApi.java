package dev.spillway.simulator;

import dev.spillway.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenAI's Realtime API over WebSocket: checks an upgrade request as the HTTP routes check a request
 * (method, {@code api-version}, key, deployment, admission), answers what it refuses with a plain
 * HTTP status before any upgrade — so a gateway can route around a full deployment at connect time
 * — and runs a {@link RealtimeSession} on each socket it accepts.
 *
 * <p>Keys: the {@code api-key} header, {@code Authorization: Bearer}, the browser's subprotocol
 * {@code openai-insecure-api-key.<key>} (offered beside {@code realtime}, which the server then
 * selects), and on Azure's URLs the {@code api-key} query parameter. Admission books {@value
 * #CONNECT_COST_TOKENS} token (and, on PAYG, one request) on the deployment's limiter, so a full PTU
 * bucket or an exhausted quota answers {@code 429} with {@code retry-after-ms} and {@code
 * retry-after}; each response then books its own tokens when it starts.
 *
 * <p>Thread-safe: sessions run on their sockets' event loops; the registry of open sessions and the
 * counters are concurrent.
 */
final class RealtimeApi {
  /** The subprotocol a Realtime client offers and the server selects. */
  static final String SUBPROTOCOL = "realtime";
  /** The subprotocol prefix through which a browser passes its key. */
  static final String KEY_SUBPROTOCOL_PREFIX = "openai-insecure-api-key.";
  /** The largest client message: OpenAI takes up to 15 MiB of audio in one event, base64 and JSON add a third. */
  static final int MAX_MESSAGE_BYTES = 24 * 1024 * 1024;
  /** What an upgrade books on the deployment's limiter: a session costs little until it asks for a response. */
  static final long CONNECT_COST_TOKENS = 1;
  /** The close code and reason of sessions still open when the simulator stops. */
  static final short STOP_CODE = 1000;
  static final String STOP_REASON = "simulator stopping";

  private final Vertx vertx;
  private final SimulatorConfig config;
  private final Map<String, DeploymentRuntime> deployments;
  private final Map<String, RealtimeCounters> counters = new LinkedHashMap<>();
  private final Ticker ticker;
  private final Clock clock;
  private final RealtimeIds ids = new RealtimeIds();
  private final Set<RealtimeSession> open = ConcurrentHashMap.newKeySet();

  RealtimeApi(Vertx vertx, SimulatorConfig config, Map<String, DeploymentRuntime> deployments, Ticker ticker,
      Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.deployments = deployments;
    this.ticker = ticker;
    this.clock = clock;
    deployments.keySet().forEach(name -> counters.put(name, new RealtimeCounters()));
  }

  /** {@code options} set up for Realtime: the {@code realtime} subprotocol and messages up to {@value #MAX_MESSAGE_BYTES} bytes. */
  static HttpServerOptions serverOptions(HttpServerOptions options) {
    return options.addWebSocketSubProtocol(SUBPROTOCOL)
        .setMaxWebSocketFrameSize(MAX_MESSAGE_BYTES)
        .setMaxWebSocketMessageSize(MAX_MESSAGE_BYTES);
  }

  /**
   * Serves {@code req} if its path is a Realtime URL — answers it or upgrades it — and says so; false
   * leaves it to the HTTP routes.
   */
  boolean handle(HttpServerRequest req) {
    Optional<RealtimeRoute> route = RealtimeRoute.match(req.path());
    route.ifPresent(r -> upgrade(req, r));
    return route.isPresent();
  }

  private void upgrade(HttpServerRequest req, RealtimeRoute route) {
    HttpServerResponse res = req.response();
    if (req.method() != HttpMethod.GET) {
      res.putHeader("allow", "GET");
      Replies.error(res, 405, "405", "The " + req.method().name() + " method is not allowed on " + req.path() + ".");
      return;
    }
    if (route.classicAzure() && isBlank(req.getParam("api-version"))) {
      Replies.error(res, 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
      return;
    }
    if (!authorized(req, route)) {
      Replies.error(res, 401, "401", AzureErrors.ACCESS_DENIED);
      return;
    }
    String name = req.getParam(route.deploymentParam());
    if (isBlank(name)) {
      Replies.send(res, 400, AzureErrors.invalidRequest(
          "Missing required query parameter: '" + route.deploymentParam() + "'.", route.deploymentParam()));
      return;
    }
    DeploymentRuntime deployment = deployments.get(name);
    if (deployment == null) {
      Replies.error(res, 404, "DeploymentNotFound", AzureErrors.DEPLOYMENT_NOT_FOUND);
      return;
    }
    deployment.requests.increment();
    res.putHeader(SimulatorHandler.DEPLOYMENT_NAME_HEADER, name);
    if (deployment.config().kind() != DeploymentKind.CHAT) {
      Replies.error(res, 400, "OperationNotSupported", "The realtime operation does not work with the specified "
          + "model, " + name + ". Please choose different model and try again.");
      return;
    }
    if (!req.canUpgradeToWebSocket()) {
      Replies.send(res, 400, AzureErrors.invalidRequest(
          "The Realtime API is served over WebSocket: send GET with 'Upgrade: websocket'.", null));
      return;
    }
    Admission admission = deployment.limiter().tryAdmit(CONNECT_COST_TOKENS, ticker.read());
    admission.headers().forEach(res::putHeader);
    RealtimeCounters count = counters.get(name);
    if (!admission.admitted()) {
      deployment.throttled.increment();
      count.sessionsThrottled.increment();
      if (config.retryAfterMs()) {
        res.putHeader("retry-after-ms", Long.toString(admission.retryAfterMillis()));
      }
      res.putHeader("retry-after", Long.toString(admission.retryAfterSeconds()));
      long seconds = admission.retryAfterSeconds();
      Replies.error(res, 429, "429", "Requests to the Realtime Operation under Azure OpenAI API version "
          + Optional.ofNullable(req.getParam("api-version")).orElse("v1") + " have exceeded "
          + admission.exceededLimit() + " of deployment " + name + ". Please retry after " + seconds
          + (seconds == 1 ? " second." : " seconds."));
      return;
    }
    RealtimeDialect dialect = route.dialect(req.getHeader(RealtimeRoute.OPENAI_BETA_HEADER));
    req.toWebSocket().onSuccess(ws -> {
      deployment.succeeded.increment();
      count.sessionsOpened.increment();
      RealtimeSession session = new RealtimeSession(this, ws, deployment, count, dialect);
      open.add(session);
      session.start();
    });
  }

  private boolean authorized(HttpServerRequest req, RealtimeRoute route) {
    if (config.apiKey().isEmpty()) {
      return true;
    }
    String key = config.apiKey().get();
    if (key.equals(req.getHeader("api-key")) || ("Bearer " + key).equals(req.getHeader("authorization"))) {
      return true;
    }
    if (route.azure() && key.equals(req.getParam("api-key"))) {
      return true;
    }
    for (String header : req.headers().getAll("sec-websocket-protocol")) {
      for (String protocol : header.split(",")) {
        if (protocol.strip().equals(KEY_SUBPROTOCOL_PREFIX + key)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The counts of {@code deployment}, or {@link RealtimeStats#ZERO} when there is no such deployment. */
  RealtimeStats stats(String deployment) {
    RealtimeCounters c = counters.get(deployment);
    return c == null ? RealtimeStats.ZERO : c.snapshot();
  }

  /** Closes every open session with {@value #STOP_CODE}; completes when all have closed. */
  Future<Void> closeAll() {
    List<Future<Void>> closing = open.stream().map(s -> s.close(STOP_CODE, STOP_REASON)).toList();
    return Future.join(closing).mapEmpty();
  }

  /** Called by a session once its socket has closed. */
  void closed(RealtimeSession session, RealtimeCounters count) {
    if (open.remove(session)) {
      count.sessionsClosed.increment();
    }
  }

  Vertx vertx() {
    return vertx;
  }

  SimulatorConfig config() {
    return config;
  }

  RealtimeIds ids() {
    return ids;
  }

  /** A ticker reading, for the rate limiters. */
  long now() {
    return ticker.read();
  }

  long epochSeconds() {
    return clock.instant().getEpochSecond();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
