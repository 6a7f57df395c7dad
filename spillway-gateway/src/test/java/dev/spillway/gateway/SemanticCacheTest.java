package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The semantic layer end to end, with the in-process embedder, through a gateway in front of the simulator: a
 * rephrased question gets the first one's answer; a question whose words are close but whose meaning is not (the
 * opposite action, another number) does not; neither does another consumer's, nor a follow-up in another dialog.
 */
class SemanticCacheTest {
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
        cache: { ttl: 10m, varyBy: consumer, semantic: {} }
        consumers:
          - { id: alice, team: red, models: ["*"] }
          - { id: bob, team: red, models: ["*"] }
        auth:
          keyStore: %s
          keyPepper: pepper-0123456789abcdef
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, dir.resolve("keys.json"));
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
    KeyStore store = world.gateway.keys().orElseThrow();
    for (String consumer : List.of("alice", "bob")) {
      keys.put(consumer, store.create(consumer, Instant.now()).plaintext());
    }
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private static String chat(String question, String extra) {
    return "{\"model\":\"gpt-4o\",\"temperature\":0,\"max_tokens\":20,\"messages\":[{\"role\":\"system\",\"content\":"
        + "\"You are a help desk.\"},{\"role\":\"user\",\"content\":\"" + question + "\"}]" + extra + "}";
  }

  private HttpResponse<String> ask(String consumer, String body) throws Exception {
    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), body, Map.of("api-key", keys.get(consumer)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  private static String cache(HttpResponse<String> r) {
    return r.headers().firstValue(HEADER).orElse("(none)");
  }

  @Test
  void aRephrasedQuestionGetsTheFirstOnesAnswerWithItsSimilarity() throws Exception {
    HttpResponse<String> first = ask("alice", chat("How do I reset my password?", ""));
    HttpResponse<String> again = ask("alice", chat("How can I reset my password?", ""));

    assertThat(cache(first)).isEqualTo("MISS");
    assertThat(cache(again)).isEqualTo("SEMANTIC_HIT");
    double similarity = Double.parseDouble(again.headers().firstValue("x-spillway-cache-similarity").orElseThrow());
    assertThat(similarity).isBetween(0.5, 1.0);
    assertThat(Http.json(again).path("choices")).isEqualTo(Http.json(first).path("choices"));
    assertThat(world.simulator.stats().total().requests()).isEqualTo(1);
    // Streamed, the same answer is replayed as a stream.
    HttpResponse<String> streamed = ask("alice", chat("how do i reset my password", ",\"stream\":true"));
    assertThat(cache(streamed)).isEqualTo("SEMANTIC_HIT");
    assertThat(streamed.body()).contains("chat.completion.chunk").endsWith("data: [DONE]\n\n");
  }

  @Test
  void closeWordsWithAnotherMeaningAreNotAHit() throws Exception {
    assertThat(cache(ask("alice", chat("How do I enable two-factor authentication?", "")))).isEqualTo("MISS");
    assertThat(cache(ask("alice", chat("How do I disable two-factor authentication?", "")))).isEqualTo("MISS");
    assertThat(cache(ask("alice", chat("Can I get a refund within 30 days?", "")))).isEqualTo("MISS");
    assertThat(cache(ask("alice", chat("Can I get a refund within 60 days?", "")))).isEqualTo("MISS");
    assertThat(world.simulator.stats().total().requests()).isEqualTo(4);
  }

  @Test
  void anotherConsumersAnswerAndAnotherDialogsAreNeverGiven() throws Exception {
    ask("alice", chat("What is the capital of France?", ""));
    assertThat(cache(ask("bob", chat("What's the capital of France?", "")))).isEqualTo("MISS");
    String followUp = "{\"model\":\"gpt-4o\",\"temperature\":0,\"max_tokens\":20,\"messages\":[{\"role\":\"system\",\"content\":"
        + "\"You are a help desk.\"},{\"role\":\"user\",\"content\":\"Tell me about Germany.\"},{\"role\":\"assistant\","
        + "\"content\":\"Germany is a country in Europe.\"},{\"role\":\"user\",\"content\":\"What's the capital of France?\"}]}";
    assertThat(cache(ask("alice", followUp))).isEqualTo("MISS");
    assertThat(cache(ask("alice", chat("What's the capital of France?", "")))).isEqualTo("SEMANTIC_HIT");
  }
}
