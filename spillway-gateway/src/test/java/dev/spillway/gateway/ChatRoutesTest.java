package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.Tier;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChatRoutesTest {
  private TestWorld world;

  @BeforeEach
  void start() {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("sim-gpt-4o", 10_000_000, 100_000)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("payg-1", world.simUrl(), "sim-gpt-4o", Tier.PAYG, 1)))));
  }

  @AfterEach
  void stop() {
    world.close();
  }

  static String pathFor(String shape) {
    return switch (shape) {
      case "openai" -> "/v1/chat/completions";
      case "azure-classic" -> "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";
      case "azure-v1" -> "/openai/v1/chat/completions";
      default -> throw new IllegalArgumentException(shape);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "azure-classic", "azure-v1"})
  void chatCompletesThroughEveryRouteShape(String shape) throws Exception {
    // The client's own key is not the backend's: the gateway must replace it, or the simulator answers 401.
    HttpResponse<String> r = Http.post(world.url(pathFor(shape)), Http.chat("gpt-4o", false),
        Map.of("api-key", "client-key-not-for-backend", "x-request-id", "req-123"));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = Http.json(r);
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("choices").get(0).path("message").path("content").asText()).isNotBlank();
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isPositive();
    assertThat(r.headers().firstValue("x-spillway-backend")).contains("payg-1");
    assertThat(r.headers().firstValue("x-spillway-request-id")).isPresent();
    assertThat(r.headers().firstValue("x-ratelimit-remaining-tokens")).isPresent();
    assertThat(r.headers().firstValue("x-request-id")).contains("req-123");

    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(outcome.status()).isEqualTo(200);
    assertThat(outcome.usage()).isPresent();
    assertThat(outcome.usage().get().completionTokens()).isEqualTo(body.path("usage").path("completion_tokens").asLong());
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "azure-classic", "azure-v1"})
  void chatStreamsThroughEveryRouteShape(String shape) throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Stream please\"}],"
        + "\"max_tokens\":8,\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
    HttpResponse<String> r = Http.post(world.url(pathFor(shape)), body);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    List<JsonNode> chunks = new ArrayList<>();
    for (String line : r.body().split("\n")) {
      if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
        chunks.add(Http.JSON.readTree(line.substring(6)));
      }
    }
    assertThat(r.body().trim()).endsWith("data: [DONE]");
    JsonNode usageChunk = chunks.get(chunks.size() - 1);
    assertThat(usageChunk.path("usage").path("completion_tokens").asInt()).isEqualTo(8);

    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(outcome.stream()).isTrue();
    assertThat(outcome.usage()).isPresent();
    assertThat(outcome.usage().get().completionTokens()).isEqualTo(8);
    assertThat(outcome.usage().get().promptTokens()).isEqualTo(usageChunk.path("usage").path("prompt_tokens").asLong());
    assertThat(outcome.timeToFirstTokenNanos()).isPresent();
  }
}
