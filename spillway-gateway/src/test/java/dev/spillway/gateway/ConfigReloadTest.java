package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.simulator.DeploymentConfig;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Config hot reload, end to end: a gateway started from a file on disk, the simulator and a scripted backend on
 * loopback, the file edited and reloaded through {@code POST /admin/reload} or by the file watch.
 */
class ConfigReloadTest {
  private static final String ADMIN_KEY = "admin-key-0123456789abcdef";
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private TestWorld world;
  private Path dir;
  private Path file;
  private String scriptedUrl;
  private String key;
  /** Streams the scripted backend holds open, for the test to finish. */
  private final ConcurrentLinkedQueue<HttpServerResponse> heldStreams = new ConcurrentLinkedQueue<>();

  /** Only the test tagged {@code watch} watches the file: the others reload through the admin API alone. */
  @BeforeEach
  void start(org.junit.jupiter.api.TestInfo test) throws Exception {
    dir = Files.createTempDirectory("spillway-reload");
    file = dir.resolve("spillway.yaml");
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("sim-a", 0, 0), DeploymentConfig.payg("sim-b", 0, 0)));
    HttpServer scripted = world.vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> {
          HttpServerResponse resp = req.response();
          if (req.path().contains("/deployments/busy/")) {
            resp.setStatusCode(429).putHeader("retry-after", "60").putHeader("content-type", "application/json")
                .end("{\"error\":{\"code\":\"429\",\"message\":\"busy\"}}");
          } else {
            resp.setChunked(true).putHeader("content-type", "text/event-stream").write(Http.CHUNK);
            heldStreams.add(resp);
          }
        }))
        .listen(0, "127.0.0.1").await();
    scriptedUrl = "http://127.0.0.1:" + scripted.actualPort();
    write(config("", 50));
    world.gateway(ConfigLoader.load(file));
    world.gateway.reloadFrom(file, java.util.function.UnaryOperator.identity(),
        test.getTags().contains("watch") ? Duration.ofSeconds(1) : Duration.ZERO);
    key = world.gateway.keys().orElseThrow().create("app", Instant.now()).plaintext();
  }

  @AfterEach
  void stop() {
    world.close();
  }

  /** The config file: gpt-4o over a backend that answers 429 (Retry-After 60 s) and the simulator; then {@code extraModels}. */
  private String config(String extraModels, int requestsPerMinute) {
    return """
        server:
          listen: 127.0.0.1:0
        models:
          gpt-4o:
            strategy: priority
            backends:
              - { id: busy, url: "%1$s", deployment: busy, tier: payg, priority: 1, auth: { apiKey: %3$s } }
              - { id: sim-a, url: "%2$s", deployment: sim-a, tier: payg, priority: 2, auth: { apiKey: %3$s } }
        %4$s
        consumers:
          - id: app
            team: t
            models: ["*"]
            limits: { requestsPerMinute: %5$d }
        auth:
          keyStore: keys.json
          keyPepper: pepper-0123456789abcdef
        admin:
          apiKey: %6$s
        """.formatted(scriptedUrl, world.simUrl(), Backends.BACKEND_KEY, extraModels, requestsPerMinute, ADMIN_KEY);
  }

  private String withModel(String name, String id, String url, String deployment) {
    return """
          %s:
            backends:
              - { id: %s, url: "%s", deployment: %s, tier: payg, auth: { apiKey: %s } }
        """.formatted(name, id, url, deployment, Backends.BACKEND_KEY);
  }

  private void write(String yaml) throws Exception {
    Files.writeString(file, yaml);
  }

  private HttpResponse<String> chat(String model) throws Exception {
    return Http.post(world.url("/v1/chat/completions"), Http.chat(model, false), Map.of("api-key", key));
  }

  private HttpResponse<String> reload(Map<String, String> headers) throws Exception {
    return Http.send("POST", world.url("/admin/reload"), null, headers);
  }

  private HttpResponse<String> reload() throws Exception {
    return reload(Map.of("api-key", ADMIN_KEY));
  }

  @Test
  void anAddedModelServesAfterTheAdminReloadAndARemovedOneIsModelNotFound() throws Exception {
    assertThat(chat("gpt-4o-mini").statusCode()).isEqualTo(404);

    write(config(withModel("gpt-4o-mini", "sim-b", world.simUrl(), "sim-b"), 50));
    HttpResponse<String> reloaded = reload();

    assertThat(reloaded.statusCode()).isEqualTo(200);
    JsonNode answer = Http.json(reloaded);
    assertThat(answer.path("reloaded").asBoolean()).isTrue();
    assertThat(answer.path("generation").asLong()).isEqualTo(2);
    assertThat(answer.path("changes").toString()).contains("models.gpt-4o-mini added");
    HttpResponse<String> mini = chat("gpt-4o-mini");
    assertThat(mini.statusCode()).isEqualTo(200);
    assertThat(mini.headers().firstValue("x-spillway-backend")).contains("sim-b");
    assertThat(Http.send("GET", world.url("/v1/models"), null, Map.of("api-key", key)).body()).contains("gpt-4o-mini");

    write(config("", 50));
    assertThat(reload().statusCode()).isEqualTo(200);

    HttpResponse<String> gone = chat("gpt-4o-mini");
    assertThat(gone.statusCode()).isEqualTo(404);
    JsonNode error = Http.json(gone).path("error");
    assertThat(error.path("code").asText()).isEqualTo("model_not_found");
    assertThat(error.path("param").asText()).isEqualTo("model");
    assertThat(error.has("type")).isTrue();
    assertThat(chat("gpt-4o").statusCode()).isEqualTo(200);
    assertThat(world.gateway.configGeneration()).isEqualTo(3);
    assertThat(Http.get(world.url("/metrics")).body()).as("the removed backend's gauges go")
        .contains("spillway_backend_inflight{gen_ai_request_model=\"gpt-4o\"")
        .doesNotContain("spillway_backend_inflight{gen_ai_request_model=\"gpt-4o-mini\"");
  }

  @Test
  void aChangedLimitIsInForceForTheNextRequest() throws Exception {
    assertThat(chat("gpt-4o").headers().firstValue("x-ratelimit-limit-requests")).contains("50");

    write(config("", 7));
    HttpResponse<String> reloaded = reload();

    assertThat(Http.json(reloaded).path("changes").toString()).contains("consumers.app changed");
    assertThat(chat("gpt-4o").headers().firstValue("x-ratelimit-limit-requests")).contains("7");
  }

  @Test
  void theReloadIsForAdminsOnly() throws Exception {
    write(config(withModel("gpt-4o-mini", "sim-b", world.simUrl(), "sim-b"), 50));

    HttpResponse<String> refused = reload(Map.of());

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(Http.json(refused).path("error").has("code")).isTrue();
    assertThat(chat("gpt-4o-mini").statusCode()).isEqualTo(404);
    assertThat(world.gateway.configGeneration()).isEqualTo(1);
  }

  @Test
  void aStreamStartedBeforeAReloadThatRemovesItsModelCompletesUnaffected() throws Exception {
    write(config(withModel("held", "scripted", scriptedUrl, "held"), 50));
    assertThat(reload().statusCode()).isEqualTo(200);
    HttpRequest streamRequest = HttpRequest.newBuilder(URI.create(world.url("/v1/chat/completions")))
        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json").header("api-key", key)
        .POST(HttpRequest.BodyPublishers.ofString(Http.chat("held", true))).build();
    CompletableFuture<HttpResponse<String>> stream = CLIENT.sendAsync(streamRequest, HttpResponse.BodyHandlers.ofString());
    TestWorld.await("the scripted backend holds the stream", () -> heldStreams.size() == 1);

    write(config("", 50));
    JsonNode answer = Http.json(reload());
    assertThat(answer.path("changes").toString()).contains("models.held removed");
    assertThat(chat("held").statusCode()).isEqualTo(404);
    assertThat(stream).isNotDone();

    HttpServerResponse upstream = heldStreams.poll();
    upstream.write(Http.CHUNK);
    upstream.write(Http.CHUNK).compose(v -> upstream.end("data: [DONE]\n\n"));

    HttpResponse<String> finished = stream.get(10, TimeUnit.SECONDS);
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.headers().firstValue("x-spillway-backend")).contains("scripted");
    assertThat(finished.body().split("\"content\":\"tok \"", -1)).hasSize(4);
    assertThat(finished.body()).endsWith("data: [DONE]\n\n");
  }

  @Test
  void aThrottledBackendStaysThrottledAcrossAReloadThatKeepsIt() throws Exception {
    HttpResponse<String> first = chat("gpt-4o");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-spillway-backend")).contains("sim-a");
    long throttledFor = world.gateway.pools().get("gpt-4o").backend("busy").orElseThrow()
        .nanosUntilAvailable(System.nanoTime());
    assertThat(throttledFor).isGreaterThan(Duration.ofSeconds(50).toNanos());
    int busyCallsBefore = busyCalls();

    write(config(withModel("gpt-4o-mini", "sim-b", world.simUrl(), "sim-b"), 50));
    assertThat(Http.json(reload()).path("generation").asLong()).isEqualTo(2);

    assertThat(world.gateway.pools().get("gpt-4o").backend("busy").orElseThrow().isThrottled(System.nanoTime())).isTrue();
    HttpResponse<String> after = chat("gpt-4o");
    assertThat(after.statusCode()).isEqualTo(200);
    assertThat(after.headers().firstValue("x-spillway-backend")).contains("sim-a");
    assertThat(busyCalls()).as("the throttled backend is not called again").isEqualTo(busyCallsBefore);
    JsonNode dashboard = Http.json(Http.get(world.url("/dashboard/api/stats"))).path("backends");
    java.util.Map<String, JsonNode> rows = new java.util.HashMap<>();
    dashboard.forEach(row -> rows.put(row.path("id").asText(), row));
    assertThat(rows).containsKeys("busy", "sim-a", "sim-b");
    assertThat(rows.get("busy").path("throttledForMs").asLong()).isGreaterThan(50_000);
    assertThat(rows.get("sim-b").path("model").asText()).isEqualTo("gpt-4o-mini");
  }

  /** Calls the gateway made to the backend that answers 429, from its attempt records. */
  private int busyCalls() {
    return (int) world.listener.attempts.stream().filter(a -> a.backend().id().equals("busy")).count();
  }

  @Test
  void anInvalidFileKeepsTheOldConfigAndEveryProblemIsReportedWithKeyAndLine() throws Exception {
    String valid = config("", 50);
    String invalid = valid.replace("tier: payg, priority: 2", "tier: purple, priority: 2")
        .replace("  keyStore: keys.json", "  keyStore: keys.json\n  keyStorr: typo.json");
    write(invalid);

    HttpResponse<String> refused = reload();

    assertThat(refused.statusCode()).isEqualTo(422);
    JsonNode answer = Http.json(refused);
    assertThat(answer.path("reloaded").asBoolean()).isFalse();
    assertThat(answer.path("generation").asLong()).isEqualTo(1);
    JsonNode problems = answer.path("problems");
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0).path("key").asText()).contains("backends[1].tier");
    assertThat(problems.get(0).path("line").asInt()).isEqualTo(lineOf(invalid, "tier: purple"));
    assertThat(problems.get(1).path("key").asText()).contains("keyStorr");
    assertThat(problems.get(1).path("line").asInt()).isEqualTo(lineOf(invalid, "keyStorr"));
    assertThat(answer.toString()).doesNotContain(Backends.BACKEND_KEY);

    assertThat(chat("gpt-4o").statusCode()).isEqualTo(200);
    JsonNode ready = Http.json(Http.get(world.url("/readyz")));
    assertThat(ready.path("status").asText()).isEqualTo("ready");
    assertThat(ready.path("config").asText()).isEqualTo("invalid");
    assertThat(ready.path("configProblems")).hasSize(2);
    assertThat(ready.path("configProblems").get(0).path("line").asInt()).isEqualTo(lineOf(invalid, "tier: purple"));
    String metrics = Http.get(world.url("/metrics")).body();
    assertThat(metrics).contains("spillway_config_valid 0.0");
    assertThat(metrics).contains("spillway_config_reload_total{result=\"invalid\"} 1.0");
    assertThat(metrics).contains("spillway_config_generation 1.0");

    write(config(withModel("gpt-4o-mini", "sim-b", world.simUrl(), "sim-b"), 50));
    assertThat(reload().statusCode()).isEqualTo(200);

    assertThat(Http.json(Http.get(world.url("/readyz"))).path("config").asText()).isEqualTo("ok");
    assertThat(Http.json(Http.get(world.url("/readyz"))).has("configProblems")).isFalse();
    String after = Http.get(world.url("/metrics")).body();
    assertThat(after).contains("spillway_config_valid 1.0");
    assertThat(after).contains("spillway_config_reload_total{result=\"ok\"} 1.0");
    assertThat(after).contains("spillway_config_generation 2.0");
    assertThat(after).contains("spillway_backend_inflight{gen_ai_request_model=\"gpt-4o-mini\",spillway_backend=\"sim-b\"");
  }

  @Test
  void aPipelineTheGatewayCannotBuildIsRefusedWithItsLineAndTheOldOneServes() throws Exception {
    String invalid = config("", 50) + "pipeline: [authenticate, models, parse, nonsense, forward]\n";
    write(invalid);

    HttpResponse<String> refused = reload();

    assertThat(refused.statusCode()).isEqualTo(422);
    JsonNode problem = Http.json(refused).path("problems").get(0);
    assertThat(problem.path("key").asText()).startsWith("pipeline");
    assertThat(problem.path("line").asInt()).isEqualTo(lineOf(invalid, "nonsense"));
    assertThat(problem.path("message").asText()).contains("nonsense");
    assertThat(chat("gpt-4o").statusCode()).isEqualTo(200);
    assertThat(world.gateway.configGeneration()).isEqualTo(1);
  }

  @Test
  void aChangeThatNeedsARestartIsReportedAndLeftAsItRuns() throws Exception {
    write(config("", 50).replace("  listen: 127.0.0.1:0", "  listen: 127.0.0.1:0\n  maxBodyBytes: 2KiB"));

    JsonNode answer = Http.json(reload());

    assertThat(answer.path("reloaded").asBoolean()).isFalse();
    assertThat(answer.path("needsRestart").toString()).contains("server");
    String big = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(4_000) + "\"}]}";
    assertThat(Http.post(world.url("/v1/chat/completions"), big, Map.of("api-key", key)).statusCode()).isEqualTo(200);
    assertThat(Http.json(Http.get(world.url("/readyz"))).path("configNeedsRestart").toString()).contains("server");
  }

  @Test
  void requestsUnderWayWhileTheConfigIsReloadedAgainAndAgainAllSucceed() throws Exception {
    write(config("", 1_000_000));
    assertThat(reload().statusCode()).isEqualTo(200);
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.List<Integer> statuses = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Thread> clients = new java.util.ArrayList<>();
    for (int c = 0; c < 4; c++) {
      clients.add(Thread.ofVirtual().start(() -> {
        while (running.get()) {
          try {
            statuses.add(chat("gpt-4o").statusCode());
          } catch (Exception failed) {
            statuses.add(-1);
          }
        }
      }));
    }
    long[] reloadNanos = new long[20];
    for (int i = 0; i < reloadNanos.length; i++) {
      write(i % 2 == 0 ? config(withModel("gpt-4o-mini", "sim-b", world.simUrl(), "sim-b"), 1_000_000 + i) : config("", 1_000_000 + i));
      long t0 = System.nanoTime();
      assertThat(reload().statusCode()).isEqualTo(200);
      reloadNanos[i] = System.nanoTime() - t0;
    }
    running.set(false);
    for (Thread t : clients) {
      t.join(10_000);
    }

    assertThat(world.gateway.configGeneration()).isEqualTo(22);
    assertThat(statuses).hasSizeGreaterThan(20).containsOnly(200);
    java.util.Arrays.sort(reloadNanos);
    System.out.printf("20 reloads under %d requests: median %.1f ms, max %.1f ms%n", statuses.size(),
        reloadNanos[10] / 1e6, reloadNanos[19] / 1e6);
  }

  @Test
  @org.junit.jupiter.api.Tag("watch")
  void theFileWatchReloadsAnEditedFileWithoutBeingAsked() throws Exception {
    write(config(withModel("gpt-4o-mini", "sim-b", world.simUrl(), "sim-b"), 50));

    TestWorld.await("the edited file is in force", () -> world.gateway.configGeneration() == 2);

    assertThat(chat("gpt-4o-mini").statusCode()).isEqualTo(200);
  }

  private static int lineOf(String text, String fragment) {
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].contains(fragment)) {
        return i + 1;
      }
    }
    throw new AssertionError(fragment + " not in the text");
  }
}
