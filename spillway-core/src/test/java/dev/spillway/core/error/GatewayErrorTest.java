package dev.spillway.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class GatewayErrorTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void bodiesHaveTheOpenAiShape() throws Exception {
    JsonNode body = json.readTree(GatewayError.missingModel().toJson());
    assertThat(body.fieldNames()).toIterable().containsExactly("error");
    JsonNode error = body.get("error");
    assertThat(error.fieldNames()).toIterable().containsExactly("message", "type", "param", "code");
    assertThat(error.get("param").asText()).isEqualTo("model");
    assertThat(json.readTree(GatewayError.unknownRoute("GET", "/x").toJson()).get("error").get("param").isNull()).isTrue();
  }

  @Test
  void throttledPoolRoundsRetryAfterUpToWholeSeconds() {
    GatewayError e = GatewayError.allBackendsThrottled("gpt-4o", 1_001);
    assertThat(e.status()).isEqualTo(429);
    assertThat(e.headers()).containsEntry("Retry-After", "2").containsEntry("retry-after-ms", "1001");
    assertThat(GatewayError.allBackendsThrottled("gpt-4o", 0).headers()).containsEntry("Retry-After", "1");
    assertThat(e.message()).contains("gpt-4o");
  }

  @Test
  void statusesMatchTheFailure() {
    assertThat(List.of(
            GatewayError.invalidJson("x").status(),
            GatewayError.unknownModel("m").status(),
            GatewayError.methodNotAllowed("GET", "/v1/chat/completions", List.of("POST")).status(),
            GatewayError.bodyTooLarge(1).status(),
            GatewayError.upstreamUnreachable("m").status(),
            GatewayError.upstreamTimeout("m").status()))
        .containsExactly(400, 404, 405, 413, 502, 504);
    assertThat(GatewayError.methodNotAllowed("GET", "/p", List.of("POST")).headers()).containsEntry("Allow", "POST");
  }

  @Test
  void aFilteredPromptHasAzuresOwnShape() throws Exception {
    JsonNode result = json.readTree("{\"jailbreak\":{\"filtered\":true,\"detected\":true}}");
    GatewayError e = GatewayError.contentFiltered(result);
    JsonNode error = json.readTree(e.toJson()).path("error");
    assertThat(e.status()).isEqualTo(400);
    assertThat(error.path("code").asText()).isEqualTo("content_filter");
    assertThat(error.path("type").isNull()).isTrue();
    assertThat(error.path("param").asText()).isEqualTo("prompt");
    assertThat(error.path("status").asInt()).isEqualTo(400);
    assertThat(error.path("innererror").path("code").asText()).isEqualTo("ResponsibleAIPolicyViolation");
    assertThat(error.path("innererror").path("content_filter_result")).isEqualTo(result);
    // Headers added later keep the inner error.
    assertThat(json.readTree(e.withHeader("x-a", "b").toJson()).path("error").has("innererror")).isTrue();
    // Every other error keeps the OpenAI shape.
    assertThat(json.readTree(GatewayError.endUserSuspended().toJson()).path("error").has("innererror")).isFalse();
    assertThat(GatewayError.endUserSuspended().status()).isEqualTo(403);
  }
}
