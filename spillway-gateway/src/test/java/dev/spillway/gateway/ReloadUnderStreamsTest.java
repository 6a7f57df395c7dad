package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.ConfigLoader;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's hot reload acceptance: while 50 streams run, the config file gains a backend, loses one that some of those
 * streams are on, and changes a limit; the reload is in force for the next request, and none of the 50 is dropped —
 * each gets every token its backend sends and its {@code [DONE]}. Then an invalid file keeps that config and says why.
 * The backends are one scripted server on loopback that holds every stream open until the test ends it.
 */
class ReloadUnderStreamsTest {
  private static final String ADMIN_KEY = "admin-key-0123456789abcdef";
  private static final int STREAMS = 50;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  private TestWorld world;
  private Path file;
  private String backendUrl;
  private String key;
  /** Every stream the scripted backend holds open, with the deployment it was sent to. */
  private final Map<HttpServerResponse, String> held = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws Exception {
    world = new TestWorld();
    HttpServer backend = world.vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(body -> {
          String deployment = req.path().replaceAll(".*/deployments/([^/]+)/.*", "$1");
          HttpServerResponse resp = req.response();
          if (body.toString().contains("\"stream\":true")) {
            resp.setChunked(true).putHeader("content-type", "text/event-stream").write(Http.CHUNK);
            held.put(resp, deployment);
          } else {
            resp.putHeader("content-type", "application/json").end("""
                {"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,\
                "message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}""");
          }
        }))
        .listen(0, "127.0.0.1").await();
    backendUrl = "http://127.0.0.1:" + backend.actualPort();
    file = Files.createTempDirectory("spillway-reload-streams").resolve("spillway.yaml");
    Files.writeString(file, config(List.of("one", "two"), 1_000));
    world.gateway(ConfigLoader.load(file));
    world.gateway.reloadFrom(file, UnaryOperator.identity(), Duration.ZERO); // no watch: reloaded through the admin API
    key = world.gateway.keys().orElseThrow().create("app", Instant.now()).plaintext();
  }

  @AfterEach
  void stop() {
    world.close();
  }

  /** gpt-4o over the scripted {@code backends}, in turn; consumer {@code app} limited to {@code requestsPerMinute}. */
  private String config(List<String> backends, int requestsPerMinute) {
    StringBuilder list = new StringBuilder();
    for (String id : backends) {
      list.append("      - { id: %1$s, url: \"%2$s\", deployment: %1$s, tier: payg, auth: { apiKey: %3$s } }\n"
          .formatted(id, backendUrl, Backends.BACKEND_KEY));
    }
    return """
        server:
          listen: 127.0.0.1:0
        ledger: off
        models:
          gpt-4o:
            strategy: round-robin
            backends:
        %1$sconsumers:
          - { id: app, team: t, models: ["*"], limits: { requestsPerMinute: %2$d } }
        auth:
          keyStore: keys.json
          keyPepper: pepper-0123456789abcdef
        admin:
          apiKey: %3$s
        """.formatted(list, requestsPerMinute, ADMIN_KEY);
  }

  private HttpResponse<String> reload() throws Exception {
    return Http.send("POST", world.url("/admin/reload"), null, Map.of("api-key", ADMIN_KEY));
  }

  private HttpResponse<String> chat() throws Exception {
    return Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false), Map.of("api-key", key));
  }

  @Test
  void aBackendAddedOneRemovedAndALimitChangedWhileFiftyStreamsRunDropsNoneAndAnInvalidFileKeepsTheConfig()
      throws Exception {
    List<CompletableFuture<HttpResponse<String>>> streams = new ArrayList<>();
    for (int i = 0; i < STREAMS; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create(world.url("/v1/chat/completions")))
          .timeout(Duration.ofSeconds(60)).header("content-type", "application/json").header("api-key", key)
          .POST(HttpRequest.BodyPublishers.ofString(Http.chat("gpt-4o", true))).build();
      streams.add(CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    TestWorld.await("the backends hold all 50 streams", () -> held.size() == STREAMS);
    long onTwo = held.values().stream().filter("two"::equals).count();
    assertThat(onTwo).as("streams on the backend the reload removes").isBetween(1L, STREAMS - 1L);

    // The reload: "three" added, "two" (under some of the streams) removed, the consumer's limit lowered.
    Files.writeString(file, config(List.of("one", "three"), 900));
    HttpResponse<String> reloaded = reload();
    assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
    JsonNode answer = Http.json(reloaded);
    assertThat(answer.path("reloaded").asBoolean()).isTrue();
    assertThat(answer.path("changes").toString()).contains("gpt-4o", "consumers.app changed");
    assertThat(streams).as("no stream ended by the reload").noneMatch(CompletableFuture::isDone);

    // In force for the next requests: in turn over one and three, never two; the new limit in the headers.
    Set<String> usedAfter = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = chat();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      usedAfter.add(r.headers().firstValue("x-spillway-backend").orElse("?"));
      assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).contains("900");
    }
    assertThat(usedAfter).containsExactlyInAnyOrder("one", "three");

    // The backends go on with every stream: three more tokens each, then the end.
    for (int k = 0; k < 3; k++) {
      held.keySet().forEach(resp -> resp.write(Http.CHUNK));
      Thread.sleep(100);
    }
    held.keySet().forEach(resp -> resp.end("data: [DONE]\n\n"));
    int onRemoved = 0;
    for (CompletableFuture<HttpResponse<String>> stream : streams) {
      HttpResponse<String> finished = stream.get(30, TimeUnit.SECONDS);
      assertThat(finished.statusCode()).isEqualTo(200);
      assertThat(finished.body().split("\"content\":\"tok \"", -1)).as("all four tokens").hasSize(5);
      assertThat(finished.body()).doesNotContain("error").endsWith("data: [DONE]\n\n");
      if (finished.headers().firstValue("x-spillway-backend").orElseThrow().equals("two")) {
        onRemoved++;
      }
    }
    assertThat(onRemoved).as("streams on the removed backend that finished whole").isEqualTo(onTwo);

    // An invalid file: refused with the reason, the config just loaded stays in force.
    String invalid = config(List.of("one", "three"), 900)
        .replace("deployment: three, tier: payg", "deployment: three, tier: gold");
    Files.writeString(file, invalid);
    HttpResponse<String> refused = reload();
    assertThat(refused.statusCode()).isEqualTo(422);
    JsonNode why = Http.json(refused);
    assertThat(why.path("reloaded").asBoolean()).isFalse();
    assertThat(why.path("generation").asLong()).isEqualTo(2);
    assertThat(why.path("problems").get(0).path("key").asText()).contains("backends[1].tier");
    assertThat(why.path("problems").get(0).path("message").asText()).isNotBlank();
    JsonNode ready = Http.json(Http.get(world.url("/readyz")));
    assertThat(ready.path("config").asText()).isEqualTo("invalid");
    assertThat(ready.path("configProblems").get(0).path("key").asText()).contains("backends[1].tier");
    Set<String> usedAfterInvalid = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> r = chat();
      assertThat(r.statusCode()).isEqualTo(200);
      usedAfterInvalid.add(r.headers().firstValue("x-spillway-backend").orElse("?"));
      assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).contains("900");
    }
    assertThat(usedAfterInvalid).containsExactlyInAnyOrder("one", "three");
    assertThat(world.gateway.configGeneration()).isEqualTo(2);
  }
}
