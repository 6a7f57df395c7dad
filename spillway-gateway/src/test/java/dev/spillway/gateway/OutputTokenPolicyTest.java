package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The output-token policy ({@code maxTokens}) end to end: what reaches the backend, what the client is told, and what
 * the consumer's token limit reserves. The backend is a recorder on loopback.
 */
class OutputTokenPolicyTest {
  private static final String APPLIED = "x-spillway-max-tokens-applied";

  private TestWorld world;
  private HttpServer recorder;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private Path dir;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("spillway-maxtokens");
    world = new TestWorld();
    recorder =
        world.vertx.createHttpServer()
            .requestHandler(req -> req.body().onSuccess(b -> {
              received.add(new io.vertx.core.json.JsonObject(b).mapTo(JsonNode.class));
              req.response().putHeader("content-type", "application/json")
                  .end("{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[],"
                      + "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7,\"total_tokens\":12}}");
            }))
            .listen(0, "127.0.0.1")
            .await();
  }

  @AfterEach
  void stop() {
    recorder.close().await();
    world.close();
  }

  /** The gateway: default 100, cap 500 for everyone; {@code strict} refuses over 50; {@code limited} has 1,000 tokens a minute. */
  private String config(String pipeline) {
    return """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: rec, url: "http://127.0.0.1:%d", deployment: gpt-4o, auth: { apiKey: k }, tier: payg }
        maxTokens: { default: 100, cap: 500 }
        consumers:
          - { id: app, team: t, models: ["*"] }
          - { id: strict, team: t, models: ["*"], maxTokens: { cap: 50, onOverCap: refuse } }
          - { id: limited, team: t, models: ["*"], limits: { tokensPerMinute: 1000 } }
        auth:
          keyStore: %s
          keyPepper: pepper-0123456789abcdef
        %s
        """.formatted(recorder.actualPort(), dir.resolve("keys.json"), pipeline);
  }

  private String keyFor(String consumer) {
    KeyStore keys = world.gateway.keys().orElseThrow();
    return keys.create(consumer, Instant.now()).plaintext();
  }

  private HttpResponse<String> chat(String key, String limits) throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]" + limits + "}";
    return Http.post(world.url("/v1/chat/completions"), body, Map.of("api-key", key));
  }

  private void startGateway(String pipeline) {
    SpillwayConfig config = ConfigLoader.parse(config(pipeline), "spillway.yaml", name -> null);
    world.gateway(config);
  }

  @Test
  void aRequestWithoutAnOutputLimitGetsTheDefault() throws Exception {
    startGateway("");
    HttpResponse<String> r = chat(keyFor("app"), "");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(APPLIED)).hasValue("100");
    assertThat(received).hasSize(1);
    assertThat(received.get(0).path("max_completion_tokens").asLong()).isEqualTo(100);
    assertThat(received.get(0).has("max_tokens")).isFalse();
  }

  @Test
  void aRequestOverTheCapIsLoweredToIt() throws Exception {
    startGateway("");
    HttpResponse<String> r = chat(keyFor("app"), ",\"max_tokens\":2000");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(APPLIED)).hasValue("500");
    assertThat(received.get(0).path("max_tokens").asLong()).isEqualTo(500);
  }

  @Test
  void aRequestWithinTheCapGoesAsSentWithoutTheHeader() throws Exception {
    startGateway("");
    HttpResponse<String> r = chat(keyFor("app"), ",\"max_tokens\":200");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(APPLIED)).isEmpty();
    assertThat(received.get(0).path("max_tokens").asLong()).isEqualTo(200);
  }

  @Test
  void aConsumerInRefuseModeGets400NamingTheParameterAndTheBackendIsNotCalled() throws Exception {
    startGateway("");
    String key = keyFor("strict");
    HttpResponse<String> r = chat(key, ",\"max_completion_tokens\":60");

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = Http.json(r).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("param").asText()).isEqualTo("max_completion_tokens");
    assertThat(error.path("message").asText()).contains("at most 50");
    assertThat(received).isEmpty();

    // Its own cap also bounds the gateway's default: 100 is lowered to 50.
    HttpResponse<String> defaulted = chat(key, "");
    assertThat(defaulted.statusCode()).isEqualTo(200);
    assertThat(defaulted.headers().firstValue(APPLIED)).hasValue("50");
    assertThat(received.get(0).path("max_completion_tokens").asLong()).isEqualTo(50);
  }

  @Test
  void theLimiterReservesTheCappedAmount() throws Exception {
    startGateway("");
    // 5,000 output tokens would not fit a 1,000-token minute; capped to 500 they do.
    HttpResponse<String> r = chat(keyFor("limited"), ",\"max_tokens\":5000");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue(APPLIED)).hasValue("500");
    long remaining = Long.parseLong(r.headers().firstValue("x-ratelimit-remaining-tokens").orElseThrow());
    // 1,000 minus the reservation: the prompt (a handful of tokens) plus the capped 500.
    assertThat(remaining).isBetween(400L, 499L);
  }

  @Test
  void withoutTheStageInThePipelineTheSameRequestIsRefusedByTheLimit() throws Exception {
    startGateway("pipeline: [authenticate, models, parse, authorizeModel, estimateTokens, limits, forward, metering]");
    HttpResponse<String> r = chat(keyFor("limited"), ",\"max_tokens\":5000");

    assertThat(r.statusCode()).isIn(403, 429);
    assertThat(r.headers().firstValue(APPLIED)).isEmpty();
    assertThat(received).isEmpty();
  }

  @Test
  void settingsAreCheckedAtLoadWithKeyAndLine() {
    String yaml = """
        models:
          gpt-4o:
            backends:
              - { id: rec, url: "http://127.0.0.1:9", deployment: gpt-4o, tier: payg }
        maxTokens:
          default: 900
          cap: 500
          onOverCap: drop
          maximum: 3
        """;
    Assertions.assertThatThrownBy(() -> ConfigLoader.parse(yaml, "spillway.yaml", name -> null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("spillway.yaml:9: maxTokens.maximum: unknown key")
        .hasMessageContaining("spillway.yaml:8: maxTokens.onOverCap: must be one of lower, refuse")
        .hasMessageContaining("spillway.yaml:6: maxTokens.default: must not exceed cap (500), got 900");
  }
}
