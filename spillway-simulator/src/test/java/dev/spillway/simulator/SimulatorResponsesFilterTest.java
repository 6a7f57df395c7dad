package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Azure OpenAI content filtering on the Responses API over real HTTP: refused prompts and filtered outputs. */
class SimulatorResponsesFilterTest {
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimulatorConfig.builder().zeroLatency(true)
        .deployment(DeploymentConfig.payg("gpt-4o", 0, 0))
        .contentFilter(ContentFilterConfig.of(
            TriggerTerm.prompt(FilterCategory.VIOLENCE, "sim-violence", FilterSeverity.MEDIUM),
            TriggerTerm.completion(FilterCategory.HATE, "sim-rant", FilterSeverity.HIGH)))
        .build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static String body(String instructions, String input, String... extraFields) {
    StringBuilder b = new StringBuilder("{\"model\":\"gpt-4o\",");
    for (String f : extraFields) {
      b.append(f).append(',');
    }
    return b.append("\"instructions\":\"").append(instructions).append("\",\"input\":[{\"role\":\"user\",\"content\":[")
        .append("{\"type\":\"input_text\",\"text\":\"").append(input).append("\"}]}]}").toString();
  }

  @Test
  void aBlockedPromptIsRefusedWithAzures400() {
    DeploymentStats before = sim.stats().deployment("gpt-4o");
    int stored = sim.storedResponseCount();
    HttpResponse<String> r = harness.post(sim, "/openai/v1/responses", body("Be brief.", "more sim-violence please"));

    assertThat(r.statusCode()).isEqualTo(400);
    JsonNode error = SimHarness.json(r).path("error");
    assertThat(error.path("code").asText()).isEqualTo("content_filter");
    SimulatorContentFilterTest.assertRated(error.path("innererror").path("content_filter_result"), "violence", true,
        "medium");
    assertThat(sim.stats().deployment("gpt-4o").minus(before).promptsFiltered()).isEqualTo(1);
    assertThat(sim.storedResponseCount()).isEqualTo(stored);
  }

  @Test
  void instructionsAreNotTheUsersText() {
    HttpResponse<String> r = harness.post(sim, "/v1/responses", body("Never discuss sim-violence.", "rivers"));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(SimHarness.json(r).path("status").asText()).isEqualTo("completed");
  }

  @Test
  void aFilteredOutputEndsIncompleteForContentFilter() {
    HttpResponse<String> r = harness.post(sim, "/v1/responses", body("Be brief.", "a sim-rant", "\"max_output_tokens\":16"));

    JsonNode response = SimHarness.json(r);
    assertThat(response.path("status").asText()).isEqualTo("incomplete");
    assertThat(response.path("incomplete_details").path("reason").asText()).isEqualTo("content_filter");
    assertThat(response.path("output").get(0).path("status").asText()).isEqualTo("incomplete");
    assertThat(response.path("usage").path("output_tokens").asInt()).isEqualTo(8);
  }

  @Test
  void aFilteredStreamSendsSomeDeltasThenResponseIncomplete() {
    HttpResponse<String> r = harness.post(sim, "/v1/responses",
        body("Be brief.", "a sim-rant", "\"max_output_tokens\":16", "\"stream\":true"));

    List<SimHarness.NamedEvent> events = SimHarness.namedEvents(r.body());
    assertThat(events.stream().filter(e -> e.event().equals("response.output_text.delta"))).hasSize(8);
    SimHarness.NamedEvent last = events.getLast();
    assertThat(last.event()).isEqualTo("response.incomplete");
    assertThat(last.data().path("response").path("incomplete_details").path("reason").asText())
        .isEqualTo("content_filter");
  }

  @Test
  void theHeaderDrivesTheResponsesApiToo() {
    HttpResponse<String> r = harness.post(sim, "/v1/responses", body("Be brief.", "rivers"),
        ContentFilterHeader.NAME, "prompt=jailbreak");

    assertThat(r.statusCode()).isEqualTo(400);
    SimulatorContentFilterTest.assertJailbreak(
        SimHarness.json(r).path("error").path("innererror").path("content_filter_result"), true);
  }
}
