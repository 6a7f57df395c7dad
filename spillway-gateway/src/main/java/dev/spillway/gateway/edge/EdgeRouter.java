package dev.spillway.gateway.edge;

import dev.spillway.core.api.ApiRoute;
import dev.spillway.core.api.RouteMatch;
import dev.spillway.core.api.RouteShape;
import dev.spillway.core.api.RouteTable;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.ledger.EndUser;
import dev.spillway.core.time.Scheduler;
import dev.spillway.gateway.http.ErrorResponder;
import dev.spillway.gateway.http.GatewayEndpoint;
import dev.spillway.gateway.http.Answer;
import dev.spillway.gateway.http.RequestIds;
import dev.spillway.gateway.pipeline.Pipeline;
import dev.spillway.gateway.pipeline.RequestBody;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.Upload;
import dev.spillway.gateway.upload.BodySpooler;
import dev.spillway.gateway.upload.SpoolOptions;
import dev.spillway.core.multipart.MultipartScanner;
import io.vertx.core.Vertx;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The edge: matches each request's route and dispatches it by shape — probes ({@code /healthz}, {@code /readyz}),
 * {@code /metrics} and the dashboard to their endpoints, {@code /admin/...} to the admin API, and every API route to
 * the request pipeline, with a {@link RequestContext} made here, once. A route this listener does not serve is
 * unknown; an unknown route or a wrong method is refused through the pipeline, so it is metered like any refusal.
 *
 * <p>The configured {@code ledger.endUserHeader} is read here, into the context's result, so that every request that
 * carries it (one refused before its body is read, a models list) is booked to that end user; {@code parse} names the
 * body's end user only when the header named none.
 */
public final class EdgeRouter implements Handler<HttpServerRequest> {
  private final Serves serves;
  /** The pipeline of the config generation in force; read once per request, which finishes on it. */
  private final Supplier<Pipeline> pipelines;
  private final ServerConfig server;
  private final Scheduler scheduler;
  private final Clock clock;
  private final Vertx vertx;
  private final BooleanSupplier ready;
  private final Supplier<String> readiness;
  private final GatewayEndpoint admin;
  private final GatewayEndpoint metrics;
  private final GatewayEndpoint dashboard;
  private final Optional<String> endUserHeader;

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

