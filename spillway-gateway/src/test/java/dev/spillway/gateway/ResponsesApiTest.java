package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Responses API through the gateway, over HTTP, in front of two simulators: the PTU deployment on one and the PAYG
 * deployment on the other, so a stored response exists on one backend only. Two consumers: {@code app} owns what it
 * creates; {@code intruder} must never reach it.
 */
class ResponsesApiTest {
  private TestWorld world;
  private String app;
  private String intruder;

  @BeforeEach
  void start() throws Exception {
    Path dir = Files.createTempDirectory("spillway-responses");
    world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("gpt-4o-ptu", 6_000_000)));
    world.simulateOther(List.of(DeploymentConfig.payg("gpt-4o-payg", 10_000_000, 100_000)));
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: ptu, url: "%s", deployment: gpt-4o-ptu, auth: { apiKey: %s }, tier: ptu, priority: 1, apiVersion: 2025-04-01-preview }
              - { id: payg, url: "%s", deployment: gpt-4o-payg, auth: { apiKey: %s }, tier: payg, priority: 2, apiVersion: v1 }
        consumers:
          - { id: app, team: t, models: ["*"] }
          - { id: intruder, team: u, models: ["*"] }
        auth:
          keyStore: %s
          keyPepper: pepper-0123456789abcdef
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, world.otherUrl(), Backends.BACKEND_KEY, dir.resolve("keys.json"));
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
    KeyStore keys = world.gateway.keys().orElseThrow();
    app = keys.create("app", Instant.now()).plaintext();
    intruder = keys.create("intruder", Instant.now()).plaintext();
  }

  @AfterEach
  void stop() {
    world.close();
  }

  private HttpResponse<String> call(String method, String path, String body, String key) throws Exception {
    return Http.send(method, world.url(path), body, Map.of("api-key", key));
  }

  private HttpResponse<String> create(String key, String extra) throws Exception {
    return call("POST", "/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"Say hello\",\"max_output_tokens\":16" + extra + "}", key);
  }

  private static String backend(HttpResponse<String> r) {
    return r.headers().firstValue("x-spillway-backend").orElse("");
  }

  private void admin(String path) throws Exception {
    assertThat(Http.post(world.url("/admin/backends/" + path), "").statusCode()).isEqualTo(200);
  }

  @Test
  void aStoredResponseIsItsOwnersAndLivesOnItsBackend() throws Exception {
    HttpResponse<String> created = create(app, "");
    assertThat(created.statusCode()).isEqualTo(200);
    assertThat(backend(created)).isEqualTo("ptu");
    JsonNode body = Http.json(created);
    String id = body.path("id").asText();
    assertThat(body.path("usage").path("input_tokens").asLong()).isPositive();

    HttpResponse<String> read = call("GET", "/v1/responses/" + id, null, app);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(Http.json(read).path("id").asText()).isEqualTo(id);
    assertThat(backend(read)).isEqualTo("ptu");
    assertThat(call("GET", "/v1/responses/" + id + "/input_items", null, app).statusCode()).isEqualTo(200);

    // Another caller, an unknown id and a deleted one read alike: 404, nothing said about whose it is.
    HttpResponse<String> foreign = call("GET", "/v1/responses/" + id, null, intruder);
    HttpResponse<String> unknown = call("GET", "/v1/responses/resp_unknown", null, app);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Http.json(foreign).path("error").path("code").asText()).isEqualTo("not_found");
    assertThat(Http.json(foreign).path("error").path("message").asText())
        .isEqualTo("Response with id '" + id + "' not found.");
    assertThat(call("DELETE", "/v1/responses/" + id, null, intruder).statusCode()).isEqualTo(404);
    assertThat(call("GET", "/v1/responses/" + id + "/input_items", null, intruder).statusCode()).isEqualTo(404);
    assertThat(call("POST", "/v1/responses/" + id + "/cancel", null, intruder).statusCode()).isEqualTo(404);

    HttpResponse<String> deleted = call("DELETE", "/v1/responses/" + id, null, app);
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(Http.json(deleted).path("deleted").asBoolean()).isTrue();
    assertThat(call("GET", "/v1/responses/" + id, null, app).statusCode()).isEqualTo(404);
  }

  @Test
  void aContinuedConversationGoesToTheBackendThatHoldsIt() throws Exception {
    admin("ptu/force-open");
    HttpResponse<String> first = create(app, "");
    admin("ptu/reset");
    assertThat(backend(first)).isEqualTo("payg");
    String id = Http.json(first).path("id").asText();

    HttpResponse<String> next = create(app, ",\"previous_response_id\":\"" + id + "\"");
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(backend(next)).isEqualTo("payg"); // the PTU is free again, but the conversation is on PAYG
    assertThat(backend(create(app, ""))).isEqualTo("ptu");

    HttpResponse<String> foreign = create(intruder, ",\"previous_response_id\":\"" + id + "\"");
    assertThat(foreign.statusCode()).isEqualTo(404);
    JsonNode error = Http.json(foreign).path("error");
    assertThat(error.path("code").asText()).isEqualTo("previous_response_not_found");
    assertThat(error.path("param").asText()).isEqualTo("previous_response_id");
  }

  @Test
  void aStreamIsBookedWithItsFinalUsageAndItsResponseRecorded() throws Exception {
    HttpResponse<String> r = create(app, ",\"stream\":true");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    // max_output_tokens 16: the simulator writes exactly that many, so the stream ends with response.incomplete
    String completed = r.body().lines().filter(l -> l.startsWith("data: {\"type\":\"response.incomplete\""))
        .findFirst().orElseThrow().substring("data: ".length());
    JsonNode response = Http.JSON.readTree(completed).path("response");

    RequestOutcome outcome = world.listener.requests.poll(5, TimeUnit.SECONDS);
    assertThat(outcome.operation()).isEqualTo(Operation.RESPONSES);
    assertThat(outcome.stream()).isTrue();
    assertThat(outcome.usageEstimated()).isFalse();
    assertThat(outcome.usage().orElseThrow().promptTokens()).isEqualTo(response.path("usage").path("input_tokens").asLong());
    assertThat(outcome.usage().orElseThrow().completionTokens())
        .isEqualTo(response.path("usage").path("output_tokens").asLong());
    assertThat(call("GET", "/v1/responses/" + response.path("id").asText(), null, app).statusCode()).isEqualTo(200);
  }

  @Test
  void azureShapesReachTheResponsesApi() throws Exception {
    HttpResponse<String> legacy = call("POST", "/openai/responses?api-version=2025-04-01-preview",
        "{\"model\":\"gpt-4o\",\"input\":\"Hello\"}", app);
    assertThat(legacy.statusCode()).as(legacy.body()).isEqualTo(200);
    String id = Http.json(legacy).path("id").asText();
    assertThat(call("GET", "/openai/responses/" + id + "?api-version=2025-04-01-preview", null, app).statusCode())
        .isEqualTo(200);
    HttpResponse<String> v1 = call("POST", "/openai/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"Hello\"}", app);
    assertThat(v1.statusCode()).isEqualTo(200);
  }

  @Test
  void aResponseNotStoredIsNotRecorded() throws Exception {
    HttpResponse<String> r = create(app, ",\"store\":false");
    assertThat(r.statusCode()).isEqualTo(200);
    HttpResponse<String> read = call("GET", "/v1/responses/" + Http.json(r).path("id").asText(), null, app);
    assertThat(read.statusCode()).isEqualTo(404);
    assertThat(backend(read)).isEmpty(); // answered by the gateway: no backend was asked
  }
}
