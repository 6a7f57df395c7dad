package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.time.ManualTicker;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Responses API's create call over real HTTP: JSON and streamed answers, limits, faults, validation. */
class SimulatorResponsesTest {
  private static final int INPUT_TOKENS =
      CompletionRequest.parse(Operation.CHAT_COMPLETIONS, SimHarness.parse(SimHarness.CHAT)).promptTokens();
  private static final List<String> URLS =
      List.of("/v1/responses", "/openai/v1/responses", "/openai/responses?api-version=2025-04-01-preview");
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o", 0, 0), DeploymentConfig.embeddings("emb", 4)));
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void createAnswersAResponseObjectWithUsageOnEveryUrlShape() {
    for (String url : URLS) {
      HttpResponse<String> r = harness.post(sim, url, SimHarness.responses("gpt-4o", "\"metadata\":{\"k\":\"v\"}"));

      assertThat(r.statusCode()).as(url).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
      assertThat(r.headers().firstValue("x-ms-deployment-name")).hasValue("gpt-4o");
      JsonNode body = SimHarness.json(r);
      assertThat(body.path("id").asText()).matches("resp_[0-9a-f]{48}");
      assertThat(body.path("object").asText()).isEqualTo("response");
      assertThat(body.path("created_at").asLong()).isPositive();
      assertThat(body.path("status").asText()).isEqualTo("completed");
      assertThat(body.path("incomplete_details").isNull()).isTrue();
      assertThat(body.path("model").asText()).isEqualTo("gpt-4o");
      assertThat(body.path("instructions").asText()).isEqualTo("You are terse.");
      assertThat(body.path("previous_response_id").isNull()).isTrue();
      assertThat(body.path("store").asBoolean()).isTrue();
      assertThat(body.path("metadata").path("k").asText()).isEqualTo("v");
      assertThat(body.path("output")).hasSize(1);
      JsonNode message = body.path("output").get(0);
      assertThat(message.path("type").asText()).isEqualTo("message");
      assertThat(message.path("id").asText()).matches("msg_[0-9a-f]{48}");
      assertThat(message.path("status").asText()).isEqualTo("completed");
      assertThat(message.path("role").asText()).isEqualTo("assistant");
      JsonNode part = message.path("content").get(0);
      assertThat(part.path("type").asText()).isEqualTo("output_text");
      assertThat(part.path("annotations").isArray()).isTrue();
      JsonNode usage = body.path("usage");
      int output = usage.path("output_tokens").asInt();
      assertThat(output).isBetween(CompletionText.MIN_TOKENS, CompletionText.MAX_TOKENS)
          .isEqualTo(TokenCounter.count(part.path("text").asText()));
      assertThat(usage.path("input_tokens").asInt()).isEqualTo(INPUT_TOKENS); // the same count as the chat request
      assertThat(usage.path("total_tokens").asInt()).isEqualTo(INPUT_TOKENS + output);
      assertThat(usage.path("input_tokens_details").path("cached_tokens").asInt()).isZero();
      assertThat(usage.path("output_tokens_details").path("reasoning_tokens").asInt()).isZero();
    }
  }

  @Test
  void sameBodySameTextDifferentIds() {
    JsonNode first = SimHarness.json(harness.post(sim, "/v1/responses", SimHarness.responses("gpt-4o")));
    JsonNode second = SimHarness.json(harness.post(sim, "/v1/responses", SimHarness.responses("gpt-4o")));
    assertThat(second.path("output").get(0).path("content")).isEqualTo(first.path("output").get(0).path("content"));
    assertThat(second.path("id")).isNotEqualTo(first.path("id"));
    assertThat(second.path("output").get(0).path("id")).isNotEqualTo(first.path("output").get(0).path("id"));
  }

  @Test
  void inputItemsCountLikeChatMessages() {
    String items = "{\"model\":\"gpt-4o\",\"input\":[{\"role\":\"system\",\"content\":\"You are terse.\"},"
        + "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Say something about rivers.\"}]}]}";
    JsonNode body = SimHarness.json(harness.post(sim, "/v1/responses", items));
    assertThat(body.path("usage").path("input_tokens").asInt()).isEqualTo(INPUT_TOKENS);
  }

