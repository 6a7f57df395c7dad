package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Files and batches through the gateway, over HTTP, in front of two simulated resources: the PTU deployment on one,
 * the PAYG deployment on the other, so a file and the batch made from it exist on one backend only. The input file
 * names the logical model; each simulator only knows its deployment's name, so a line the gateway did not rewrite
 * fails there ({@code model_not_found}). Two consumers: {@code app} owns what it creates; {@code intruder} must never
 * see it.
 */
class FilesAndBatchesTest {
  private static final String BOUNDARY = "----spillway-files-test-5c2e";
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestWorld world;
  private String app;
  private String intruder;
  private String narrow;

  @BeforeEach
  void start() throws Exception {
    Path dir = Files.createTempDirectory("spillway-files");
    world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("gpt-4o-ptu", 6_000_000)));
    world.simulateOther(List.of(DeploymentConfig.payg("gpt-4o-payg", 10_000_000, 100_000)));
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: ptu, url: "%s", deployment: gpt-4o-ptu, auth: { apiKey: %s }, tier: ptu, priority: 1, apiVersion: 2025-04-01-preview }
              - { id: payg, url: "%s", deployment: gpt-4o-payg, auth: { apiKey: %s }, tier: payg, priority: 2, apiVersion: v1 }
          gpt-4o-mini:
            backends:
              - { id: mini, url: "%s", deployment: gpt-4o-payg, auth: { apiKey: %s }, tier: payg, apiVersion: v1 }
        consumers:
          - { id: app, team: t, models: ["*"] }
          - { id: intruder, team: u, models: ["*"] }
          - { id: narrow, team: u, models: ["gpt-4o-mini"] }
        auth:
          keyStore: %s
          keyPepper: pepper-0123456789abcdef
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, world.otherUrl(), Backends.BACKEND_KEY, world.otherUrl(),
            Backends.BACKEND_KEY, dir.resolve("keys.json"));
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
    KeyStore keys = world.gateway.keys().orElseThrow();
    app = keys.create("app", Instant.now()).plaintext();
    intruder = keys.create("intruder", Instant.now()).plaintext();
    narrow = keys.create("narrow", Instant.now()).plaintext();
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private static String request(String id, String model, int maxTokens) {
    return "{\"custom_id\":\"" + id + "\",\"method\":\"POST\",\"url\":\"/chat/completions\",\"body\":{\"model\":\""
        + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Name a colour, " + id + ".\"}],\"max_tokens\":"
        + maxTokens + "}}\n";
  }

  private static byte[] form(String purpose, String filename, String content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n" + purpose + "\r\n")
        .getBytes(StandardCharsets.UTF_8));
    out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
        + "\"\r\nContent-Type: application/jsonl\r\n\r\n" + content + "\r\n--" + BOUNDARY + "--\r\n")
        .getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private HttpResponse<String> upload(String path, String key, byte[] form) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create(world.url(path))).timeout(Duration.ofSeconds(30))
        .header("content-type", "multipart/form-data; boundary=" + BOUNDARY).header("api-key", key)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> call(String method, String path, String body, String key) throws Exception {
    return Http.send(method, world.url(path), body, Map.of("api-key", key));
  }

  private static String backend(HttpResponse<String> r) {
    return r.headers().firstValue("x-spillway-backend").orElse("");
  }

  private void admin(String path) throws Exception {
    assertThat(Http.post(world.url("/admin/backends/" + path), "").statusCode()).isEqualTo(200);
  }

  /** Uploads a batch file of {@code lines} requests for the logical model, creates the batch, and polls it done. */
  private JsonNode runBatch(String key, int lines, String expectedBackend) throws Exception {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      file.append(request("r" + i, "gpt-4o", 12));
    }
    HttpResponse<String> uploaded = upload("/v1/files", key, form("batch", "requests.jsonl", file.toString()));
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
    assertThat(backend(uploaded)).isEqualTo(expectedBackend);
    JsonNode fileJson = Http.json(uploaded);
    assertThat(fileJson.path("purpose").asText()).isEqualTo("batch");

    HttpResponse<String> created = call("POST", "/v1/batches", "{\"input_file_id\":\"" + fileJson.path("id").asText()
        + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}", key);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    assertThat(backend(created)).isEqualTo(expectedBackend);
    String batchId = Http.json(created).path("id").asText();
    JsonNode batch = Http.json(created);
    for (int i = 0; i < 20 && !batch.path("status").asText().equals("completed"); i++) {
      HttpResponse<String> polled = call("GET", "/v1/batches/" + batchId, null, key);
      assertThat(polled.statusCode()).isEqualTo(200);
      assertThat(backend(polled)).isEqualTo(expectedBackend);
      batch = Http.json(polled);
    }
    assertThat(batch.path("status").asText()).isEqualTo("completed");
    return batch;
  }

  @Test
  void aBatchRunsWhereItsFileIsWithTheModelRenamedAndItsUsageIsBookedOnce() throws Exception {
    JsonNode batch = runBatch(app, 3, "ptu");
    // Every line ran: the simulator knows only "gpt-4o-ptu", so the gateway renamed the logical model in each line.
    assertThat(batch.path("request_counts").path("completed").asInt()).isEqualTo(3);
    assertThat(batch.path("request_counts").path("failed").asInt()).isZero();
    assertThat(batch.path("error_file_id").isNull()).isTrue();
    String output = batch.path("output_file_id").asText();

    world.listener.requests.clear();
    HttpResponse<String> content = call("GET", "/v1/files/" + output + "/content", null, app);
    assertThat(content.statusCode()).isEqualTo(200);
    assertThat(backend(content)).isEqualTo("ptu");
    List<String> lines = content.body().lines().toList();
    assertThat(lines).hasSize(3);
    long prompt = 0;
    long completion = 0;
    for (String line : lines) {
      JsonNode body = Http.JSON.readTree(line).path("response").path("body");
      assertThat(body.path("model").asText()).isEqualTo("gpt-4o-ptu");
      prompt += body.path("usage").path("prompt_tokens").asLong();
      completion += body.path("usage").path("completion_tokens").asLong();
    }
    assertThat(prompt).isPositive();
    RequestOutcome booked = outcome(Operation.BATCH_OUTPUT);
    assertThat(booked.usage()).hasValue(new TokenUsage(prompt, completion, prompt + completion, 0, 0));
    assertThat(booked.usageEstimated()).isFalse();
    assertThat(booked.caller().consumer()).isEqualTo("app");
    assertThat(booked.model()).hasValue("gpt-4o");
    assertThat(booked.backend()).hasValueSatisfying(b -> assertThat(b.id()).isEqualTo("ptu"));
    assertThat(booked.requestId()).isEqualTo("batch-output-" + output);

    // Read again: the same bytes, no second booking.
    world.listener.requests.clear();
    assertThat(call("GET", "/v1/files/" + output + "/content", null, app).body()).isEqualTo(content.body());
    RequestOutcome again = world.listener.requests.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(again).isNotNull();
    assertThat(again.operation()).isEqualTo(Operation.FILES_CONTENT);
    assertThat(world.listener.requests.poll(300, java.util.concurrent.TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aFileUploadedWhileThePtuIsOutRunsItsBatchOnPayg() throws Exception {
    admin("ptu/force-open");
    JsonNode batch = runBatch(app, 2, "payg");
    admin("ptu/reset");
    assertThat(batch.path("request_counts").path("completed").asInt()).isEqualTo(2);
    // The PTU is back, but the batch and its files stay where they are.
    assertThat(backend(call("GET", "/v1/batches/" + batch.path("id").asText(), null, app))).isEqualTo("payg");
    HttpResponse<String> content = call("GET", "/v1/files/" + batch.path("output_file_id").asText() + "/content", null, app);
    assertThat(backend(content)).isEqualTo("payg");
    assertThat(Http.JSON.readTree(content.body().lines().findFirst().orElseThrow()).path("response").path("body")
        .path("model").asText()).isEqualTo("gpt-4o-payg");
  }

  @Test
  void anotherCallerNeverSeesTheFilesOrBatchesOfTheFirst() throws Exception {
    JsonNode batch = runBatch(app, 1, "ptu");
    String batchId = batch.path("id").asText();
    String input = batch.path("input_file_id").asText();
    String output = batch.path("output_file_id").asText();

    for (String path : List.of("/v1/files/" + input, "/v1/files/" + output, "/v1/files/" + output + "/content",
        "/v1/batches/" + batchId)) {
      HttpResponse<String> foreign = call("GET", path, null, intruder);
      assertThat(foreign.statusCode()).as(path).isEqualTo(404);
      assertThat(Http.json(foreign).path("error").path("code").asText()).isEqualTo("not_found");
    }
    assertThat(call("DELETE", "/v1/files/" + input, null, intruder).statusCode()).isEqualTo(404);
    assertThat(call("POST", "/v1/batches/" + batchId + "/cancel", null, intruder).statusCode()).isEqualTo(404);
    HttpResponse<String> stolen = call("POST", "/v1/batches", "{\"input_file_id\":\"" + input
        + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}", intruder);
    assertThat(stolen.statusCode()).isEqualTo(404);

    // The intruder's lists are empty although the backend's lists hold the app's objects.
    assertThat(Http.json(call("GET", "/v1/files", null, intruder)).path("data")).isEmpty();
    assertThat(Http.json(call("GET", "/v1/batches", null, intruder)).path("data")).isEmpty();
    JsonNode files = Http.json(call("GET", "/v1/files", null, app));
    assertThat(ids(files)).containsExactlyInAnyOrder(input, output);
    assertThat(Http.json(call("GET", "/v1/files?purpose=batch", null, app)).path("data")).hasSize(1);
    JsonNode batches = Http.json(call("GET", "/v1/batches?limit=1", null, app));
    assertThat(ids(batches)).containsExactly(batchId);
    assertThat(batches.path("object").asText()).isEqualTo("list");
    assertThat(batches.path("has_more").asBoolean()).isFalse();

    // The owner deletes the input file: gone for it too.
    assertThat(call("DELETE", "/v1/files/" + input, null, app).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/v1/files/" + input, null, app).statusCode()).isEqualTo(404);
    assertThat(ids(Http.json(call("GET", "/v1/files", null, app)))).containsExactly(output);
  }

  @Test
  void listsPageWithAfterAndLimit() throws Exception {
    List<String> made = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> r = upload("/v1/files", app, form("user_data", "notes" + i + ".txt", "note " + i));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      made.add(0, Http.json(r).path("id").asText()); // newest first
      Thread.sleep(2); // distinct creation times, so the order is defined
    }
    JsonNode first = Http.json(call("GET", "/v1/files?limit=2", null, app));
    assertThat(ids(first)).containsExactly(made.get(0), made.get(1));
    assertThat(first.path("has_more").asBoolean()).isTrue();
    assertThat(first.path("last_id").asText()).isEqualTo(made.get(1));
    JsonNode second = Http.json(call("GET", "/v1/files?limit=2&after=" + made.get(1), null, app));
    assertThat(ids(second)).containsExactly(made.get(2));
    assertThat(second.path("has_more").asBoolean()).isFalse();
    assertThat(call("GET", "/v1/files?limit=0", null, app).statusCode()).isEqualTo(400);
    assertThat(call("GET", "/v1/files?limit=abc", null, app).statusCode()).isEqualTo(400);
  }

  @Test
  void theAzureShapesReachTheSameObjects() throws Exception {
    String file = request("a", "gpt-4o", 8);
    HttpResponse<String> uploaded =
        upload("/openai/files?api-version=2024-10-21", app, form("batch", "requests.jsonl", file));
    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
    String id = Http.json(uploaded).path("id").asText();
    assertThat(call("GET", "/openai/v1/files/" + id, null, app).statusCode()).isEqualTo(200);
    HttpResponse<String> batch = call("POST", "/openai/batches?api-version=2024-10-21", "{\"input_file_id\":\"" + id
        + "\",\"endpoint\":\"/chat/completions\",\"completion_window\":\"24h\"}", app);
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
    String batchId = Http.json(batch).path("id").asText();
    JsonNode done = Http.json(call("GET", "/openai/batches/" + batchId + "?api-version=2024-10-21", null, app));
    assertThat(done.path("status").asText()).isEqualTo("completed");
    assertThat(done.path("request_counts").path("failed").asInt()).isZero();
  }

  @Test
  void badFilesAndBatchesGetClearErrors() throws Exception {
    HttpResponse<String> twoModels = upload("/v1/files", app,
        form("batch", "mixed.jsonl", request("a", "gpt-4o", 8) + request("b", "gpt-4o-mini", 8)));
    assertThat(twoModels.statusCode()).isEqualTo(400);
    assertThat(Http.json(twoModels).path("error").path("message").asText()).contains("line 2", "same model");
    assertThat(Http.json(twoModels).path("error").path("param").asText()).isEqualTo("file");

    HttpResponse<String> notJson = upload("/v1/files", app, form("batch", "x.jsonl", "hello\n"));
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(Http.json(notJson).path("error").path("message").asText()).contains("line 1");

    HttpResponse<String> forbidden = upload("/v1/files", narrow, form("batch", "r.jsonl", request("a", "gpt-4o", 8)));
    assertThat(forbidden.statusCode()).isEqualTo(403);

    HttpResponse<String> noPurpose = upload("/v1/files", app, form("", "r.jsonl", request("a", "gpt-4o", 8)));
    assertThat(noPurpose.statusCode()).isEqualTo(400);
    assertThat(Http.json(noPurpose).path("error").path("param").asText()).isEqualTo("purpose");

    HttpResponse<String> noInput = call("POST", "/v1/batches", "{\"endpoint\":\"/v1/chat/completions\"}", app);
    assertThat(noInput.statusCode()).isEqualTo(400);
    assertThat(Http.json(noInput).path("error").path("param").asText()).isEqualTo("input_file_id");
    assertThat(call("POST", "/v1/batches", "{\"input_file_id\":\"file-nope\"}", app).statusCode()).isEqualTo(404);
    assertThat(call("PUT", "/v1/files", "{}", app).statusCode()).isEqualTo(405);
    assertThat(call("GET", "/v1/vector_stores/vs_1/..%2Fx", null, app).statusCode()).isEqualTo(404);
  }

  private byte[] partForm(String content) {
    return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"data\"; filename=\"blob\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n" + content + "\r\n--" + BOUNDARY + "--\r\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aFileUploadedInPartsIsItsOwnersAndStaysWhereItsPartsWent() throws Exception {
    admin("ptu/force-open");
    HttpResponse<String> opened = call("POST", "/v1/uploads",
        "{\"purpose\":\"user_data\",\"filename\":\"notes.txt\",\"bytes\":11,\"mime_type\":\"text/plain\"}", app);
    assertThat(opened.statusCode()).as(opened.body()).isEqualTo(200);
    assertThat(backend(opened)).isEqualTo("payg");
    String upload = Http.json(opened).path("id").asText();

    // The PTU is back: the parts still go where the upload is.
    admin("ptu/reset");
    HttpResponse<String> first = upload("/v1/uploads/" + upload + "/parts", app, partForm("hello "));
    HttpResponse<String> second = upload("/v1/uploads/" + upload + "/parts", app, partForm("world"));
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(backend(second)).isEqualTo("payg");
    assertThat(upload("/v1/uploads/" + upload + "/parts", intruder, partForm("evil")).statusCode()).isEqualTo(404);
    assertThat(call("POST", "/v1/uploads/" + upload + "/complete", "{\"part_ids\":[]}", intruder).statusCode())
        .isEqualTo(404);
    HttpResponse<String> done = call("POST", "/v1/uploads/" + upload + "/complete", "{\"part_ids\":[\""
        + Http.json(first).path("id").asText() + "\",\"" + Http.json(second).path("id").asText() + "\"]}", app);
    assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    String file = Http.json(done).path("file").path("id").asText();

    HttpResponse<String> content = call("GET", "/v1/files/" + file + "/content", null, app);
    assertThat(content.body()).isEqualTo("hello world");
    assertThat(backend(content)).isEqualTo("payg");
    assertThat(call("GET", "/v1/files/" + file, null, intruder).statusCode()).isEqualTo(404);
    assertThat(ids(Http.json(call("GET", "/v1/files", null, app)))).contains(file);

    HttpResponse<String> batchInParts = call("POST", "/v1/uploads",
        "{\"purpose\":\"batch\",\"filename\":\"b.jsonl\",\"bytes\":10,\"mime_type\":\"text/jsonl\"}", app);
    assertThat(batchInParts.statusCode()).isEqualTo(400);
    assertThat(Http.json(batchInParts).path("error").path("message").asText()).contains("POST /files");
  }

  @Test
  void aVectorStoreLivesWithItsFilesAndAFileSearchGoesThere() throws Exception {
    HttpResponse<String> onPtu = upload("/v1/files", app, form("assistants", "ptu.txt", "Spillway keeps the PTU first."));
    String ptuFile = Http.json(onPtu).path("id").asText();
    assertThat(backend(onPtu)).isEqualTo("ptu");
    admin("ptu/force-open");
    HttpResponse<String> onPayg = upload("/v1/files", app, form("assistants", "payg.txt", "PAYG absorbs the overflow."));
    String paygFile = Http.json(onPayg).path("id").asText();
    HttpResponse<String> created = call("POST", "/v1/vector_stores",
        "{\"name\":\"notes\",\"file_ids\":[\"" + paygFile + "\"]}", app);
    admin("ptu/reset");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    assertThat(backend(created)).isEqualTo("payg");
    String store = Http.json(created).path("id").asText();

    // Below the store, everything goes where it is; a file elsewhere, or another caller's, cannot join it.
    HttpResponse<String> search = call("POST", "/v1/vector_stores/" + store + "/search", "{\"query\":\"overflow\"}", app);
    assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
    assertThat(backend(search)).isEqualTo("payg");
    assertThat(Http.json(search).path("data").get(0).path("file_id").asText()).isEqualTo(paygFile);
    HttpResponse<String> elsewhere = call("POST", "/v1/vector_stores/" + store + "/files", "{\"file_id\":\"" + ptuFile
        + "\"}", app);
    assertThat(elsewhere.statusCode()).isEqualTo(400);
    assertThat(Http.json(elsewhere).path("error").path("message").asText()).contains("another backend");
    HttpResponse<String> intruderFile = upload("/v1/files", intruder, form("assistants", "x.txt", "mine"));
    assertThat(call("POST", "/v1/vector_stores/" + store + "/files", "{\"file_id\":\""
        + Http.json(intruderFile).path("id").asText() + "\"}", app).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/v1/vector_stores/" + store + "/files", null, app).statusCode()).isEqualTo(200);
    HttpResponse<String> mixed = call("POST", "/v1/vector_stores",
        "{\"file_ids\":[\"" + ptuFile + "\",\"" + paygFile + "\"]}", app);
    assertThat(mixed.statusCode()).isEqualTo(400);

    // A response searching the store runs on its backend although the PTU is free again.
    String ask = "{\"model\":\"gpt-4o\",\"input\":\"What absorbs the overflow?\",\"max_output_tokens\":16,"
        + "\"tools\":[{\"type\":\"file_search\",\"vector_store_ids\":[\"" + store + "\"]}]}";
    HttpResponse<String> answered = call("POST", "/v1/responses", ask, app);
    assertThat(answered.statusCode()).as(answered.body()).isEqualTo(200);
    assertThat(backend(answered)).isEqualTo("payg");

    // The other caller: nothing of it, anywhere.
    assertThat(call("POST", "/v1/responses", ask, intruder).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/v1/vector_stores/" + store, null, intruder).statusCode()).isEqualTo(404);
    assertThat(call("POST", "/v1/vector_stores/" + store + "/search", "{\"query\":\"x\"}", intruder).statusCode())
        .isEqualTo(404);
    assertThat(Http.json(call("GET", "/v1/vector_stores", null, intruder)).path("data")).isEmpty();
    assertThat(ids(Http.json(call("GET", "/v1/vector_stores", null, app)))).containsExactly(store);

    assertThat(call("POST", "/v1/vector_stores/" + store, "{\"name\":\"renamed\"}", app).statusCode()).isEqualTo(200);
    assertThat(Http.json(call("GET", "/v1/vector_stores/" + store, null, app)).path("name").asText()).isEqualTo("renamed");
    assertThat(call("DELETE", "/v1/vector_stores/" + store, null, app).statusCode()).isEqualTo(200);
    assertThat(call("GET", "/v1/vector_stores/" + store, null, app).statusCode()).isEqualTo(404);
  }

  private static List<String> ids(JsonNode list) {
    List<String> ids = new ArrayList<>();
    list.path("data").forEach(o -> ids.add(o.path("id").asText()));
    return ids;
  }

  private RequestOutcome outcome(Operation operation) throws InterruptedException {
    for (int i = 0; i < 10; i++) {
      RequestOutcome o = world.listener.requests.poll(5, java.util.concurrent.TimeUnit.SECONDS);
      if (o == null) {
        break;
      }
      if (o.operation() == operation) {
        return o;
      }
    }
    throw new AssertionError("no outcome of " + operation);
  }
}
