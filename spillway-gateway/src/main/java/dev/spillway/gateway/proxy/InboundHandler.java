package dev.spillway.gateway.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.ApiRoute;
import dev.spillway.core.api.Operation;
import dev.spillway.core.api.RouteMatch;
import dev.spillway.core.api.RouteShape;
import dev.spillway.core.api.RouteTable;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.limits.LimitCheck;
import dev.spillway.core.routing.Pool;
import dev.spillway.gateway.Json;
import dev.spillway.gateway.admin.AdminHandler;
import dev.spillway.gateway.auth.AuthOutcome;
import dev.spillway.gateway.auth.ClientAuthenticator;
import dev.spillway.gateway.auth.Principal;
import dev.spillway.gateway.events.RequestOutcome;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * The edge: matches the route, answers what the gateway owns (probes, model list), authenticates
 * the caller while the body is read (exactly once, within size and time limits), checks the caller
 * may use the model, and hands the request to a {@link ProxyExchange}. Every refusal goes out
 * through {@link ErrorResponder}.
 */
public final class InboundHandler implements Handler<HttpServerRequest> {
  /** Bodies up to this size are counted on the event loop (well under a millisecond). */
  private static final int INLINE_ESTIMATE_BYTES = 64 * 1024;

  private final ProxyContext ctx;
  private final Map<String, Pool> pools;
  private final List<String> modelNames;
  private final ServerConfig server;
  private final BooleanSupplier ready;
  private final ClientAuthenticator authenticator;
  private final AdminHandler admin;
  private final Serves serves;
  private final MetricsEndpoint metrics;
  private final DashboardEndpoint dashboard;

  /** Answers {@code GET /metrics}; the gateway plugs in its metrics and their access rule. */
  @FunctionalInterface
  public interface MetricsEndpoint {
    void handle(HttpServerRequest request, String requestId);

    /** No metrics configured: 404. */
    static MetricsEndpoint none() {
      return (request, requestId) ->
          ErrorResponder.send(request.response(), GatewayError.unknownRoute("GET", "/metrics"), requestId);
    }
  }

  /** Answers {@code GET /dashboard[/{resource}]}: the live dashboard, its assets and its data. */
  @FunctionalInterface
  public interface DashboardEndpoint {
    /** @param resource the path below {@code /dashboard/}, empty for the page */
    void handle(HttpServerRequest request, String requestId, String resource);

    /** No dashboard: 404. */
    static DashboardEndpoint none() {
      return (request, requestId, resource) ->
          ErrorResponder.send(request.response(), GatewayError.unknownRoute("GET", request.path()), requestId);
    }
  }

  /** What a listener answers besides the probes. */
  public enum Serves {
    /** Client traffic and the admin API. */
    CLIENTS_AND_ADMIN,
    /** Client traffic only (admin has its own listener). */
    CLIENTS,
    /** The admin API only. */
    ADMIN;

    public static Serves clients(boolean withAdmin) {
      return withAdmin ? CLIENTS_AND_ADMIN : CLIENTS;
    }
  }

  public InboundHandler(
      ProxyContext ctx,
      Map<String, Pool> pools,
      ServerConfig server,
      BooleanSupplier ready,
      ClientAuthenticator authenticator,
      AdminHandler admin,
      Serves serves,
      MetricsEndpoint metrics) {
    this(ctx, pools, server, ready, authenticator, admin, serves, metrics, DashboardEndpoint.none());
  }

  public InboundHandler(
      ProxyContext ctx,
      Map<String, Pool> pools,
      ServerConfig server,
      BooleanSupplier ready,
      ClientAuthenticator authenticator,
      AdminHandler admin,
      Serves serves,
      MetricsEndpoint metrics,
      DashboardEndpoint dashboard) {
    this.ctx = ctx;
    this.pools = Collections.unmodifiableMap(new LinkedHashMap<>(pools));
    this.modelNames = List.copyOf(pools.keySet());
    this.server = server;
    this.ready = ready;
    this.authenticator = authenticator;
    this.admin = admin;
    this.serves = serves;
    this.metrics = metrics;
    this.dashboard = dashboard;
  }

