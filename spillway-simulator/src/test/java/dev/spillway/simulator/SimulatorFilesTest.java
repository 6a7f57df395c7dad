package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The files and batches APIs over real HTTP: upload, read, delete, a batch run to completion, its output's usage. */
class SimulatorFilesTest {
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o-payg", 0, 0)));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static String line(String id, String model) {
    return "{\"custom_id\":\"" + id + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\""
        + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}],\"max_tokens\":7}}\n";
  }

  private HttpResponse<String> upload(String path, String purpose, String content) {
    MultipartBody form = new MultipartBody().field("purpose", purpose)
        .file("file", "input.jsonl", "application/jsonl", content.getBytes(StandardCharsets.UTF_8));
    return harness.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).timeout(Duration.ofSeconds(10))
        .header("content-type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build());
  }

  @Test
  void aBatchRunsItsFileAndAnswersEachLineWithUsage() {
    HttpResponse<String> uploaded = upload("/openai/files?api-version=2024-10-21", "batch",
        line("a", "gpt-4o-payg") + line("b", "gpt-4o-payg") + line("c", "not-here"));
    assertThat(uploaded.statusCode()).isEqualTo(200);
    JsonNode file = SimHarness.json(uploaded);
    assertThat(file.path("object").asText()).isEqualTo("file");
    assertThat(file.path("purpose").asText()).isEqualTo("batch");
    String fileId = file.path("id").asText();
    assertThat(harness.get(sim, "/v1/files/" + fileId + "/content").body()).startsWith("{\"custom_id\":\"a\"");

    HttpResponse<String> created = harness.post(sim, "/v1/batches", "{\"input_file_id\":\"" + fileId
        + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}");
    assertThat(created.statusCode()).isEqualTo(200);
    JsonNode batch = SimHarness.json(created);
    assertThat(batch.path("status").asText()).isEqualTo("validating");

    JsonNode done = SimHarness.json(harness.get(sim, "/openai/v1/batches/" + batch.path("id").asText()));
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("request_counts").path("total").asInt()).isEqualTo(3);
    assertThat(done.path("request_counts").path("failed").asInt()).isEqualTo(1);

    String output = harness.get(sim, "/v1/files/" + done.path("output_file_id").asText() + "/content").body();
    assertThat(output.lines()).hasSize(2).allSatisfy(l -> {
      JsonNode result = parse(l);
      JsonNode body = result.path("response").path("body");
      assertThat(result.path("response").path("status_code").asInt()).isEqualTo(200);
      assertThat(body.path("model").asText()).isEqualTo("gpt-4o-payg");
      assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(7);
      assertThat(body.path("usage").path("prompt_tokens").asInt()).isPositive();
    });
    String errors = harness.get(sim, "/v1/files/" + done.path("error_file_id").asText() + "/content").body();
    assertThat(parse(errors.lines().findFirst().orElseThrow()).path("error").path("code").asText())
        .isEqualTo("model_not_found");
  }

  @Test
  void filesAreListedReadAndDeleted() {
    String id = SimHarness.json(upload("/v1/files", "user_data", "some notes")).path("id").asText();
    assertThat(SimHarness.json(harness.get(sim, "/v1/files")).path("data").findValuesAsText("id")).contains(id);
    assertThat(SimHarness.json(harness.get(sim, "/v1/files/" + id)).path("bytes").asInt()).isEqualTo(10);
    assertThat(harness.delete(sim, "/v1/files/" + id).statusCode()).isEqualTo(200);
    assertThat(harness.get(sim, "/v1/files/" + id).statusCode()).isEqualTo(404);
    assertThat(harness.get(sim, "/openai/files").statusCode()).as("Azure's shape needs its api-version").isEqualTo(404);
    assertThat(harness.post(sim, "/v1/batches", "{\"input_file_id\":\"file-none\"}").statusCode()).isEqualTo(400);
  }

  @Test
  void aVectorStoreSearchesItsOwnFilesOnly() {
    String id = SimHarness.json(upload("/v1/files", "assistants", "The PTU comes first, PAYG takes the rest."))
        .path("id").asText();
    assertThat(harness.post(sim, "/v1/vector_stores", "{\"file_ids\":[\"file-elsewhere\"]}").statusCode())
        .isEqualTo(404);
    JsonNode store = SimHarness.json(harness.post(sim, "/v1/vector_stores", "{\"name\":\"n\",\"file_ids\":[\"" + id
        + "\"]}"));
    assertThat(store.path("file_counts").path("total").asInt()).isEqualTo(1);
    String vs = store.path("id").asText();
    JsonNode hits = SimHarness.json(harness.post(sim, "/v1/vector_stores/" + vs + "/search", "{\"query\":\"PAYG\"}"));
    assertThat(hits.path("data").get(0).path("file_id").asText()).isEqualTo(id);
    assertThat(SimHarness.json(harness.post(sim, "/v1/vector_stores/" + vs + "/search", "{\"query\":\"zebra\"}"))
        .path("data")).isEmpty();
    assertThat(harness.post(sim, "/v1/vector_stores/" + vs + "/files", "{\"file_id\":\"file-nope\"}").statusCode())
        .isEqualTo(404);
    assertThat(harness.delete(sim, "/v1/vector_stores/" + vs).statusCode()).isEqualTo(200);
    assertThat(harness.get(sim, "/v1/vector_stores/" + vs).statusCode()).isEqualTo(404);
  }
}
