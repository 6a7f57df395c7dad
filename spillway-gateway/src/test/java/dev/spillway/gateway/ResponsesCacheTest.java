package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.cache.CacheStatus;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Responses API in the response cache, end to end through a gateway in front of the simulator: only {@code store:
 * false} requests are cached (a stored response's id must be the backend's), a hit answers as JSON or as the Responses
 * event stream, a stream's {@code response.completed} is what is kept, a rephrased question hits the semantic layer,
 * and a chat completion's answer is never handed to a Responses caller.
 */
class ResponsesCacheTest {
  private static final String HEADER = "x-spillway-cache";

  @TempDir
  Path dir;
  private TestWorld world;
  private String key;

  @BeforeEach
  void start() {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("gpt-4o", 10_000_000, 100_000)));
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: sim, url: "%s", deployment: gpt-4o, auth: { apiKey: %s }, tier: payg }
        cache: { ttl: 10m, varyBy: consumer, semantic: {} }
        consumers:
          - { id: alice, team: red, models: ["*"] }
        auth:
          keyStore: %s
          keyPepper: pepper-0123456789abcdef
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, dir.resolve("keys.json"));
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
    KeyStore store = world.gateway.keys().orElseThrow();
    key = store.create("alice", Instant.now()).plaintext();
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private long backendCalls() {
    return world.simulator.stats().total().requests();
  }

  private static String responses(String input, String extra) {
    return "{\"model\":\"gpt-4o\",\"temperature\":0,\"instructions\":\"Be brief.\","
        + "\"input\":\"" + input + "\"" + extra + "}";
  }

  private HttpResponse<String> ask(String path, String body) throws Exception {
    HttpResponse<String> r = Http.post(world.url(path), body, Map.of("api-key", key));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  private static String cache(HttpResponse<String> r) {
    return r.headers().firstValue(HEADER).orElse("(none)");
  }

  private static List<JsonNode> events(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: {")) {
        out.add(Http.JSON.readTree(line.substring(6)));
      }
    }
    return out;
  }

  @Test
  void aResponseNotStoredByTheBackendIsCachedAndAHitIsBookedWithWhatItSaved() throws Exception {
    String body = responses("What is a PTU?", ",\"store\":false");
    HttpResponse<String> first = ask("/v1/responses", body);
    world.listener.nextRequest();
    HttpResponse<String> second = ask("/v1/responses", body);
    RequestOutcome hit = world.listener.nextRequest();

    assertThat(cache(first)).isEqualTo("MISS");
    assertThat(cache(second)).isEqualTo("HIT");
    assertThat(Http.json(second)).isEqualTo(Http.json(first));
    assertThat(Http.json(second).path("status").asText()).isEqualTo("completed");
    assertThat(backendCalls()).isEqualTo(1);
    assertThat(hit.cache().status()).isEqualTo(CacheStatus.HIT);
    assertThat(hit.cache().saved().orElseThrow().completionTokens())
        .isEqualTo(Http.json(first).path("usage").path("output_tokens").asLong())
        .isPositive();

    // One cut at its output limit is kept as well, as a chat completion's "length" is: the same request is cut alike.
    String cut = responses("What is a PTU?", ",\"store\":false,\"max_output_tokens\":16");
    HttpResponse<String> cutFirst = ask("/v1/responses", cut);
    assertThat(Http.json(cutFirst).path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
    assertThat(cache(cutFirst)).isEqualTo("MISS");
    assertThat(cache(ask("/v1/responses", cut))).isEqualTo("HIT");
    assertThat(backendCalls()).isEqualTo(2);
  }

  @Test
  void aResponseTheBackendStoresOrRunsInTheBackgroundIsNeverCached() throws Exception {
    // store defaults to true in the Responses API: its id must be the backend's, so no cache.
    for (String extra : List.of("", ",\"store\":true", ",\"store\":false,\"background\":true")) {
      String body = responses("Name a river.", extra);
      HttpResponse<String> r = Http.post(world.url("/v1/responses"), body, Map.of("api-key", key));
      assertThat(cache(r)).as(extra).isEqualTo("BYPASS");
    }
    String stored = responses("Name a river.", "");
    ask("/v1/responses", stored);
    assertThat(cache(ask("/v1/responses", stored))).isEqualTo("BYPASS");
  }

  @Test
  void aStreamedResponseIsKeptFromItsCompletedEventAndReplayedAsTheEventStream() throws Exception {
    String body = responses("Explain spillover.", ",\"store\":false");
    HttpResponse<String> streamed = ask("/v1/responses", body.substring(0, body.length() - 1) + ",\"stream\":true}");
    assertThat(cache(streamed)).isEqualTo("MISS");
    List<JsonNode> live = events(streamed.body());
    JsonNode completed = live.get(live.size() - 1);
    assertThat(completed.path("type").asText()).isEqualTo("response.completed");

    HttpResponse<String> asJson = ask("/v1/responses", body);
    assertThat(cache(asJson)).isEqualTo("HIT");
    assertThat(Http.json(asJson)).isEqualTo(completed.path("response"));

    HttpResponse<String> replay = ask("/v1/responses", body.substring(0, body.length() - 1) + ",\"stream\":true}");
    assertThat(cache(replay)).isEqualTo("HIT");
    assertThat(replay.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    List<JsonNode> events = events(replay.body());
    assertThat(events.get(0).path("type").asText()).isEqualTo("response.created");
    assertThat(events.get(0).path("response").path("status").asText()).isEqualTo("in_progress");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
      if (events.get(i).path("type").asText().equals("response.output_text.delta")) {
        text.append(events.get(i).path("delta").asText());
      }
    }
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.path("type").asText()).isEqualTo("response.completed");
    assertThat(last.path("response")).isEqualTo(completed.path("response"));
    assertThat(text.toString()).isEqualTo(completed.path("response").path("output").get(0).path("content").get(0)
        .path("text").asText()).isNotEmpty();
    assertThat(backendCalls()).isEqualTo(1);
  }

  @Test
  void aRephrasedQuestionHitsTheSemanticLayerAndChatAnswersStayWithChat() throws Exception {
    ask("/v1/responses", responses("How do I reset my password?", ",\"store\":false"));
    HttpResponse<String> rephrased = ask("/v1/responses", responses("How can I reset my password?", ",\"store\":false"));
    assertThat(cache(rephrased)).isEqualTo("SEMANTIC_HIT");
    assertThat(rephrased.headers().firstValue("x-spillway-cache-similarity")).isPresent();
    assertThat(Http.json(rephrased).path("object").asText()).isEqualTo("response");

    // The same question as a chat completion is another API: its own miss, never the response's answer.
    String chat = "{\"model\":\"gpt-4o\",\"temperature\":0,\"max_tokens\":20,\"messages\":[{\"role\":\"system\","
        + "\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"How do I reset my password?\"}]}";
    HttpResponse<String> asChat = ask("/v1/chat/completions", chat);
    assertThat(cache(asChat)).isEqualTo("MISS");
    assertThat(Http.json(asChat).path("object").asText()).isEqualTo("chat.completion");
    assertThat(backendCalls()).isEqualTo(2);
  }
}