  @Override
  public void handle(HttpServerRequest request) {
    long startNanos = ctx.ticker().read();
    String requestId = RequestIds.next();
    String method = request.method().name();
    String path = request.path();
    RouteMatch match = RouteTable.match(method, path);
    if (match instanceof RouteMatch.Found found && !serves(found.route().shape())) {
      match = new RouteMatch.NotFound();
    }
    switch (match) {
      case RouteMatch.NotFound nf -> refuse(request, requestId, startNanos, null, GatewayError.unknownRoute(method, path));
      case RouteMatch.WrongMethod wm ->
          refuse(request, requestId, startNanos, null, GatewayError.methodNotAllowed(method, path, wm.allowed()));
      case RouteMatch.Found found -> dispatch(request, requestId, startNanos, found.route());
    }
  }

  private boolean serves(RouteShape shape) {
    return switch (shape) {
      case GATEWAY -> true;
      case ADMIN -> serves != Serves.CLIENTS;
      default -> serves != Serves.ADMIN;
    };
  }

  private void dispatch(HttpServerRequest request, String requestId, long startNanos, ApiRoute route) {
    switch (route.operation()) {
      case HEALTHZ -> answer(request, requestId, 200, "{\"status\":\"ok\"}");
      case READYZ -> {
        if (ready.getAsBoolean()) {
          answer(request, requestId, 200, ctx.limits().health());
        } else {
          ErrorResponder.send(request.response(), GatewayError.notReady(), requestId);
        }
      }
      case METRICS -> metrics.handle(request, requestId);
      case DASHBOARD -> dashboard.handle(request, requestId, route.pathParam().orElse(""));
      case LIST_MODELS, GET_MODEL -> {
        request.pause();
        authenticator
            .authenticate(request.headers())
            .onComplete(
                ar -> {
                  request.resume();
                  withPrincipal(request, requestId, startNanos, route, ar.result(), ar.cause(), null,
                      principal -> models(request, requestId, startNanos, route, principal));
                });
      }
      case CHAT_COMPLETIONS, COMPLETIONS, EMBEDDINGS -> proxied(request, requestId, startNanos, route);
      case ADMIN_BACKENDS, ADMIN_FORCE_OPEN, ADMIN_DISABLE, ADMIN_RESET, ADMIN_CONSUMERS, ADMIN_CREATE_KEY, ADMIN_REVOKE_KEY,
          ADMIN_PUT_CONSUMER, ADMIN_DELETE_CONSUMER, ADMIN_USAGE ->
          admin.handle(request, requestId, route);
    }
  }

  private void proxied(HttpServerRequest request, String requestId, long startNanos, ApiRoute route) {
    BodyReader body = BodyReader.start(ctx.vertx(), request, server.maxBodyBytes(), server.requestTimeout());
    authenticator
        .authenticate(request.headers())
        .onComplete(
            ar ->
                withPrincipal(
                    request,
                    requestId,
                    startNanos,
                    route,
                    ar.result(),
                    ar.cause(),
                    body,
                    principal ->
                        body.future()
                            .onComplete(
                                b -> {
                                  if (b.succeeded()) {
                                    onBody(request, requestId, startNanos, route, principal, b.result());
                                  } else {
                                    bodyFailed(request, requestId, startNanos, route, b.cause());
                                  }
                                })));
  }

  /**
   * Continues with the principal, or answers the refusal; a body still arriving is then dropped.
   *
   * @param body the body being read, or null when the route has none
   */
  private void withPrincipal(
      HttpServerRequest request,
      String requestId,
      long startNanos,
      ApiRoute route,
      AuthOutcome outcome,
      Throwable failure,
      BodyReader body,
      java.util.function.Consumer<Principal> next) {
    GatewayError refusal;
    if (failure != null || outcome == null) {
      // The authenticator itself failed (for example a JWKS endpoint down with no cached keys).
      refusal = GatewayError.invalidCredentials();
    } else if (outcome instanceof AuthOutcome.Denied denied) {
      refusal = denied.error();
    } else {
      next.accept(((AuthOutcome.Allowed) outcome).principal());
      return;
    }
    if (body != null) {
      body.discard();
    }
    refuse(request, requestId, startNanos, route, refusal);
  }