  @Test
  void maxOutputTokensCapsTheOutputAndMakesItIncomplete() {
    JsonNode body = SimHarness.json(harness.post(sim, "/v1/responses",
        SimHarness.responses("gpt-4o", "\"max_output_tokens\":17")));
    assertThat(body.path("status").asText()).isEqualTo("incomplete");
    assertThat(body.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
    assertThat(body.path("max_output_tokens").asInt()).isEqualTo(17);
    assertThat(body.path("usage").path("output_tokens").asInt()).isEqualTo(17);
    assertThat(body.path("output").get(0).path("status").asText()).isEqualTo("incomplete");
    assertThat(TokenCounter.count(body.path("output").get(0).path("content").get(0).path("text").asText())).isEqualTo(17);
  }

  @Test
  void streamsTypedEventsInOrderWithUsageAtTheEndAndNoDone() {
    HttpResponse<String> r = harness.post(sim, "/openai/v1/responses", SimHarness.responses("gpt-4o", "\"stream\":true"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(r.body()).doesNotContain("[DONE]");
    List<SimHarness.NamedEvent> events = SimHarness.namedEvents(r.body());
    List<String> types = events.stream().map(SimHarness.NamedEvent::event).toList();
    int deltas = types.size() - 8;
    assertThat(types.subList(0, 4)).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.content_part.added");
    assertThat(types.subList(4, 4 + deltas)).containsOnly("response.output_text.delta");
    assertThat(types.subList(4 + deltas, types.size())).containsExactly("response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.completed");
    assertThat(events).allSatisfy(e -> assertThat(e.data().path("type").asText()).isEqualTo(e.event()));
    assertThat(events.stream().map(e -> e.data().path("sequence_number").asInt()).toList())
        .isEqualTo(IntStream.range(0, events.size()).boxed().toList());

    JsonNode created = events.get(0).data().path("response");
    assertThat(created.path("status").asText()).isEqualTo("in_progress");
    assertThat(created.path("usage").isNull()).isTrue();
    assertThat(created.path("output").isEmpty()).isTrue();
    String itemId = events.get(2).data().path("item").path("id").asText();
    StringBuilder text = new StringBuilder();
    for (SimHarness.NamedEvent delta : events.subList(4, 4 + deltas)) {
      assertThat(delta.data().path("item_id").asText()).isEqualTo(itemId);
      assertThat(delta.data().path("output_index").asInt()).isZero();
      assertThat(delta.data().path("content_index").asInt()).isZero();
      text.append(delta.data().path("delta").asText());
    }
    assertThat(events.get(4 + deltas).data().path("text").asText()).isEqualTo(text.toString());
    JsonNode completed = events.getLast().data().path("response");
    assertThat(completed.path("id").asText()).isEqualTo(created.path("id").asText());
    assertThat(completed.path("status").asText()).isEqualTo("completed");
    assertThat(completed.path("output").get(0).path("id").asText()).isEqualTo(itemId);
    assertThat(completed.path("output").get(0).path("content").get(0).path("text").asText()).isEqualTo(text.toString());
    assertThat(completed.path("usage").path("output_tokens").asInt()).isEqualTo(deltas).isEqualTo(TokenCounter.count(text.toString()));
    assertThat(completed.path("usage").path("input_tokens").asInt()).isEqualTo(INPUT_TOKENS);
    assertThat(completed.path("usage").path("total_tokens").asInt()).isEqualTo(INPUT_TOKENS + deltas);
  }

  @Test
  void aCappedStreamEndsWithResponseIncomplete() {
    List<SimHarness.NamedEvent> events = SimHarness.namedEvents(harness.post(sim, "/v1/responses",
        SimHarness.responses("gpt-4o", "\"stream\":true", "\"max_output_tokens\":16")).body());
    assertThat(events).hasSize(16 + 8);
    assertThat(events.getLast().event()).isEqualTo("response.incomplete");
    JsonNode response = events.getLast().data().path("response");
    assertThat(response.path("status").asText()).isEqualTo("incomplete");
    assertThat(response.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
    assertThat(response.path("usage").path("output_tokens").asInt()).isEqualTo(16);
    assertThat(events.get(events.size() - 2).data().path("item").path("status").asText()).isEqualTo("incomplete");
  }

  @Test
  void aFullPtuDeploymentAnswers429ToResponsesAsToChat() {
    ManualTicker ticker = new ManualTicker();
    // 600 tokens/minute → 10 tokens/s; the default 10 s burst → a 100-token bucket.
    Simulator ptu = harness.start(SimHarness.fast(DeploymentConfig.ptu("gpt-4o-ptu", 600)), ticker);
    long cost = INPUT_TOKENS + 40;
    assertThat(harness.post(ptu, "/v1/chat/completions", SimHarness.chat("gpt-4o-ptu", "\"max_tokens\":40")).statusCode())
        .isEqualTo(200);

    HttpResponse<String> throttled = harness.post(ptu, "/openai/responses?api-version=2025-04-01-preview",
        SimHarness.responses("gpt-4o-ptu", "\"max_output_tokens\":40"));

    assertThat(throttled.statusCode()).isEqualTo(429);
    long expectedMillis = (2 * cost - 100) * 100; // the same cost as the chat request: tokens over the bucket ÷ 10/s
    assertThat(throttled.headers().firstValue("retry-after-ms")).hasValue(Long.toString(expectedMillis));
    assertThat(throttled.headers().firstValue("retry-after")).hasValue(Long.toString((expectedMillis + 999) / 1000));
    assertThat(throttled.headers().firstValue("azure-openai-deployment-utilization")).isPresent();
    JsonNode error = SimHarness.json(throttled).path("error");
    assertThat(error.path("code").asText()).isEqualTo("429");
    assertThat(error.path("message").asText())
        .startsWith("Requests to the Responses_Create Operation under Azure OpenAI API version 2025-04-01-preview");
    assertThat(ptu.storedResponseCount()).isZero();

    ticker.advanceMillis(expectedMillis);
    assertThat(harness.post(ptu, "/v1/responses", SimHarness.responses("gpt-4o-ptu", "\"max_output_tokens\":40"))
        .statusCode()).isEqualTo(200);
    DeploymentStats stats = ptu.stats().deployment("gpt-4o-ptu");
    assertThat(stats.throttled()).isEqualTo(1);
    assertThat(stats.succeeded()).isEqualTo(2);
    assertThat(stats.responsesCreated()).isEqualTo(1);
    assertThat(stats.promptTokens()).isEqualTo(2L * INPUT_TOKENS);
    assertThat(stats.completionTokens()).isEqualTo(80);
  }

  @Test
  void faultsApplyAsToChat() {
    HttpResponse<String> r = harness.post(sim, "/v1/responses", SimHarness.responses("gpt-4o"), "x-sim-fault", "503");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(SimHarness.json(r).path("error").path("code").asText()).isEqualTo("ServiceUnavailable");
  }

  @Test
  void aMidstreamFaultCutsTheStreamAndStoresNothing() {
    Simulator own = harness.start(SimHarness.fast(DeploymentConfig.payg("m", 0, 0)));
    assertThatThrownBy(() -> harness.post(own, "/v1/responses", SimHarness.responses("m", "\"stream\":true"),
        "x-sim-fault", "midstream")).isInstanceOf(UncheckedIOException.class);
    assertThat(own.storedResponseCount()).isZero();
    assertThat(own.stats().deployment("m").faulted()).isEqualTo(1);
    assertThat(own.stats().deployment("m").responsesCreated()).isZero();
  }

  @Test
  void invalidBodiesAre400NamingTheParameter() {
    assertThat(param(harness.post(sim, "/v1/responses", "{\"model\":\"gpt-4o\"}"))).isEqualTo("input");
    assertThat(param(harness.post(sim, "/v1/responses", "{\"model\":\"gpt-4o\",\"input\":[]}"))).isEqualTo("input");
    assertThat(param(harness.post(sim, "/v1/responses", "{\"model\":\"gpt-4o\",\"input\":[{\"role\":\"robot\",\"content\":\"x\"}]}")))
        .isEqualTo("input[0].role");
    assertThat(param(harness.post(sim, "/v1/responses", SimHarness.responses("gpt-4o", "\"max_output_tokens\":15"))))
        .isEqualTo("max_output_tokens");
    assertThat(param(harness.post(sim, "/v1/responses", SimHarness.responses("gpt-4o", "\"store\":\"yes\"")))).isEqualTo("store");
    assertThat(param(harness.post(sim, "/v1/responses", SimHarness.responses("gpt-4o", "\"background\":true"))))
        .isEqualTo("background");
    assertThat(param(harness.post(sim, "/v1/responses", "{\"input\":\"hi\"}"))).isEqualTo("model");
  }

  @Test
  void anEmbeddingsDeploymentDoesNotServeResponses() {
    HttpResponse<String> r = harness.post(sim, "/v1/responses", SimHarness.responses("emb"));
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(r).path("error").path("code").asText()).isEqualTo("OperationNotSupported");
  }

  @Test
  void nonStreamedAnswerWaitsForTheWholeOutput() {
    Simulator timed = harness.start(SimulatorConfig.builder()
        .timing(Timing.defaults().withTtftBase(Duration.ofMillis(60)).withTtftPerPromptToken(Duration.ZERO)
            .withOutputTokensPerSecond(100))
        .deployment(DeploymentConfig.payg("gpt-4o", 0, 0))
        .build());
    long start = System.nanoTime();
    HttpResponse<String> r = harness.post(timed, "/v1/responses", SimHarness.responses("gpt-4o", "\"max_output_tokens\":16"));
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(elapsedMillis).isGreaterThanOrEqualTo(60 + 15 * 10); // lower bound only: TTFT + 15 more tokens at 100/s
  }

  private static String param(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(SimHarness.json(r).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    return SimHarness.json(r).path("error").path("param").asText();
  }
}
