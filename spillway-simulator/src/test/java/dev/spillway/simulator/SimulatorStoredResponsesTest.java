package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Stored responses over real HTTP: retrieve, list input items, delete, cancel, continue, and per-instance ids. */
class SimulatorStoredResponsesTest {
  private static final String LEGACY = "?api-version=2025-04-01-preview";
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o", 0, 0)));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static JsonNode create(Simulator target, String body) {
    HttpResponse<String> r = harness.post(target, "/v1/responses", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return SimHarness.json(r);
  }

  @Test
  void aStoredResponseCanBeRetrievedListedAndDeletedOnEveryUrlShape() {
    for (String[] shape : new String[][] {{"/v1/responses/", ""}, {"/openai/v1/responses/", ""},
        {"/openai/responses/", LEGACY}}) {
      JsonNode created = create(sim, SimHarness.responses("gpt-4o"));
      String id = created.path("id").asText();
      String url = shape[0] + id;

      HttpResponse<String> got = harness.get(sim, url + shape[1]);
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.headers().firstValue("x-ms-deployment-name")).hasValue("gpt-4o");
      assertThat(SimHarness.json(got)).isEqualTo(created);

      JsonNode items = SimHarness.json(harness.get(sim, url + "/input_items" + shape[1]));
      assertThat(items.path("object").asText()).isEqualTo("list");
      assertThat(items.path("has_more").asBoolean()).isFalse();
      assertThat(items.path("data")).hasSize(1);
      JsonNode item = items.path("data").get(0);
      assertThat(item.path("id").asText()).matches("msg_[0-9a-f]{48}").isEqualTo(items.path("first_id").asText())
          .isEqualTo(items.path("last_id").asText());
      assertThat(item.path("type").asText()).isEqualTo("message");
      assertThat(item.path("role").asText()).isEqualTo("user");
      assertThat(item.path("content").get(0).path("type").asText()).isEqualTo("input_text");
      assertThat(item.path("content").get(0).path("text").asText()).isEqualTo("Say something about rivers.");

      HttpResponse<String> deleted = harness.delete(sim, url + shape[1]);
      assertThat(deleted.statusCode()).isEqualTo(200);
      assertThat(SimHarness.json(deleted).toString())
          .isEqualTo("{\"id\":\"" + id + "\",\"object\":\"response.deleted\",\"deleted\":true}");
      assertNotFound(harness.get(sim, url + shape[1]), id);
      assertNotFound(harness.delete(sim, url + shape[1]), id);
      assertNotFound(harness.get(sim, url + "/input_items" + shape[1]), id);
    }
  }

  @Test
  void inputItemsAreListedNewestFirstUnlessAskedAndPage() {
    String body = "{\"model\":\"gpt-4o\",\"input\":[{\"role\":\"user\",\"content\":\"one\"},"
        + "{\"role\":\"assistant\",\"content\":\"two\"},{\"role\":\"user\",\"content\":\"three\"}]}";
    String url = "/v1/responses/" + create(sim, body).path("id").asText() + "/input_items";

    JsonNode desc = SimHarness.json(harness.get(sim, url));
    assertThat(texts(desc)).containsExactly("three", "two", "one");
    assertThat(desc.path("data").get(1).path("content").get(0).path("type").asText()).isEqualTo("output_text");
    JsonNode asc = SimHarness.json(harness.get(sim, url + "?order=asc&limit=2"));
    assertThat(texts(asc)).containsExactly("one", "two");
    assertThat(asc.path("has_more").asBoolean()).isTrue();
    JsonNode rest = SimHarness.json(harness.get(sim, url + "?order=asc&after=" + asc.path("last_id").asText()));
    assertThat(texts(rest)).containsExactly("three");
    assertThat(rest.path("has_more").asBoolean()).isFalse();
    assertThat(harness.get(sim, url + "?limit=0").statusCode()).isEqualTo(400);
  }

  @Test
  void storeFalseKeepsNothing() {
    int before = sim.storedResponseCount();
    JsonNode created = create(sim, SimHarness.responses("gpt-4o", "\"store\":false"));
    assertThat(created.path("store").asBoolean()).isFalse();
    assertNotFound(harness.get(sim, "/v1/responses/" + created.path("id").asText()), created.path("id").asText());
    assertThat(sim.storedResponseCount()).isEqualTo(before);
  }

  @Test
  void aStreamedResponseIsStoredToo() {
    HttpResponse<String> r = harness.post(sim, "/v1/responses", SimHarness.responses("gpt-4o", "\"stream\":true"));
    JsonNode completed = SimHarness.namedEvents(r.body()).getLast().data().path("response");
    assertThat(SimHarness.json(harness.get(sim, "/v1/responses/" + completed.path("id").asText()))).isEqualTo(completed);
  }

  @Test
  void previousResponseIdAddsItsConversationToTheInputTokens() {
    JsonNode first = create(sim, SimHarness.responses("gpt-4o"));
    JsonNode alone = create(sim, "{\"model\":\"gpt-4o\",\"input\":\"And about lakes?\"}");
    JsonNode second = create(sim, "{\"model\":\"gpt-4o\",\"input\":\"And about lakes?\",\"previous_response_id\":\""
        + first.path("id").asText() + "\"}");

    assertThat(second.path("previous_response_id").asText()).isEqualTo(first.path("id").asText());
    assertThat(second.path("usage").path("input_tokens").asLong()).isEqualTo(
        alone.path("usage").path("input_tokens").asLong() + first.path("usage").path("total_tokens").asLong());
  }

  @Test
  void unknownPreviousResponseIdIs404() {
    HttpResponse<String> r = harness.post(sim, "/v1/responses",
        SimHarness.responses("gpt-4o", "\"previous_response_id\":\"resp_nope\""));
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"error\":{\"message\":\"Previous response with id 'resp_nope' not found.\","
        + "\"type\":\"invalid_request_error\",\"param\":\"previous_response_id\",\"code\":\"previous_response_not_found\"}}");
  }

  @Test
  void anotherSimulatorDoesNotKnowTheseIds() {
    Simulator twin = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o", 0, 0)));
    String id = create(sim, SimHarness.responses("gpt-4o")).path("id").asText();
    String twinsOwn = create(twin, SimHarness.responses("gpt-4o")).path("id").asText();

    assertThat(twinsOwn).isNotEqualTo(id); // same seed, same body: still distinct ids
    assertNotFound(harness.get(twin, "/v1/responses/" + id), id);
    assertThat(harness.post(twin, "/v1/responses", SimHarness.responses("gpt-4o",
        "\"previous_response_id\":\"" + id + "\"")).statusCode()).isEqualTo(404);
    assertThat(harness.get(sim, "/v1/responses/" + id).statusCode()).isEqualTo(200);
    assertThat(twin.storedResponseCount()).isEqualTo(1);
  }

  @Test
  void cancellingACompletedResponseIs400AndAnUnknownOne404() {
    String id = create(sim, SimHarness.responses("gpt-4o")).path("id").asText();
    HttpResponse<String> r = harness.post(sim, "/v1/responses/" + id + "/cancel", "");
    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = SimHarness.json(r).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText()).contains("background");
    assertThat(error.has("param") && error.has("code")).isTrue();
    assertThat(harness.get(sim, "/v1/responses/" + id).statusCode()).isEqualTo(200);
    assertNotFound(harness.post(sim, "/openai/responses/resp_gone/cancel" + LEGACY, ""), "resp_gone");
  }

  @Test
  void legacyShapeNeedsApiVersionAndHasNoDeploymentScopedTwin() {
    String id = create(sim, SimHarness.responses("gpt-4o")).path("id").asText();
    String notFound = "{\"error\":{\"code\":\"404\",\"message\":\"Resource not found\"}}";
    assertThat(harness.post(sim, "/openai/responses", SimHarness.responses("gpt-4o")).body()).isEqualTo(notFound);
    assertThat(harness.get(sim, "/openai/responses/" + id).body()).isEqualTo(notFound);
    HttpResponse<String> scoped = harness.post(sim, "/openai/deployments/gpt-4o/responses" + LEGACY, SimHarness.responses("gpt-4o"));
    assertThat(scoped.statusCode()).isEqualTo(404);
    assertThat(harness.get(sim, "/v1/responses/" + id + "/elsewhere").statusCode()).isEqualTo(404);
  }

  @Test
  void wrongMethodsAre405WithAllow() {
    String id = create(sim, SimHarness.responses("gpt-4o")).path("id").asText();
    assertMethodNotAllowed(harness.get(sim, "/v1/responses"), "POST");
    assertMethodNotAllowed(harness.post(sim, "/v1/responses/" + id, "{}"), "GET, DELETE");
    assertMethodNotAllowed(harness.delete(sim, "/openai/v1/responses/" + id + "/input_items"), "GET");
    assertMethodNotAllowed(harness.get(sim, "/openai/responses/" + id + "/cancel" + LEGACY), "POST");
  }

  @Test
  void idCallsNeedTheKeyWhenTheSimulatorHasOne() {
    Simulator keyed = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o", 0, 0)).toBuilder().apiKey("k-1").build());
    HttpResponse<String> created = harness.post(keyed, "/v1/responses", SimHarness.responses("gpt-4o"), "api-key", "k-1");
    String url = "/v1/responses/" + SimHarness.json(created).path("id").asText();

    assertThat(harness.get(keyed, url).statusCode()).isEqualTo(401);
    assertThat(harness.send(HttpRequest.newBuilder(URI.create(keyed.baseUrl() + url)).DELETE().build()).statusCode())
        .isEqualTo(401);
    assertThat(harness.get(keyed, url + "/input_items", "authorization", "Bearer k-1").statusCode()).isEqualTo(200);
    assertThat(harness.get(keyed, url, "api-key", "k-1").statusCode()).isEqualTo(200);
  }

  private static void assertNotFound(HttpResponse<String> r, String id) {
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEqualTo("{\"error\":{\"message\":\"Response with id '" + id + "' not found.\","
        + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
  }

  private static void assertMethodNotAllowed(HttpResponse<String> r, String allow) {
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.headers().firstValue("allow")).hasValue(allow);
  }

  private static List<String> texts(JsonNode list) {
    return list.path("data").findValues("text").stream().map(JsonNode::asText).toList();
  }
}
