package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.cache.CacheStatus;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.pipeline.policies.CachePolicy;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact layer of the response cache end to end, through a gateway in front of the simulator: what is stored (only
 * complete answers of cacheable requests), how a hit is answered (as JSON or replayed as a stream, in the shape asked
 * for), who may get it ({@code varyBy}), the controls ({@code Cache-Control}, a consumer's opt-out, the admin API's
 * invalidation) and what the outcome books.
 */
class ResponseCacheTest {
  private static final String HEADER = "x-spillway-cache";

  @TempDir
  Path dir;
  private TestWorld world;
  private final Map<String, String> keys = new HashMap<>();

  @BeforeEach
  void start() {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("gpt-4o", 10_000_000, 100_000)));
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: sim, url: "%s", deployment: gpt-4o, auth: { apiKey: %s }, tier: payg }
        cache: { ttl: 10m, varyBy: consumer }
        consumers:
          - { id: alice, team: red, models: ["*"] }
          - { id: bob, team: red, models: ["*"] }
          - { id: carol, team: blue, models: ["*"], cache: { enabled: false } }
        auth:
          keyStore: %s
          keyPepper: pepper-0123456789abcdef
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, dir.resolve("keys.json"));
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
    KeyStore store = world.gateway.keys().orElseThrow();
    for (String consumer : List.of("alice", "bob", "carol")) {
      keys.put(consumer, store.create(consumer, Instant.now()).plaintext());
    }
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private long backendCalls() {
    return world.simulator.stats().total().requests();
  }

  private static String chat(String question, String extra) {
    return "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"" + question + "\"}],\"max_tokens\":20" + extra + "}";
  }

  private HttpResponse<String> ask(String consumer, String body, Map<String, String> headers) throws Exception {
    Map<String, String> h = new HashMap<>(headers);
    h.put("api-key", keys.get(consumer));
    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), body, h);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  private HttpResponse<String> ask(String consumer, String body) throws Exception {
    return ask(consumer, body, Map.of());
  }

  private static String cacheHeader(HttpResponse<String> r) {
    return r.headers().firstValue(HEADER).orElse("(none)");
  }

  /** The text of every content delta of a stream, joined; asserts it ends with [DONE]. */
  private static String streamedText(String sse) throws Exception {
    StringBuilder text = new StringBuilder();
    assertThat(sse.strip()).endsWith("data: [DONE]");
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: {")) {
        for (JsonNode c : Http.JSON.readTree(line.substring(6)).path("choices")) {
          text.append(c.path("delta").path("content").asText(""));
        }
      }
    }
    return text.toString();
  }

  private List<JsonNode> events(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: {")) {
        out.add(Http.JSON.readTree(line.substring(6)));
      }
    }
    return out;
  }

  @Test
  void aRepeatedRequestIsAnsweredFromTheCacheWithoutCallingTheBackend() throws Exception {
    String body = chat("What is a PTU?", ",\"temperature\":0");
    HttpResponse<String> first = ask("alice", body);
    world.listener.nextRequest();
    HttpResponse<String> second = ask("alice", body);
    RequestOutcome hit = world.listener.nextRequest();

    assertThat(cacheHeader(first)).isEqualTo("MISS");
    assertThat(cacheHeader(second)).isEqualTo("HIT");
    assertThat(second.headers().firstValue(CachePolicy.KEY_HEADER)).isEqualTo(first.headers().firstValue(CachePolicy.KEY_HEADER));
    assertThat(Http.json(second)).isEqualTo(Http.json(first));
    assertThat(backendCalls()).isEqualTo(1);
    // The hit is booked as one, with the tokens it saved and none spent.
    assertThat(hit.cache().status()).isEqualTo(CacheStatus.HIT);
    assertThat(hit.cache().saved().orElseThrow().totalTokens())
        .isEqualTo(Http.json(first).path("usage").path("total_tokens").asLong())
        .isPositive();
    assertThat(hit.usage()).isEmpty();
    assertThat(hit.backend()).isEmpty();
    // And the metrics say so.
    String metrics = Http.get(world.url("/metrics")).body();
    assertThat(metrics)
        .contains("spillway_cache_requests_total{model=\"gpt-4o\",status=\"exact\"} 1.0")
        .contains("spillway_cache_requests_total{model=\"gpt-4o\",status=\"miss\"} 1.0")
        .contains("spillway_cache_saved_tokens_total{model=\"gpt-4o\",type=\"output\"} "
            + (double) hit.cache().saved().orElseThrow().completionTokens())
        .contains("spillway_cache_entries{layer=\"exact\"} 1.0");
  }

  @Test
  void theKeyIgnoresWhatDoesNotChangeTheAnswerAndKeepsWhatDoes() throws Exception {
    ask("alice", chat("Name a colour.", ",\"temperature\":0,\"user\":\"u1\""));
    // Another end user, the same question, keys in another order: the same answer.
    String reordered = "{\"temperature\":0.0,\"max_tokens\":20,\"user\":\"u2\",\"messages\":[{\"role\":\"system\",\"content\":"
        + "\"Be brief.\"},{\"role\":\"user\",\"content\":\"Name a colour.\"}],\"model\":\"gpt-4o\"}";
    assertThat(cacheHeader(ask("alice", reordered))).isEqualTo("HIT");
    // Another output limit, another seed, another system message: other answers.
    assertThat(cacheHeader(ask("alice", chat("Name a colour.", ",\"temperature\":0,\"max_tokens\":21")))).isEqualTo("MISS");
    assertThat(cacheHeader(ask("alice", chat("Name a colour.", ",\"temperature\":0,\"seed\":7")))).isEqualTo("MISS");
    assertThat(cacheHeader(ask("alice", chat("Name a colour.", ",\"temperature\":0").replace("Be brief.", "Be long."))))
        .isEqualTo("MISS");
    assertThat(backendCalls()).isEqualTo(4);
  }

  @Test
  void aStreamedAnswerIsStoredAssembledAndReplayedAsJsonOrAsTheStreamAskedFor() throws Exception {
    String question = chat("Explain spillover.", ",\"temperature\":0");
    HttpResponse<String> streamed = ask("alice", question.substring(0, question.length() - 1) + ",\"stream\":true}");
    assertThat(cacheHeader(streamed)).isEqualTo("MISS");
    String text = streamedText(streamed.body());
    assertThat(text).isNotEmpty();

    HttpResponse<String> asJson = ask("alice", question);
    assertThat(cacheHeader(asJson)).isEqualTo("HIT");
    assertThat(Http.json(asJson).path("choices").get(0).path("message").path("content").asText()).isEqualTo(text);
    assertThat(Http.json(asJson).path("choices").get(0).path("finish_reason").asText()).isIn("stop", "length");
    assertThat(Http.json(asJson).path("usage").path("total_tokens").asLong()).isPositive();

    String withUsage = question.substring(0, question.length() - 1) + ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
    HttpResponse<String> replay = ask("alice", withUsage);
    assertThat(cacheHeader(replay)).isEqualTo("HIT");
    assertThat(replay.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    assertThat(streamedText(replay.body())).isEqualTo(text);
    List<JsonNode> events = events(replay.body());
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.path("choices")).isEmpty();
    assertThat(last.path("usage").path("total_tokens").asLong()).isPositive();

    HttpResponse<String> replayNoUsage = ask("alice", question.substring(0, question.length() - 1) + ",\"stream\":true}");
    assertThat(cacheHeader(replayNoUsage)).isEqualTo("HIT");
    assertThat(events(replayNoUsage.body())).allSatisfy(e -> assertThat(e.path("usage").isMissingNode()).isTrue());
    assertThat(backendCalls()).isEqualTo(1);
  }

  @Test
  void aStreamCutByTheBackendIsNotStored() throws Exception {
    String body = chat("Tell a long story.", ",\"temperature\":0,\"stream\":true");
    HttpResponse<String> cut = Http.post(world.url("/v1/chat/completions"), body,
        Map.of("api-key", keys.get("alice"), "x-sim-fault", "midstream"));
    assertThat(cut.body()).doesNotContain("[DONE]");
    assertThat(cacheHeader(ask("alice", body))).isEqualTo("MISS");
    assertThat(cacheHeader(ask("alice", body))).isEqualTo("HIT");
    assertThat(backendCalls()).isEqualTo(2);
  }

  @Test
  void aRequestAboveTheTemperatureCeilingOrAskingToBeStoredIsNeitherLookedUpNorStored() throws Exception {
    String sampled = chat("Write a haiku.", "");
    assertThat(cacheHeader(ask("alice", sampled))).isEqualTo("BYPASS");
    assertThat(cacheHeader(ask("alice", sampled))).isEqualTo("BYPASS");
    String stored = chat("Write a haiku.", ",\"temperature\":0,\"store\":true");
    assertThat(cacheHeader(ask("alice", stored))).isEqualTo("BYPASS");
    assertThat(cacheHeader(ask("alice", stored))).isEqualTo("BYPASS");
    assertThat(backendCalls()).isEqualTo(4);
  }

  @Test
  void cacheControlSkipsTheLookupOrTheStore() throws Exception {
    String body = chat("What is PAYG?", ",\"temperature\":0");
    assertThat(cacheHeader(ask("alice", body, Map.of("cache-control", "no-store")))).isEqualTo("MISS");
    assertThat(cacheHeader(ask("alice", body))).isEqualTo("MISS"); // nothing was stored; this one is
    assertThat(cacheHeader(ask("alice", body, Map.of("cache-control", "no-cache")))).isEqualTo("MISS");
    assertThat(cacheHeader(ask("alice", body))).isEqualTo("HIT");
    assertThat(cacheHeader(ask("alice", body, Map.of("cache-control", "no-cache, no-store")))).isEqualTo("BYPASS");
    assertThat(backendCalls()).isEqualTo(4);
  }

  @Test
  void consumersNeverSeeEachOthersAnswersAndAConsumerMayOptOut() throws Exception {
    String body = chat("What is our revenue?", ",\"temperature\":0");
    HttpResponse<String> alice = ask("alice", body);
    HttpResponse<String> bob = ask("bob", body);
    assertThat(cacheHeader(alice)).isEqualTo("MISS");
    assertThat(cacheHeader(bob)).isEqualTo("MISS");
    assertThat(bob.headers().firstValue(CachePolicy.KEY_HEADER)).isNotEqualTo(alice.headers().firstValue(CachePolicy.KEY_HEADER));
    assertThat(cacheHeader(ask("bob", body))).isEqualTo("HIT");
    assertThat(cacheHeader(ask("carol", body))).isEqualTo("BYPASS");
    assertThat(cacheHeader(ask("carol", body))).isEqualTo("BYPASS");
    assertThat(backendCalls()).isEqualTo(4);
  }

  @Test
  void theAdminApiInvalidatesOneEntryOrAConsumersAndSaysHowMany() throws Exception {
    String one = chat("First question", ",\"temperature\":0");
    String two = chat("Second question", ",\"temperature\":0");
    String key = ask("alice", one).headers().firstValue(CachePolicy.KEY_HEADER).orElseThrow();
    ask("alice", two);
    ask("bob", two);
    assertThat(Http.json(Http.get(world.url("/admin/cache"))).path("exact").path("entries").asLong()).isEqualTo(3);

    HttpResponse<String> byKey = Http.send("DELETE", world.url("/admin/cache?key=" + key), null);
    assertThat(byKey.statusCode()).as(byKey.body()).isEqualTo(200);
    assertThat(Http.json(byKey).path("removed").asLong()).isEqualTo(1);
    assertThat(cacheHeader(ask("alice", one))).isEqualTo("MISS");

    HttpResponse<String> byConsumer = Http.send("DELETE", world.url("/admin/cache?consumer=alice"), null);
    assertThat(Http.json(byConsumer).path("removed").asLong()).isEqualTo(2);
    assertThat(cacheHeader(ask("bob", two))).isEqualTo("HIT");

    HttpResponse<String> wrong = Http.send("DELETE", world.url("/admin/cache?tenant=x"), null);
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(Http.json(wrong).path("error").path("param").asText()).isEqualTo("tenant");
  }
}