    boolean serves(RouteShape shape) {
      return switch (shape) {
        case GATEWAY -> true;
        case ADMIN -> this != CLIENTS;
        default -> this != ADMIN;
      };
    }
  }

  private EdgeRouter(Builder b) {
    this.serves = Objects.requireNonNull(b.serves, "serves");
    this.pipelines = Objects.requireNonNull(b.pipelines, "pipeline");
    this.server = Objects.requireNonNull(b.server, "server");
    this.scheduler = Objects.requireNonNull(b.scheduler, "scheduler");
    this.clock = Objects.requireNonNull(b.clock, "clock");
    this.vertx = Objects.requireNonNull(b.vertx, "vertx");
    this.ready = Objects.requireNonNull(b.ready, "ready");
    this.readiness = Objects.requireNonNull(b.readiness, "readiness");
    this.admin = Objects.requireNonNull(b.admin, "admin");
    this.metrics = Objects.requireNonNull(b.metrics, "metrics");
    this.dashboard = Objects.requireNonNull(b.dashboard, "dashboard");
    this.endUserHeader = Objects.requireNonNull(b.endUserHeader, "endUserHeader");
  }

  /** {@code ctx}, with the end user its request's header names, if the header is configured and present. */
  private RequestContext withEndUser(RequestContext ctx) {
    endUserHeader.map(name -> EndUser.of(ctx.httpRequest().getHeader(name))).ifPresent(ctx.result()::endUser);
    return ctx;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void handle(HttpServerRequest request) {
    long startNanos = scheduler.ticker().read();
    String requestId = RequestIds.next(clock::millis);
    String method = request.method().name();
    String path = request.path();
    Pipeline pipeline = pipelines.get();
    RouteMatch match = RouteTable.match(method, path);
    if (match instanceof RouteMatch.Found found && !serves.serves(found.route().shape())) {
      match = new RouteMatch.NotFound();
    }
    switch (match) {
      case RouteMatch.NotFound nf ->
          pipeline.refuse(withEndUser(RequestContext.unrouted(requestId, startNanos, request)),
              GatewayError.unknownRoute(method, path));
      case RouteMatch.WrongMethod wm ->
          pipeline.refuse(withEndUser(RequestContext.unrouted(requestId, startNanos, request)),
              GatewayError.methodNotAllowed(method, path, wm.allowed()));
      case RouteMatch.Found found -> dispatch(pipeline, request, requestId, startNanos, found.route());
    }
  }

  private void dispatch(Pipeline pipeline, HttpServerRequest request, String requestId, long startNanos, ApiRoute route) {
    switch (route.shape()) {
      case ADMIN -> admin.handle(request, requestId, route);
      case GATEWAY -> {
        switch (route.operation()) {
          case HEALTHZ -> answer(request, requestId, "{\"status\":\"ok\"}");
          case READYZ -> {
            if (ready.getAsBoolean()) {
              answer(request, requestId, readiness.get());
            } else {
              ErrorResponder.send(request.response(), GatewayError.notReady(), requestId);
            }
          }
          case METRICS -> metrics.handle(request, requestId, route);
          default -> dashboard.handle(request, requestId, route);
        }
      }
      default -> {
        if (route.operation() == dev.spillway.core.api.Operation.REALTIME && request.canUpgradeToWebSocket()) {
          // Kept unread until a backend took the session: only an unread request can still be upgraded.
          request.pause();
        }
        RequestBody body =
            route.operation().readsJsonBody() && !bodiless(request.method())
                ? RequestBody.start(scheduler, request, server.maxBodyBytes(), server.requestTimeout())
                : RequestBody.NONE;
        RequestContext ctx = withEndUser(new RequestContext(requestId, startNanos, route, request, body));
        if (route.operation().multipart()) {
          // An upload is spooled to disk as it arrives (parse refuses a body that is not a form).
          MultipartScanner.forContentType(request.getHeader("content-type")).ifPresent(scanner -> ctx.upload(
              new Upload(BodySpooler.start(vertx, scheduler, request, scanner,
                  SpoolOptions.of(server.maxBodyBytes(), server.requestTimeout())))));
        }
        pipeline.run(ctx);
      }
    }
  }

  /** A GET, HEAD or DELETE carries no body the gateway reads (a call below a vector store may be any of them). */
  private static boolean bodiless(io.vertx.core.http.HttpMethod method) {
    return method == io.vertx.core.http.HttpMethod.GET || method == io.vertx.core.http.HttpMethod.HEAD
        || method == io.vertx.core.http.HttpMethod.DELETE;
  }

  private static void answer(HttpServerRequest request, String requestId, String json) {
    Answer.json(200, json).send(request.response(), requestId);
  }

  /** Builds an {@link EdgeRouter}; every collaborator is required. */
  public static final class Builder {
    private Serves serves;
    private Supplier<Pipeline> pipelines;
    private ServerConfig server;
    private Scheduler scheduler;
    private Clock clock;
    private Vertx vertx;
    private BooleanSupplier ready;
    private Supplier<String> readiness;
    private GatewayEndpoint admin;
    private GatewayEndpoint metrics;
    private GatewayEndpoint dashboard;
    private Optional<String> endUserHeader = Optional.empty();

    private Builder() {}

    /** The header that names a request's end user ({@code ledger.endUserHeader}); none by default. */
    public Builder endUserHeader(Optional<String> value) {
      this.endUserHeader = value;
      return this;
    }

    public Builder serves(Serves value) {
      this.serves = value;
      return this;
    }

    public Builder pipeline(Pipeline value) {
      return pipelines(() -> value);
    }

    /** The pipeline in force, asked once per request (the gateway's {@code LiveConfig}: a reload swaps it). */
    public Builder pipelines(Supplier<Pipeline> value) {
      this.pipelines = value;
      return this;
    }

    /** Body size and time limits. */
    public Builder server(ServerConfig value) {
      this.server = value;
      return this;
    }

    /** The Vert.x instance uploads are spooled to disk with. */
    public Builder vertx(Vertx value) {
      this.vertx = value;
      return this;
    }

    public Builder time(Scheduler scheduler, Clock clock) {
      this.scheduler = scheduler;
      this.clock = clock;
      return this;
    }

    /**
     * @param isReady whether {@code /readyz} says ready
     * @param body the ready answer's JSON (it names the limit store's state)
     */
    public Builder readiness(BooleanSupplier isReady, Supplier<String> body) {
      this.ready = isReady;
      this.readiness = body;
      return this;
    }

    public Builder endpoints(GatewayEndpoint adminApi, GatewayEndpoint metricsEndpoint, GatewayEndpoint dashboardEndpoint) {
      this.admin = adminApi;
      this.metrics = metricsEndpoint;
      this.dashboard = dashboardEndpoint;
      return this;
    }

    public EdgeRouter build() {
      return new EdgeRouter(this);
    }
  }
}
