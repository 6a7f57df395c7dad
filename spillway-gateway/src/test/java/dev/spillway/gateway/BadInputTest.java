package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.Tier;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every client mistake gets an OpenAI-shaped error with the right 4xx, and never reaches a backend. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  private static final int MAX_BODY = 2048;
  private TestWorld world;

  @BeforeAll
  void start() {
    world = new TestWorld();
    // An unreachable backend: if any of these requests were forwarded, the answer would be 502.
    world.gateway(Backends.config(MAX_BODY, Map.of("gpt-4o", List.of(
        Backends.azure("dead", "http://127.0.0.1:9", "d", Tier.PTU, 1)))));
  }

  @AfterAll
  void stop() {
    world.close();
  }

  private static JsonNode assertOpenAiError(HttpResponse<String> r, int status, String code) throws Exception {
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
    JsonNode error = Http.json(r).path("error");
    assertThat(error.isObject()).as("error object in %s", r.body()).isTrue();
    assertThat(error.path("message").asText()).isNotBlank();
    assertThat(error.path("type").asText()).isNotBlank();
    assertThat(error.has("param")).isTrue();
    assertThat(error.path("code").asText()).isEqualTo(code);
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("at dev.spillway");
    return error;
  }

  @Test
  void malformedJsonIs400() throws Exception {
    assertOpenAiError(Http.post(world.url("/v1/chat/completions"), "{\"model\": \"gpt-4o\", "), 400, "invalid_json");
  }

  @Test
  void nonObjectBodyIs400() throws Exception {
    assertOpenAiError(Http.post(world.url("/v1/chat/completions"), "[1,2]"), 400, "invalid_json");
  }

  @Test
  void emptyBodyIs400() throws Exception {
    assertOpenAiError(Http.post(world.url("/v1/chat/completions"), ""), 400, "invalid_json");
  }

  @Test
  void invalidUtf8Is400() throws Exception {
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(world.url("/v1/chat/completions")))
        .header("content-type", "application/json")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(
            new byte[] {'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}))
        .build();
    HttpResponse<String> r = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
        .send(req, HttpResponse.BodyHandlers.ofString());
    assertOpenAiError(r, 400, "invalid_json");
  }

  @Test
  void missingModelIs400NamingTheParam() throws Exception {
    JsonNode error = assertOpenAiError(
        Http.post(world.url("/v1/chat/completions"), "{\"messages\":[]}"), 400, "missing_required_parameter");
    assertThat(error.path("param").asText()).isEqualTo("model");
  }

  @Test
  void nonStringModelIs400() throws Exception {
    assertOpenAiError(Http.post(world.url("/v1/chat/completions"), "{\"model\":42}"), 400, "invalid_value");
  }

  @Test
  void nonBooleanStreamIs400() throws Exception {
    assertOpenAiError(
        Http.post(world.url("/v1/chat/completions"), "{\"model\":\"gpt-4o\",\"stream\":\"yes\"}"), 400, "invalid_value");
  }

  @Test
  void unknownModelIs404() throws Exception {
    JsonNode error = assertOpenAiError(
        Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-9", false)), 404, "model_not_found");
    assertThat(error.path("message").asText()).contains("gpt-9");
  }

  @Test
  void unknownAzureDeploymentIs404() throws Exception {
    assertOpenAiError(
        Http.post(world.url("/openai/deployments/nope/chat/completions?api-version=2024-10-21"), Http.chat("x", false)),
        404, "DeploymentNotFound");
  }

  @Test
  void wrongMethodIs405WithAllow() throws Exception {
    HttpResponse<String> r = Http.get(world.url("/v1/chat/completions"));
    assertOpenAiError(r, 405, "method_not_allowed");
    assertThat(r.headers().firstValue("allow")).contains("POST");
    HttpResponse<String> models = Http.send("POST", world.url("/v1/models"), "{}");
    assertOpenAiError(models, 405, "method_not_allowed");
  }

  @Test
  void unknownRouteIs404() throws Exception {
    assertOpenAiError(Http.post(world.url("/v1/assistants"), "{}"), 404, "unknown_url");
    // A route that exists but takes a form: told so, not 404 and never 500.
    assertOpenAiError(Http.post(world.url("/v1/files"), "{}"), 400, "invalid_content_type");
    assertOpenAiError(Http.get(world.url("/")), 404, "unknown_url");
  }

  @Test
  void oversizedBodyIs413() throws Exception {
    String big = "{\"model\":\"gpt-4o\",\"input\":\"" + "x".repeat(MAX_BODY * 2) + "\"}";
    assertOpenAiError(Http.post(world.url("/v1/chat/completions"), big), 413, "request_too_large");
  }

  @Test
  void oversizedChunkedBodyIs413() throws Exception {
    byte[] big = ("{\"model\":\"gpt-4o\",\"input\":\"" + "x".repeat(MAX_BODY * 4) + "\"}").getBytes();
    java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(world.url("/v1/chat/completions")))
        .header("content-type", "application/json")
        // A publisher of unknown length makes the JDK client send chunked, without content-length.
        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
        .build();
    HttpResponse<String> r = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build()
        .send(req, HttpResponse.BodyHandlers.ofString());
    assertOpenAiError(r, 413, "request_too_large");
  }
}