  private void bodyFailed(HttpServerRequest request, String requestId, long startNanos, ApiRoute route, Throwable cause) {
    if (cause instanceof BodyReader.RefusedBody refused) {
      switch (refused.refusal) {
        case TOO_LARGE -> refuse(request, requestId, startNanos, route, GatewayError.bodyTooLarge(server.maxBodyBytes()));
        case TIMED_OUT -> refuse(request, requestId, startNanos, route, GatewayError.requestTimeout());
        case ANSWERED -> {
          // Already answered.
        }
      }
    }
    // Other failures: the connection broke; nobody is listening for an answer.
  }

  private void models(HttpServerRequest request, String requestId, long startNanos, ApiRoute route, Principal principal) {
    List<String> visible = principal.visible(modelNames);
    if (route.operation() == Operation.LIST_MODELS) {
      answer(request, requestId, 200, ModelsResponder.list(visible));
      return;
    }
    String id = route.pathParam().orElseThrow();
    if (visible.contains(id)) {
      answer(request, requestId, 200, ModelsResponder.model(id));
    } else {
      refuse(request, requestId, startNanos, route, GatewayError.unknownModel(id), principal);
    }
  }

  private void onBody(
      HttpServerRequest request, String requestId, long startNanos, ApiRoute route, Principal principal, Buffer raw) {
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(raw.getBytes());
    } catch (JsonProcessingException e) {
      refuse(request, requestId, startNanos, route, GatewayError.invalidJson(e.getOriginalMessage()), principal);
      return;
    } catch (IOException e) {
      refuse(request, requestId, startNanos, route, GatewayError.invalidJson("unreadable body"), principal);
      return;
    }
    if (parsed == null || parsed.isMissingNode()) {
      refuse(request, requestId, startNanos, route, GatewayError.invalidJson("the body is empty"), principal);
      return;
    }
    if (!(parsed instanceof ObjectNode body)) {
      refuse(request, requestId, startNanos, route, GatewayError.bodyNotObject(), principal);
      return;
    }
    String model;
    if (route.shape() == RouteShape.AZURE_CLASSIC) {
      model = route.pathParam().orElseThrow();
    } else {
      JsonNode m = body.get("model");
      if (m == null || m.isNull() || (m.isTextual() && m.asText().isEmpty())) {
        refuse(request, requestId, startNanos, route, GatewayError.missingModel(), principal);
        return;
      }
      if (!m.isTextual()) {
        refuse(request, requestId, startNanos, route, GatewayError.invalidParameter("model", "model must be a string."), principal);
        return;
      }
      model = m.asText();
    }
    JsonNode streamFlag = body.get("stream");
    if (streamFlag != null && !streamFlag.isNull() && !streamFlag.isBoolean()) {
      refuse(request, requestId, startNanos, route, GatewayError.invalidParameter("stream", "stream must be a boolean."), principal);
      return;
    }
    JsonNode messages = body.get("messages");
    if (messages != null && messages.isArray() && messages.size() > server.maxMessages()) {
      refuse(request, requestId, startNanos, route, GatewayError.invalidParameter("messages",
          "A request may carry at most " + server.maxMessages() + " messages; this one has " + messages.size() + "."), principal);
      return;
    }
    // Authorization before existence: a caller learns nothing about models outside its own grant.
    if (!principal.mayUse(model)) {
      refuse(request, requestId, startNanos, route, GatewayError.modelNotAllowed(model), principal, model);
      return;
    }
    boolean stream = streamFlag != null && streamFlag.asBoolean(false) && route.operation().mayStream();
    Pool pool = pools.get(model);
    if (pool == null) {
      GatewayError error =
          route.shape() == RouteShape.AZURE_CLASSIC
              ? GatewayError.unknownDeployment(model)
              : GatewayError.unknownModel(model);
      refuse(request, requestId, startNanos, route, error, principal);
      return;
    }
    Operation op = route.operation();
    if (raw.length() <= INLINE_ESTIMATE_BYTES) {
      long prompt = RequestFacts.promptTokens(ctx.estimator(), op, body, model);
      start(request, requestId, startNanos, route, principal, body, raw, model, pool, stream, prompt);
    } else {
      // Counting a very large prompt takes tens of milliseconds: not on the event loop.
      ctx.vertx()
          .executeBlocking(() -> RequestFacts.promptTokens(ctx.estimator(), op, body, model), false)
          .onComplete(
              ar -> start(request, requestId, startNanos, route, principal, body, raw, model, pool, stream,
                  ar.succeeded() ? ar.result() : raw.length() / 4L));
    }
  }

  private void start(
      HttpServerRequest request,
      String requestId,
      long startNanos,
      ApiRoute route,
      Principal principal,
      ObjectNode body,
      Buffer raw,
      String model,
      Pool pool,
      boolean stream,
      long promptTokens) {
    long cost =
        promptTokens
            + RequestFacts.expectedOutputTokens(ctx.estimator(), route.operation(), body, ctx.limits().defaultMaxTokens());
    List<LimitCheck> checks = LimitAdmission.checks(principal, request, model);
    if (!checks.isEmpty()) {
      request.pause();
    }
    ctx.limits()
        .reserve(requestId, checks, cost)
        .onComplete(
            ar -> {
              if (!checks.isEmpty()) {
                request.resume();
              }
              if (ar.failed()) {
                GatewayError error =
                    ar.cause() instanceof LimitAdmission.Refused refused ? refused.error : GatewayError.internal();
                refuse(request, requestId, startNanos, route, error, principal, model);
                return;
              }
              ProxiedRequest proxied =
                  new ProxiedRequest(
                      requestId,
                      route,
                      model,
                      pool,
                      body,
                      raw,
                      stream,
                      startNanos,
                      promptTokens,
                      cost,
                      RequestFacts.affinityKey(request, pool.model()),
                      principal,
                      ar.result());
              new ProxyExchange(ctx, proxied, request).start();
            });
  }

  private void answer(HttpServerRequest request, String requestId, int status, String json) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader(ProxyHeaders.REQUEST_ID, requestId)
        .end(json);
  }

  private void refuse(
      HttpServerRequest request, String requestId, long startNanos, ApiRoute route, GatewayError error) {
    refuse(request, requestId, startNanos, route, error, null, null);
  }

  private void refuse(
      HttpServerRequest request, String requestId, long startNanos, ApiRoute route, GatewayError error,
      Principal principal) {
    refuse(request, requestId, startNanos, route, error, principal, null);
  }

  /**
   * Answers {@code error} and records the refusal, with the caller when authentication already named one and the
   * model when it is a configured one.
   */
  private void refuse(
      HttpServerRequest request, String requestId, long startNanos, ApiRoute route, GatewayError error,
      Principal principal, String model) {
    ErrorResponder.send(request.response(), error, requestId);
    Operation op = route == null ? null : route.operation();
    String clientIp = request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    RequestOutcome.Caller caller =
        principal == null
            ? new RequestOutcome.Caller("", "", clientIp)
            : new RequestOutcome.Caller(principal.consumerId(), principal.team(), clientIp);
    ctx.listener()
        .onRequest(
            new RequestOutcome(
                requestId,
                op,
                Optional.ofNullable(model),
                Optional.empty(),
                error.status(),
                false,
                Optional.empty(),
                ctx.ticker().read() - startNanos,
                OptionalLong.empty(),
                0,
                false,
                caller,
                Optional.of(new RequestOutcome.Refusal(error.code(), error.refusingLimit())),
                0,
                startNanos));
  }
}
