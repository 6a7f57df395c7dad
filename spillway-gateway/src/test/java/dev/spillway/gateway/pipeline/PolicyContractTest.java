package dev.spillway.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.api.RouteMatch;
import dev.spillway.core.api.RouteTable;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.limits.InMemoryLimitStore;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.routing.Router;
import dev.spillway.core.spend.InMemorySpendStore;
import dev.spillway.core.spend.SpendBook;
import dev.spillway.core.time.Ticker;
import dev.spillway.core.tokens.TokenEstimator;
import dev.spillway.gateway.auth.ClientAuthenticator;
import dev.spillway.gateway.auth.ConsumerDirectory;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.forward.ForwardStage;
import dev.spillway.gateway.forward.UpstreamClients;
import dev.spillway.gateway.http.RequestIds;
import dev.spillway.gateway.limits.LimitAdmission;
import dev.spillway.gateway.time.EventLoopScheduler;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every registered pipeline stage keeps, checked for each one found as a {@link PolicyFactory} service
 * (a new policy is checked without being named here). Each stage sees real requests over HTTP, after the stages
 * that precede it in the default pipeline, with valid and invalid bodies, and must:
 *
 * <ul>
 *   <li>refuse with a value: its {@code onRequest} future never fails and it never throws, whatever the request;
 *   <li>not wait on the event loop: the event-loop thread is never parked or blocked while {@code onRequest} runs
 *       (counted by the JVM's thread statistics, not timed);
 *   <li>keep its defaults pass-through: a stage that does not tap chunks hands each chunk back unchanged, and the
 *       response and completion hooks accept a request the stage never saw (one refused before it).
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PolicyContractTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONFIG =
      """
      models:
        gpt-4o:
          backends:
            - { id: b, url: "http://127.0.0.1:9", deployment: gpt-4o, tier: payg }
      maxTokens: { default: 64, cap: 128 }
      cache: { ttl: 1m }
      """;

  /** Requests every stage must take without failing: valid, malformed, unknown, large, bodiless. */
  private static final List<String[]> SAMPLES =
      List.of(
          new String[] {"POST", "/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":500}"},
          new String[] {"POST", "/v1/chat/completions", "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
          new String[] {"POST", "/v1/chat/completions", "{\"model\":\"gpt-4o\",\"temperature\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"},
          new String[] {"POST", "/v1/chat/completions", "{"},
          new String[] {"POST", "/v1/chat/completions", "[1,2]"},
          new String[] {"POST", "/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[]}"},
          new String[] {"POST", "/v1/chat/completions", "{\"model\":7}"},
          new String[] {"POST", "/v1/embeddings", "{\"model\":\"gpt-4o\",\"input\":\"" + "word ".repeat(20_000) + "\"}"},
          new String[] {"POST", "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", "{\"messages\":[]}"},
          new String[] {"GET", "/v1/models", null},
          new String[] {"GET", "/v1/models/nope", null});

  private final Vertx vertx = Vertx.vertx();
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final PipelineAssembler assembler = new PipelineAssembler();
  private Map<String, Policy> stages;
  private List<String> order;
  private HttpServer server;
  private String stageUnderTest;
  private LimitAdmission limits;

  @BeforeAll
  void start() {
    SpillwayConfig config = ConfigLoader.parse(CONFIG, "contract.yaml", name -> null);
    Map<String, Pool> pools = new LinkedHashMap<>();
    for (ModelConfig model : config.models().values()) {
      pools.put(model.name(), new Pool(model, config.routing().breaker()));
    }
    limits = new LimitAdmission(new InMemoryLimitStore(), config.limits().defaultMaxTokens());
    PipelineServices services =
        new PipelineServices(
            config, pools, vertx, EventLoopScheduler.vertxTimers(vertx, Ticker.systemTicker()), Clock.systemUTC(),
            GatewayListener.none(),
            withGuard(Map.of(
                ClientAuthenticator.class,
                new ClientAuthenticator(config, new ConsumerDirectory(config.consumers(), Optional.empty()), Optional.empty(), Optional.empty()),
                TokenEstimator.class, TokenEstimator.byModelFamily(),
                LimitAdmission.class, limits,
                SpendBook.class, new SpendBook(new InMemorySpendStore(), config),
                Router.class, new Router(config.routing()),
                UpstreamClients.class, new UpstreamClients(vertx.createHttpClient(), Map.of(), b -> null),
                ForwardStage.RandomSource.class, new ForwardStage.RandomSource(ThreadLocalRandom::current),
                dev.spillway.gateway.forward.InFlightRequests.class, new dev.spillway.gateway.forward.InFlightRequests(),
                dev.spillway.core.objects.ObjectRegistry.class, new dev.spillway.core.objects.InMemoryObjectRegistry(),
                dev.spillway.gateway.cache.ResponseCache.class, dev.spillway.gateway.cache.ResponseCache.of(vertx, config, Clock.systemUTC()))));
    order = assembler.defaultNames();
    stages = new LinkedHashMap<>();
    for (PolicyFactory f : assembler.factories()) {
      stages.put(f.name(), f.create(services));
    }
    server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1").await();
  }

  /** The components above, and the guard's: no profile, a monitor with the default abuse settings. */
  private static Map<Class<?>, Object> withGuard(Map<Class<?>, Object> components) {
    Map<Class<?>, Object> all = new java.util.HashMap<>(components);
    all.put(dev.spillway.core.routing.SharedSessionPins.class, dev.spillway.core.routing.SharedSessionPins.local());
    all.put(dev.spillway.gateway.guard.GuardProfiles.class, dev.spillway.gateway.guard.GuardProfiles.NONE);
    all.put(dev.spillway.gateway.guard.SafetyMonitor.class, new dev.spillway.gateway.guard.SafetyMonitor(
        dev.spillway.core.guard.abuse.AbuseSettings.DEFAULTS, Clock.systemUTC()));
    return all;
  }

  @AfterAll
  void stop() {
    limits.close();
    vertx.close().await();
  }

  static Stream<String> registeredStages() {
    return new PipelineAssembler().factories().stream().map(PolicyFactory::name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registeredStages")
  void refusesWithValuesAndNeverWaitsOnTheEventLoop(String stage) throws Exception {
    stageUnderTest = stage;
    for (String[] sample : SAMPLES) {
      // Twice: the first time may load classes (the JVM may then wait on its own locks); the second is the stage.
      call(sample);
      JsonNode report = call(sample);
      String what = stage + " on " + sample[0] + " " + sample[1];
      assertThat(report.path("threw").asText()).as(what + " threw").isEmpty();
      assertThat(report.path("failed").asText()).as(what + " failed its future").isEmpty();
      assertThat(report.path("waits").asLong()).as(what + " waited on the event loop").isZero();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("registeredStages")
  void hooksArePassThroughForARequestTheStageNeverSaw(String stage) throws Exception {
    stageUnderTest = stage;
    JsonNode report = call(new String[] {"POST", "/v1/chat/completions?mode=hooks", "{\"model\":\"gpt-4o\",\"messages\":[]}"});
    assertThat(report.path("hooks").asText()).as(stage).isEqualTo("ok");
  }

  private JsonNode call(String[] sample) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + sample[1]));
    b.method(sample[0], sample[2] == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(sample[2]));
    HttpResponse<String> r = client.send(b.header("content-type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /** Runs the preceding default stages, then the stage under test, on this event loop; answers with a report. */
  private void handle(HttpServerRequest request) {
    RouteMatch.Found found = (RouteMatch.Found) RouteTable.match(request.method().name(), request.path());
    RequestBody body =
        found.route().operation().proxied()
            ? RequestBody.start(EventLoopScheduler.vertxTimers(vertx, Ticker.systemTicker()), request, 1 << 20, java.time.Duration.ofSeconds(10))
            : RequestBody.NONE;
    RequestContext ctx = new RequestContext(RequestIds.next(System::currentTimeMillis), 0, found.route(), request, body);
    if ("hooks".equals(request.getParam("mode"))) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("hooks", hooks(ctx, stages.get(stageUnderTest)));
      finish(request, ctx, stages.get(stageUnderTest), report);
      return;
    }
    List<Policy> before = new ArrayList<>();
    for (String name : order) {
      if (name.equals(stageUnderTest)) {
        break;
      }
      before.add(stages.get(name));
    }
    runUpTo(ctx, before, 0).onComplete(ar -> {
      Map<String, Object> report = new LinkedHashMap<>();
      Policy stage = stages.get(stageUnderTest);
      if (ar.succeeded() && ar.result()) {
        long waitsBefore = waits();
        Future<Verdict> verdict;
        try {
          verdict = stage.onRequest(ctx);
          report.put("waits", waits() - waitsBefore);
        } catch (RuntimeException e) {
          report.put("threw", e.toString());
          verdict = Future.succeededFuture(Verdict.CONTINUE);
        }
        verdict.onComplete(v -> {
          report.put("failed", v.failed() ? v.cause().toString() : "");
          finish(request, ctx, stage, report);
        });
      } else {
        report.put("hooks", hooks(ctx, stage));
        finish(request, ctx, stage, report);
      }
    });
  }

  /** True when every stage let the request through. */
  private Future<Boolean> runUpTo(RequestContext ctx, List<Policy> policies, int i) {
    if (i == policies.size()) {
      return Future.succeededFuture(true);
    }
    return policies.get(i).onRequest(ctx).compose(v -> v instanceof Verdict.Continue ? runUpTo(ctx, policies, i + 1) : Future.succeededFuture(false));
  }

  private String hooks(RequestContext ctx, Policy stage) {
    try {
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      stage.onResponseStart(ctx, 400, headers);
      Buffer chunk = Buffer.buffer("data: {}\n\n");
      if (!stage.tapsChunks() && stage.onChunk(ctx, chunk) != chunk) {
        return "onChunk changed a chunk without tapping chunks";
      }
      stage.onComplete(ctx, RequestOutcome.builder(ctx.requestId(), 400).build());
      return "ok";
    } catch (RuntimeException e) {
      return e.toString();
    }
  }

  private void finish(HttpServerRequest request, RequestContext ctx, Policy stage, Map<String, Object> report) {
    report.putIfAbsent("hooks", "");
    ctx.body().discard();
    try {
      request.response().putHeader("content-type", "application/json").end(JSON.writeValueAsString(report));
    } catch (Exception e) {
      request.response().setStatusCode(500).end(e.toString());
    }
  }

  private long waits() {
    ThreadInfo info = threads.getThreadInfo(Thread.currentThread().threadId());
    return info.getBlockedCount() + info.getWaitedCount();
  }
}
