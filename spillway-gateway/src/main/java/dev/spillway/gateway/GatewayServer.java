package dev.spillway.gateway;

import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ListenAddress;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.routing.SharedSessionPins;
import dev.spillway.core.routing.SharedThrottles;
import dev.spillway.core.spend.SpendBook;
import dev.spillway.core.time.Scheduler;
import dev.spillway.core.tokens.TokenEstimator;
import dev.spillway.gateway.admin.AdminAccess;
import dev.spillway.gateway.admin.AdminHandler;
import dev.spillway.gateway.admin.MetricsAccessCheck;
import dev.spillway.gateway.auth.ClientAuthenticator;
import dev.spillway.gateway.auth.ConsumerDirectory;
import dev.spillway.gateway.auth.jwt.JwtAuthenticator;
import dev.spillway.gateway.credentials.BackendCredentials;
import dev.spillway.gateway.dashboard.DashboardEndpoint;
import dev.spillway.gateway.dashboard.DashboardStats;
import dev.spillway.gateway.edge.EdgeRouter;
import dev.spillway.gateway.edge.TlsReloader;
import dev.spillway.gateway.edge.HeaderDeadline;
import dev.spillway.gateway.edge.InvalidRequests;
import dev.spillway.gateway.edge.ListenerOptions;
import dev.spillway.gateway.edge.Readiness;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.cache.ResponseCache;
import dev.spillway.gateway.cache.SelfCalls;
import dev.spillway.gateway.guard.SafetyMonitor;
import dev.spillway.core.guard.GuardSettings;
import dev.spillway.core.guard.abuse.AbuseSettings;
import dev.spillway.gateway.http.SelfAddress;
import dev.spillway.gateway.forward.ForwardStage;
import dev.spillway.gateway.forward.InFlightRequests;
import dev.spillway.gateway.forward.UpstreamHttpOptions;
import dev.spillway.gateway.ledger.LedgerListener;
import dev.spillway.gateway.ledger.LedgerPrefixHash;
import dev.spillway.gateway.ledger.LedgerWriter;
import dev.spillway.gateway.ledger.Ledgers;
import dev.spillway.gateway.limits.LimitAdmission;
import dev.spillway.gateway.limits.LimitStores;
import dev.spillway.gateway.store.AuthStores;
import dev.spillway.gateway.store.ObjectRegistries;
import dev.spillway.gateway.store.SharedRoutingState;
import dev.spillway.gateway.store.SharedThrottleStores;
import dev.spillway.core.objects.ObjectRegistry;
import dev.spillway.gateway.metrics.GatewayMetrics;
import dev.spillway.gateway.reload.ConfigReloads;
import dev.spillway.gateway.reload.GenerationAssembler;
import dev.spillway.gateway.reload.LiveConfig;
import dev.spillway.gateway.reload.ReloadOutcome;
import dev.spillway.gateway.reload.ReloadStatus;
import dev.spillway.gateway.spend.SpendBooks;
import dev.spillway.gateway.telemetry.OtlpExport;
import dev.spillway.gateway.time.EventLoopScheduler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running gateway: the client listener (and, when configured, a separate admin listener) in
 * front of the configured pools. Built from an immutable {@link SpillwayConfig}; all mutable state
 * (throttles, breakers, in-flight counts) lives in the pools, the key store and the caches. A config reload
 * ({@link #reloadFrom}) puts a new generation in force ({@code reload/LiveConfig}); what it may change is in {@code
 * reload/ConfigDiff}.
 */
public final class GatewayServer {
  /** One estimator per JVM: its vocabularies are large and load once. */

  private final Vertx vertx;
  private final LiveConfig live;
  private final ConfigReloads reloads;
  private final HttpServer server;
  private final Optional<HttpServer> adminServer;
  private final HttpClient client;
  private final AtomicBoolean ready;
  private final Optional<KeyStore> keys;
  private final AuthStores authStores;
  private final List<Long> timers;
  private final LimitAdmission limits;
  private final ObjectRegistry objects;
  private final SpendBook spend;
  private final Optional<LedgerWriter> ledger;
  private final Optional<OtlpExport> telemetry;
  private final ResponseCache responseCache;
  private final GracefulStop stop;
  private final SharedThrottles throttles;
  private final SharedRoutingState sharedState;

  private GatewayServer(
      Vertx vertx,
      LiveConfig live,
      ConfigReloads reloads,
      HttpServer server,
      Optional<HttpServer> adminServer,
      HttpClient client,
      AtomicBoolean ready,
      AuthStores authStores,
      List<Long> timers,
      LimitAdmission limits,
      ObjectRegistry objects,
      SpendBook spend,
      Optional<LedgerWriter> ledger,
      Optional<OtlpExport> telemetry,
      ResponseCache responseCache,
      GracefulStop stop,
      SharedThrottles throttles,
      SharedRoutingState sharedState) {
    this.vertx = vertx;
    this.live = live;
    this.reloads = reloads;
    this.server = server;
    this.adminServer = adminServer;
    this.client = client;
    this.ready = ready;
    this.keys = authStores.keys();
    this.authStores = authStores;
    this.timers = timers;
    this.limits = limits;
    this.objects = objects;
    this.spend = spend;
    this.ledger = ledger;
    this.telemetry = telemetry;
    this.responseCache = responseCache;
    this.stop = stop;
    this.throttles = throttles;
    this.sharedState = sharedState;
  }

  /** Binds the listeners; the future completes once the gateway accepts requests. */
  public static Future<GatewayServer> start(Vertx vertx, SpillwayConfig config, GatewayOptions options) {
    AuthStores authStores;
    try {
      authStores = AuthStores.open(config); // files, or the shared database (store:); blocks
    } catch (RuntimeException unavailable) {
      return Future.failedFuture(unavailable);
    }
    Map<String, Pool> firstPools = GenerationAssembler.pools(config, Map.of());
    LiveConfig live = new LiveConfig(firstPools);
    // Observers (metrics, dashboard, admin, ledger) read the pools of the generation in force through this view.
    Map<String, Pool> pools = live.pools();
    ReloadStatus reloadStatus = new ReloadStatus();
    Clock clock = options.clock();
    Scheduler scheduler =
        options.scheduler().map(EventLoopScheduler::driving).orElseGet(() -> EventLoopScheduler.vertxTimers(vertx, options.ticker()));
    HttpClient client =
        upstreamClient(vertx,
            new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(false),
            config.server());
    LimitAdmission limitAdmission =
        new LimitAdmission(LimitStores.create(vertx, config.limits()), config.limits().defaultMaxTokens());
    SpendBook spend = SpendBooks.open(vertx, config, options.ticker());
    Optional<OtlpExport> telemetry = config.telemetry().otlp().map(OtlpExport::start);
    Optional<LedgerWriter> ledger = Ledgers.open(config.ledger());
    Optional<SelfCalls> selfCalls;
    try {
      selfCalls = SelfCalls.forConfig(vertx, config);
    } catch (IllegalArgumentException | java.io.UncheckedIOException invalid) {
      limitAdmission.close();
      spend.close();
      authStores.close();
      return Future.failedFuture(invalid);
    }
    ResponseCache responseCache = ResponseCache.of(vertx, config, clock, selfCalls);
    SafetyMonitor safety = new SafetyMonitor(config.policySettings().get(GuardSettings.class)
        .map(GuardSettings::abuse).orElse(AbuseSettings.DEFAULTS), clock);
    SharedThrottles throttles = SharedThrottleStores.open(vertx, config, pools, options.ticker(), clock);
    SharedRoutingState sharedState = SharedRoutingState.open(vertx, config, pools, options.ticker(), clock);
    GatewayMetrics metrics =
        GatewayMetrics.builder(pools)
            .cache(responseCache)
            .ticker(options.ticker())
            .options(new GatewayMetrics.Options(config.telemetry().consumerLabel(), config.telemetry().teamLabel()))
            .alsoRegisterIn(telemetry.flatMap(OtlpExport::meterRegistry))
            .ledger(ledger)
            .limitStore(limitAdmission.redisStore())
            .spend(spend, clock)
            .sharedThrottles(throttles)
            .sharedRoutingState(sharedState.sessionPins(), sharedState.drainRates())
            .configReloads(reloadStatus)
            .build();
    safety.onAction(metrics::abuseAction);
    DashboardStats dashboardStats =
        new DashboardStats(pools, options.ticker(), DashboardStats.gatewayVersion()).showSpend(spend, clock)
            .priceCacheSavings(config.costs()).showSafety(safety);
    List<GatewayListener> listeners = new ArrayList<>(List.of(metrics, dashboardStats, options.listener()));
    ledger.ifPresent(w -> listeners.add(new LedgerListener(w, pools, clock)));
    telemetry.flatMap(t -> t.tracer(options.ticker(), clock)).ifPresent(listeners::add);
    GatewayListener listener = GatewayListener.composite(listeners);
    List<Long> timers = new ArrayList<>();

    Optional<KeyStore> keys = authStores.keys();
    Optional<JwtAuthenticator> jwt =
        config.auth().jwtIssuers().isEmpty()
            ? Optional.empty()
            : Optional.of(new JwtAuthenticator(config.auth().jwtIssuers(), vertx, client, options.ticker(), clock));
    ConsumerDirectory directory = authStores.consumers();
    AdminAccess adminAccess = new AdminAccess(config.admin(), jwt);
    AdminHandler admin =
        new AdminHandler(vertx, pools, options.ticker(), adminAccess, directory, keys, config.ledger(), config.costs(), clock,
            responseCache, safety);
    MetricsAccessCheck metricsEndpoint = new MetricsAccessCheck(metrics, config.admin().metricsAccess(), adminAccess);
    DashboardEndpoint dashboard = new DashboardEndpoint(dashboardStats, metricsEndpoint::verdict);

    InFlightRequests inFlight = new InFlightRequests();
    ObjectRegistry objects = ObjectRegistries.create(vertx, config.objects());
    LedgerPrefixHash prefixHash = new LedgerPrefixHash(vertx, config, clock);
    // Shared by every config generation; the authenticator, router, guard profiles and upstream clients are made per
    // generation by the assembler.
    Map<Class<?>, Object> components =
        new HashMap<>(Map.of(
                TokenEstimator.class, options.tokenEstimator(),
                LimitAdmission.class, limitAdmission,
                SpendBook.class, spend,
                ForwardStage.RandomSource.class, new ForwardStage.RandomSource(options.random()),
                InFlightRequests.class, inFlight,
                ObjectRegistry.class, objects,
                ResponseCache.class, responseCache,
                LedgerPrefixHash.class, prefixHash,
                SafetyMonitor.class, safety,
                SharedThrottles.class, throttles));
    components.put(SharedSessionPins.class, sharedState.sessionPins());
    GenerationAssembler assembler = new GenerationAssembler(vertx, scheduler, clock, listener, client, components,
        c -> new ClientAuthenticator(c, directory, keys, jwt, selfCalls.map(SelfCalls::caller)),
        b -> BackendCredentials.of(vertx, client, b, options.ticker(), clock, scheduler),
        b -> upstreamClient(vertx, UpstreamHttpOptions.clientOptions(b), config.server()));
    ConfigReloads reloads = new ConfigReloads(vertx, live, assembler, reloadStatus,
        next -> directory.reconfigure(next.config().consumers()), next -> metrics.poolsChanged());
    admin.reloadWith(reloads.endpoint());
    try {
      live.install(assembler.assemble(1, config, firstPools, Optional.empty()));
    } catch (RuntimeException invalid) {
      limitAdmission.close();
      ObjectRegistries.close(objects);
      spend.close();
      responseCache.close();
      reloads.close();
      throttles.close();
      sharedState.close();
      authStores.close();
      return Future.failedFuture(invalid);
    }

    AtomicBoolean ready = new AtomicBoolean(false);
    boolean separateAdmin = config.admin().listen().isPresent();
    EdgeRouter.Builder edge =
        EdgeRouter.builder()
            .vertx(vertx)
            .pipelines(live::pipeline)
            .time(scheduler, clock)
            .readiness(ready::get, new Readiness(limitAdmission, ledger, responseCache).and(reloads::describe))
            .endpoints(admin, metricsEndpoint, dashboard)
            .endUserHeader(config.ledger().endUserHeader());
    EdgeRouter clients = edge.serves(EdgeRouter.Serves.clients(!separateAdmin)).server(config.server()).build();
    HeaderDeadline headerDeadline = new HeaderDeadline(vertx, config.server().requestTimeout(), config.server().idleTimeout());
    Future<Void> warm = jwt.map(JwtAuthenticator::warmUp).orElse(Future.succeededFuture())
        .compose(v -> SpendBooks.seed(vertx, spend, config, clock))
        .compose(v -> prefixHash.warmUp());
    Future<HttpServer> main =
        warm.compose(v -> vertx.createHttpServer(ListenerOptions.of(config.server()))
            .connectionHandler(headerDeadline.connectionHandler())
            .requestHandler(headerDeadline.requestHandler(clients))
            .invalidRequestHandler(new InvalidRequests(clock))
            .listen()
            .recover(err -> Future.failedFuture(listenFailure(config.server(), err))));
    Future<Optional<HttpServer>> adminListener =
        main.compose(
            m -> {
              if (!separateAdmin) {
                return Future.succeededFuture(Optional.empty());
              }
              ListenAddress at = ListenAddress.parse(config.admin().listen().get());
              ServerConfig adminServer = ServerConfig.builder().host(at.host()).port(at.port()).maxBodyBytes(64 * 1024).build();
              EdgeRouter adminOnly = edge.serves(EdgeRouter.Serves.ADMIN).server(adminServer).build();
              return vertx.createHttpServer(ListenerOptions.of(adminServer).setSsl(false))
                  .requestHandler(adminOnly)
                  .invalidRequestHandler(new InvalidRequests(clock))
                  .listen()
                  .recover(err -> Future.failedFuture(listenFailure(adminServer, err)))
                  .map(Optional::of);
            });
    adminListener.onFailure(notListening -> authStores.close());
    return adminListener.map(
        adminServer -> {
          HttpServer mainServer = main.result();
          selfCalls.ifPresent(self -> self.listening(SelfAddress.baseUrl(config.server(), mainServer.actualPort())));
          config.server().tls().ifPresent(tls -> timers.add(TlsReloader.watch(vertx, mainServer, tls)));
          timers.add(authStores.watch(vertx));
          ready.set(true);
          // The models' tokenizer vocabularies (a few hundred ms of CPU, most of start-up's own work otherwise) load on
          // a worker once ready; a request counted before they are in waits on a worker too (EstimateTokensPolicy).
          vertx.executeBlocking(() -> options.tokenEstimator().warmUp(config.models().keySet()), false);
          return new GatewayServer(
              vertx, live, reloads, mainServer, adminServer, client, ready, authStores, timers, limitAdmission,
              objects, spend, ledger, telemetry, responseCache, new GracefulStop(scheduler, config.server(), ready, inFlight),
              throttles, sharedState);
        })
        .onFailure(notStarted -> {
          throttles.close();
          sharedState.close();
        });
  }

  private Future<Void> closeBlocking(Optional<? extends AutoCloseable> closeable) {
    return closeable.map(c -> vertx.<Void>executeBlocking(() -> {
          c.close();
          return null;
        }, false))
        .orElse(Future.succeededFuture());
  }

  /**
   * A client for backends. A backend that resets or garbles a connection fails the attempt on it (the attempt's own
   * handlers classify and count it); the connection's exception is handled here too, so that an expected fault is not
   * also logged by Vert.x as an unhandled error with a stack trace.
   */
  private static HttpClient upstreamClient(Vertx vertx, HttpClientOptions options, ServerConfig server) {
    return vertx.httpClientBuilder()
        .with(options)
        .with(upstreamPool(server))
        .withConnectHandler(connection -> connection.exceptionHandler(failure -> { }))
        .build();
  }

  /** Per backend endpoint: {@code server.upstreamConnections} at most; requests beyond wait in the pool's queue. */
  private static PoolOptions upstreamPool(ServerConfig server) {
    return UpstreamHttpOptions.pool(server);
  }

  /** A listener that could not bind, naming the address it tried (the cause alone does not). */
  private static Throwable listenFailure(ServerConfig at, Throwable cause) {
    if (cause instanceof java.net.BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
      java.net.BindException named = new java.net.BindException(at.host() + ":" + at.port() + ": " + cause.getMessage());
      named.initCause(cause);
      return named;
    }
    return cause;
  }

  public int port() {
    return server.actualPort();
  }

  /** The admin listener's port, when admin has its own. */
  public Optional<Integer> adminPort() {
    return adminServer.map(HttpServer::actualPort);
  }

  /** {@code http(s)://host:port}, with the bound host ({@code 127.0.0.1} when bound to all interfaces). */
  public String baseUrl() {
    return SelfAddress.baseUrl(config().server(), port());
  }

  /** The config in force: the one the gateway started with, or the last valid one a reload put in force. */
  public SpillwayConfig config() {
    return live.current().config();
  }

  /** Logical model name to its pool, in config order; a view that follows config reloads. */
  public Map<String, Pool> pools() {
    return live.pools();
  }

  /**
   * Reloads the config from {@code file} (the file this gateway was started from) whenever its content changes, on
   * {@code POST /admin/reload} and on {@link #reloadConfig()}; a gateway not told its file has nothing to reload. See
   * {@link ConfigReloads} for what a reload changes and what waits for a restart.
   */
  public GatewayServer reloadFrom(java.nio.file.Path file) {
    return reloadFrom(file, java.util.function.UnaryOperator.identity());
  }

  /** As {@link #reloadFrom(java.nio.file.Path)}, each loaded config passed through {@code overrides} (the CLI's --port). */
  public GatewayServer reloadFrom(java.nio.file.Path file, java.util.function.UnaryOperator<SpillwayConfig> overrides) {
    return reloadFrom(file, overrides, java.time.Duration.ofMillis(ConfigReloads.WATCH_EVERY_MILLIS));
  }

  /** As {@link #reloadFrom(java.nio.file.Path, java.util.function.UnaryOperator)}, checking the file every {@code
   * watchEvery} ({@link java.time.Duration#ZERO}: not watched, reloaded on demand only). */
  public GatewayServer reloadFrom(
      java.nio.file.Path file, java.util.function.UnaryOperator<SpillwayConfig> overrides, java.time.Duration watchEvery) {
    reloads.from(file, overrides, watchEvery.toMillis());
    return this;
  }

  /** Reloads the config file now (the command line's SIGHUP); fails when {@link #reloadFrom} was not called. */
  public Future<ReloadOutcome> reloadConfig() {
    return reloads.reload("signal");
  }

  /** The config generation in force: 1 at start, one more per reload that changed something. */
  public long configGeneration() {
    return live.current().number();
  }

  /** The gateway-key store, when gateway keys are configured. */
  public Optional<KeyStore> keys() {
    return keys;
  }

  /**
   * A graceful stop ({@link GracefulStop}): readiness 503 at once, accepting for {@code server.drainDelay}, requests
   * and streams in flight get {@code server.drainTimeout} to finish, then everything closes as {@link #close()} does.
   */
  public Future<Void> drain() {
    return stop.run(server, this::close);
  }

  /** Requests being forwarded now. */
  public int inFlight() {
    return stop.inFlight().size();
  }

  /** Streams whose backend is paused now because their client reads slowly. */
  public int streamsHeldBack() {
    return stop.inFlight().streamsHeldBack();
  }

  /** Turns readiness off, stops accepting, and closes upstream connections: at once, cutting what is in flight. */
  public Future<Void> close() {
    ready.set(false);
    timers.forEach(vertx::cancelTimer);
    reloads.stopWatching();
    limits.close();
    ObjectRegistries.close(objects);
    responseCache.close();
    throttles.close();
    sharedState.close();
    Future<Void> admin = adminServer.map(HttpServer::close).orElse(Future.succeededFuture());
    // The spend store, the ledger and the exporters close after the listeners, so the last requests' PAYG spend,
    // records and spans go out too.
    return admin.compose(v -> server.close())
        .andThen(closed -> spend.close())
        .compose(v -> closeBlocking(ledger.map(w -> (AutoCloseable) w::shutdown)))
        .compose(v -> closeBlocking(telemetry))
        .compose(v -> closeBlocking(Optional.of(authStores)))
        .compose(v -> client.close())
        .compose(v -> reloads.close());
  }
}
