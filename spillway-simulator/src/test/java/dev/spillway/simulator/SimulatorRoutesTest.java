package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Routes, response shapes and error cases over real HTTP. */
class SimulatorRoutesTest {
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimHarness.fast(
        DeploymentConfig.payg("gpt-4o", 0, 0),
        DeploymentConfig.embeddings("text-embedding-3-small", 16)));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void chatOnAzureClassicUrl() {
    HttpResponse<String> r = harness.post(sim,
        "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", SimHarness.CHAT);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    assertChatCompletion(SimHarness.json(r), "gpt-4o");
  }

  @Test
  void chatOnAzureV1Url() {
    HttpResponse<String> r = harness.post(sim, "/openai/v1/chat/completions", SimHarness.chat("gpt-4o"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertChatCompletion(SimHarness.json(r), "gpt-4o");
  }

  @Test
  void chatOnOpenAiUrl() {
    HttpResponse<String> r = harness.post(sim, "/v1/chat/completions", SimHarness.chat("gpt-4o"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertChatCompletion(SimHarness.json(r), "gpt-4o");
  }

  private static void assertChatCompletion(JsonNode body, String model) {
    assertThat(body.path("id").asText()).startsWith("chatcmpl-");
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("created").asLong()).isPositive();
    assertThat(body.path("model").asText()).isEqualTo(model);
    assertThat(body.path("system_fingerprint").asText()).startsWith("fp_");
    assertThat(body.path("prompt_filter_results").get(0).path("prompt_index").asInt()).isZero();
    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("index").asInt()).isZero();
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    String content = choice.path("message").path("content").asText();
    JsonNode usage = body.path("usage");
    int completion = usage.path("completion_tokens").asInt();
    assertThat(completion).isBetween(CompletionText.MIN_TOKENS, CompletionText.MAX_TOKENS)
        .isEqualTo(TokenCounter.count(content));
    assertThat(usage.path("prompt_tokens").asInt()).isEqualTo(
        TokenCounter.count("You are terse.") + TokenCounter.count("Say something about rivers.") + 11);
    assertThat(usage.path("total_tokens").asInt()).isEqualTo(usage.path("prompt_tokens").asInt() + completion);
    assertThat(usage.path("prompt_tokens_details").path("cached_tokens").isInt()).isTrue();
    assertThat(usage.path("completion_tokens_details").path("reasoning_tokens").isInt()).isTrue();
  }

  @Test
  void maxTokensSetsTheLengthAndFinishReason() {
    HttpResponse<String> r = harness.post(sim, "/v1/chat/completions",
        SimHarness.chat("gpt-4o", "\"max_completion_tokens\":7", "\"max_tokens\":99"));
    JsonNode body = SimHarness.json(r);
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(7);
    assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void textCompletionsHaveTheirOwnShape() {
    HttpResponse<String> r = harness.post(sim, "/openai/deployments/gpt-4o/completions?api-version=2024-10-21",
        "{\"prompt\":\"Once upon a time\",\"max_tokens\":5}");
    JsonNode body = SimHarness.json(r);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(body.path("object").asText()).isEqualTo("text_completion");
    assertThat(body.path("id").asText()).startsWith("cmpl-");
    assertThat(TokenCounter.count(body.path("choices").get(0).path("text").asText())).isEqualTo(5);
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(TokenCounter.count("Once upon a time"));
  }

  @Test
  void sameRequestSameContentDifferentIds() {
    String request = SimHarness.chat("gpt-4o", "\"temperature\":0.3");
    JsonNode first = SimHarness.json(harness.post(sim, "/v1/chat/completions", request));
    JsonNode second = SimHarness.json(harness.post(sim, "/v1/chat/completions", request));
    JsonNode other = SimHarness.json(harness.post(sim, "/v1/chat/completions", SimHarness.chat("gpt-4o", "\"temperature\":0.4")));

    assertThat(second.path("choices")).isEqualTo(first.path("choices"));
    assertThat(second.path("usage")).isEqualTo(first.path("usage"));
    assertThat(second.path("id")).isNotEqualTo(first.path("id"));
    assertThat(other.path("choices").get(0).path("message").path("content"))
        .isNotEqualTo(first.path("choices").get(0).path("message").path("content"));
  }

  @Test
  void sameSeedSameContentAcrossSimulators() {
    Simulator twin = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o", 0, 0)));
    String request = SimHarness.chat("gpt-4o");
    assertThat(SimHarness.json(harness.post(twin, "/v1/chat/completions", request)).path("choices"))
        .isEqualTo(SimHarness.json(harness.post(sim, "/v1/chat/completions", request)).path("choices"));
  }

  @Test
  void modelsAreListedOnBothPaths() {
    for (String path : new String[] {"/v1/models", "/openai/v1/models"}) {
      HttpResponse<String> r = harness.get(sim, path);
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode body = SimHarness.json(r);
      assertThat(body.path("object").asText()).isEqualTo("list");
      assertThat(body.path("data").findValuesAsText("id")).containsExactly("gpt-4o", "text-embedding-3-small");
    }
  }

  @Test
  void echoesRequestIdOrMakesOne() {
    HttpResponse<String> echoed = harness.post(sim, "/v1/chat/completions", SimHarness.chat("gpt-4o"),
        "x-request-id", "req-123");
    assertThat(echoed.headers().firstValue("x-request-id")).hasValue("req-123");
    assertThat(echoed.headers().firstValue("apim-request-id")).isPresent();
    assertThat(echoed.headers().firstValue("x-ms-deployment-name")).hasValue("gpt-4o");

    HttpResponse<String> generated = harness.get(sim, "/nowhere");
    assertThat(generated.headers().firstValue("x-request-id")).hasValueSatisfying(id -> assertThat(id).isNotBlank());
    assertThat(generated.headers().firstValue("apim-request-id")).isPresent();
  }

  @Test
  void unknownPathIs404ResourceNotFound() {
    HttpResponse<String> r = harness.post(sim, "/openai/deployments/gpt-4o/no/such/operation?api-version=1", "{}");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
  }

  @Test
  void classicUrlWithoutApiVersionIs404LikeAzure() {
    HttpResponse<String> r = harness.post(sim, "/openai/deployments/gpt-4o/chat/completions", SimHarness.CHAT);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}");
  }

  @Test
  void unknownDeploymentIs404DeploymentNotFound() {
    HttpResponse<String> classic = harness.post(sim,
        "/openai/deployments/gpt-5/chat/completions?api-version=2024-10-21", SimHarness.CHAT);
    HttpResponse<String> v1 = harness.post(sim, "/v1/chat/completions", SimHarness.chat("gpt-5"));
    for (HttpResponse<String> r : java.util.List.of(classic, v1)) {
      assertThat(r.statusCode()).isEqualTo(404);
      assertThat(SimHarness.json(r).path("error").path("code").asText()).isEqualTo("DeploymentNotFound");
    }
  }

  @Test
  void malformedJsonIs400() {
    HttpResponse<String> r = harness.post(sim, "/v1/chat/completions", "{\"model\": \"gpt-4o\", ");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(r).path("error").path("type").asText()).isEqualTo("invalid_request_error");
  }

  @Test
  void invalidRequestsAre400NamingTheParameter() {
    assertThat(SimHarness.json(harness.post(sim, "/v1/chat/completions", "{\"messages\":[]}"))
        .path("error").path("param").asText()).isEqualTo("model");
    assertThat(SimHarness.json(harness.post(sim, "/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[]}"))
        .path("error").path("param").asText()).isEqualTo("messages");
    HttpResponse<String> r = harness.post(sim, "/v1/chat/completions", SimHarness.chat("gpt-4o", "\"max_tokens\":0"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(r).path("error").path("param").asText()).isEqualTo("max_tokens");
  }

  @Test
  void wrongKindOfDeploymentIs400OperationNotSupported() {
    HttpResponse<String> r = harness.post(sim, "/v1/chat/completions", SimHarness.chat("text-embedding-3-small"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(r).path("error").path("code").asText()).isEqualTo("OperationNotSupported");
  }

  @Test
  void wrongMethodIs405() {
    HttpResponse<String> get = harness.get(sim, "/v1/chat/completions");
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("allow")).hasValue("POST");

    HttpResponse<String> post = harness.post(sim, "/v1/models", "{}");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("allow")).hasValue("GET");

    HttpResponse<String> delete = harness.send(HttpRequest.newBuilder(
        URI.create(sim.baseUrl() + "/openai/deployments/gpt-4o/chat/completions?api-version=1")).DELETE().build());
    assertThat(delete.statusCode()).isEqualTo(405);
  }

  @Test
  void statsCountRequestsAndTokens() {
    Simulator own = harness.start(SimHarness.fast(DeploymentConfig.payg("m", 0, 0)));
    JsonNode body = SimHarness.json(harness.post(own, "/v1/chat/completions", SimHarness.chat("m")));
    harness.post(own, "/v1/chat/completions", SimHarness.chat("m"), "x-sim-fault", "500");

    DeploymentStats stats = own.stats().deployment("m");
    assertThat(stats.requests()).isEqualTo(2);
    assertThat(stats.succeeded()).isEqualTo(1);
    assertThat(stats.faulted()).isEqualTo(1);
    assertThat(stats.throttled()).isZero();
    assertThat(stats.promptTokens()).isEqualTo(body.path("usage").path("prompt_tokens").asLong());
    assertThat(stats.completionTokens()).isEqualTo(body.path("usage").path("completion_tokens").asLong());
    assertThat(own.stats().total()).isEqualTo(stats);
  }
}
