package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Realtime API over a real WebSocket: sessions, text turns and their usage, audio, error events. */
class SimulatorRealtimeTest {
  private static final String GA_URL = "/v1/realtime?model=gpt-4o";
  private static final String AZURE_V1_URL = "/openai/v1/realtime?model=gpt-4o";
  private static final String AZURE_PREVIEW_URL = "/openai/realtime?api-version=2025-04-01-preview&deployment=gpt-4o";
  private static final String QUESTION = "Say something about rivers.";
  private static final String ID = "[0-9A-Za-z]{21}";
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

  @Test
  void everyUrlShapeOpensASessionAnnouncedBySessionCreated() {
    for (String url : List.of(GA_URL, AZURE_V1_URL, AZURE_PREVIEW_URL)) {
      try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, url)) {
        JsonNode created = c.next("session.created");
        assertThat(created.path("event_id").asText()).as(url).matches("event_" + ID);
        JsonNode session = created.path("session");
        assertThat(session.path("id").asText()).matches("sess_" + ID);
        assertThat(session.path("object").asText()).isEqualTo("realtime.session");
        assertThat(session.path("model").asText()).isEqualTo("gpt-4o");
        assertThat(session.path("expires_at").asLong()).isPositive();
        if (url.equals(AZURE_PREVIEW_URL)) { // beta session: flat fields
          assertThat(session.path("modalities")).containsExactly(text("text"), text("audio"));
          assertThat(session.path("input_audio_format").asText()).isEqualTo("pcm16");
          assertThat(session.has("type")).isFalse();
        } else { // GA session
          assertThat(session.path("type").asText()).isEqualTo("realtime");
          assertThat(session.path("output_modalities").isArray()).isTrue();
          assertThat(session.path("audio").path("input").path("format").path("type").asText()).isEqualTo("audio/pcm");
        }
        assertThat(c.subProtocol()).isNull();
      }
    }
  }

  @Test
  void aTextTurnStreamsGaEventsAndReportsUsageOfTheTokenCounter() {
    RealtimeStats realtimeBefore = sim.realtimeStats("gpt-4o");
    DeploymentStats before = sim.stats().deployment("gpt-4o");
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, GA_URL)) {
      c.next("session.created");
      JsonNode added = c.say(QUESTION);
      assertThat(added.path("type").asText()).isEqualTo("conversation.item.added");
      assertThat(added.path("previous_item_id").isNull()).isTrue();
      JsonNode item = added.path("item");
      assertThat(item.path("id").asText()).matches("item_" + ID);
      assertThat(item.path("role").asText()).isEqualTo("user");
      assertThat(item.path("content").get(0).path("text").asText()).isEqualTo(QUESTION);
      assertThat(c.next("conversation.item.done").path("item").path("id").asText()).isEqualTo(item.path("id").asText());

      List<JsonNode> events = c.respond(null);

      List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
      int deltas = (int) types.stream().filter("response.output_text.delta"::equals).count();
      List<String> expected = new ArrayList<>(List.of("response.created", "response.output_item.added",
          "conversation.item.added", "response.content_part.added"));
      expected.addAll(java.util.Collections.nCopies(deltas, "response.output_text.delta"));
      expected.addAll(List.of("response.output_text.done", "response.content_part.done", "response.output_item.done",
          "conversation.item.done", "response.done"));
      assertThat(types).isEqualTo(expected);
      assertThat(events).allSatisfy(e -> assertThat(e.path("event_id").asText()).matches("event_" + ID));
      String responseId = events.getFirst().path("response").path("id").asText();
      assertThat(responseId).matches("resp_" + ID);
      assertThat(events.getFirst().path("response").path("status").asText()).isEqualTo("in_progress");
      StringBuilder streamed = new StringBuilder();
      events.stream().filter(e -> e.path("type").asText().equals("response.output_text.delta")).forEach(e -> {
        assertThat(e.path("response_id").asText()).isEqualTo(responseId);
        streamed.append(e.path("delta").asText());
      });
      String text = events.get(types.indexOf("response.output_text.done")).path("text").asText();
      assertThat(streamed.toString()).isEqualTo(text);

      JsonNode response = events.getLast().path("response");
      assertThat(response.path("id").asText()).isEqualTo(responseId);
      assertThat(response.path("object").asText()).isEqualTo("realtime.response");
      assertThat(response.path("status").asText()).isEqualTo("completed");
      JsonNode output = response.path("output").get(0);
      assertThat(output.path("role").asText()).isEqualTo("assistant");
      assertThat(output.path("content").get(0).path("type").asText()).isEqualTo("output_text");
      assertThat(output.path("content").get(0).path("text").asText()).isEqualTo(text);
      JsonNode usage = response.path("usage");
      int inputTokens = TokenCounter.TOKENS_PER_REPLY_PRIMER + TokenCounter.TOKENS_PER_MESSAGE + TokenCounter.count(QUESTION);
      assertThat(usage.path("input_tokens").asInt()).isEqualTo(inputTokens);
      assertThat(usage.path("output_tokens").asInt()).isEqualTo(deltas).isEqualTo(TokenCounter.count(text))
          .isBetween(CompletionText.MIN_TOKENS, CompletionText.MAX_TOKENS);
      assertThat(usage.path("total_tokens").asInt()).isEqualTo(inputTokens + deltas);
      assertThat(usage.path("input_token_details").path("text_tokens").asInt()).isEqualTo(inputTokens);
      assertThat(usage.path("input_token_details").path("audio_tokens").asInt()).isZero();
      assertThat(usage.path("input_token_details").path("cached_tokens").asInt()).isZero();
      assertThat(usage.path("output_token_details").path("text_tokens").asInt()).isEqualTo(deltas);
      assertThat(usage.path("output_token_details").path("audio_tokens").asInt()).isZero();

      RealtimeStats counted = sim.realtimeStats("gpt-4o").minus(realtimeBefore);
      assertThat(counted.sessionsOpened()).isEqualTo(1);
      assertThat(counted.responsesDone()).isEqualTo(1);
      assertThat(counted.inputTokens()).isEqualTo(inputTokens);
      assertThat(counted.outputTokens()).isEqualTo(deltas);
      DeploymentStats http = sim.stats().deployment("gpt-4o").minus(before);
      assertThat(http.requests()).isEqualTo(1);
      assertThat(http.succeeded()).isEqualTo(1);
      assertThat(http.promptTokens()).isEqualTo(inputTokens);
      assertThat(http.completionTokens()).isEqualTo(deltas);
    }
  }

  @Test
  void theBetaProtocolIsSpokenOnAzuresPreviewUrlAndOnRequest() {
    for (String[] connect : new String[][] {{AZURE_PREVIEW_URL}, {GA_URL, "OpenAI-Beta", "realtime=v1"}}) {
      String url = connect[0];
      String[] headers = java.util.Arrays.copyOfRange(connect, 1, connect.length);
      try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, url, headers)) {
        c.next("session.created");
        assertThat(c.say(QUESTION).path("type").asText()).as(url).isEqualTo("conversation.item.created");

        List<String> types = c.respond(null).stream().map(e -> e.path("type").asText()).distinct().toList();

        assertThat(types).containsExactly("response.created", "response.output_item.added", "conversation.item.created",
            "response.content_part.added", "response.text.delta", "response.text.done", "response.content_part.done",
            "response.output_item.done", "response.done");
      }
    }
  }

  @Test
  void aSecondTurnReadsTheFirstTurnAgainOutputIncluded() {
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, GA_URL)) {
      c.next("session.created");
      c.say(QUESTION);
      c.next("conversation.item.done");
      JsonNode first = c.respond(null).getLast().path("response").path("usage");
      String followUp = "And about lakes?";
      JsonNode added = c.say(followUp);
      c.next("conversation.item.done");

      JsonNode second = c.respond(null).getLast().path("response").path("usage");

      assertThat(added.path("previous_item_id").asText()).matches("item_" + ID); // after the assistant's answer
      long expected = first.path("input_tokens").asLong() + TokenCounter.TOKENS_PER_MESSAGE
          + first.path("output_tokens").asLong() + TokenCounter.TOKENS_PER_MESSAGE + TokenCounter.count(followUp);
      assertThat(second.path("input_tokens").asLong()).isEqualTo(expected);
    }
  }

  @Test
  void theSameConversationGetsTheSameAnswer() {
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, GA_URL)) {
        c.next("session.created");
        c.say(QUESTION);
        c.next("conversation.item.done");
        answers.add(c.respond(null).getLast().path("response").path("output").get(0).path("content").get(0)
            .path("text").asText());
      }
    }
    assertThat(answers.get(1)).isEqualTo(answers.get(0)).isNotEmpty();
  }

  @Test
  void maxOutputTokensCutsTheTextAndTheResponseEndsIncomplete() {
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, GA_URL)) {
      c.next("session.created");
      c.say(QUESTION);
      c.next("conversation.item.done");

      JsonNode response = c.respond("{\"max_output_tokens\":5}").getLast().path("response");

      assertThat(response.path("status").asText()).isEqualTo("incomplete");
      assertThat(response.path("status_details").path("reason").asText()).isEqualTo("max_output_tokens");
      assertThat(response.path("max_output_tokens").asInt()).isEqualTo(5);
      assertThat(response.path("usage").path("output_tokens").asInt()).isEqualTo(5);

      c.send("{\"type\":\"session.update\",\"session\":{\"type\":\"realtime\",\"max_output_tokens\":7,"
          + "\"instructions\":\"Be brief.\"}}");
      JsonNode session = c.next("session.updated").path("session");
      assertThat(session.path("max_output_tokens").asInt()).isEqualTo(7);
      assertThat(session.path("instructions").asText()).isEqualTo("Be brief.");
      JsonNode usage = c.respond(null).getLast().path("response").path("usage");
      assertThat(usage.path("output_tokens").asInt()).isEqualTo(7);
      long conversation = TokenCounter.TOKENS_PER_REPLY_PRIMER + 2 * TokenCounter.TOKENS_PER_MESSAGE
          + TokenCounter.count(QUESTION) + 5;
      assertThat(usage.path("input_tokens").asLong()) // the instructions count as one more message
          .isEqualTo(conversation + TokenCounter.TOKENS_PER_MESSAGE + TokenCounter.count("Be brief."));

      c.send("{\"type\":\"response.create\",\"event_id\":\"evt_9\",\"response\":{\"max_output_tokens\":0}}");
      JsonNode error = c.next("error").path("error");
      assertThat(error.path("code").asText()).isEqualTo("invalid_value");
      assertThat(error.path("param").asText()).isEqualTo("response.max_output_tokens");
      assertThat(error.path("event_id").asText()).isEqualTo("evt_9");
    }
  }

  @Test
  void committedAudioBecomesAUserItemCountedAsAudioTokens() {
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, GA_URL)) {
      c.next("session.created");
      String halfSecond = java.util.Base64.getEncoder().encodeToString(new byte[24_000]); // pcm16 24 kHz: 0.5 s
      c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + halfSecond + "\"}");
      c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + halfSecond + "\"}");
      c.send("{\"type\":\"input_audio_buffer.commit\"}");

      JsonNode committed = c.next("input_audio_buffer.committed");
      JsonNode added = c.next("conversation.item.added");
      c.next("conversation.item.done");
      JsonNode usage = c.respond(null).getLast().path("response").path("usage");

      assertThat(added.path("item").path("id").asText()).isEqualTo(committed.path("item_id").asText());
      assertThat(added.path("item").path("content").get(0).path("type").asText()).isEqualTo("input_audio");
      JsonNode details = usage.path("input_token_details");
      assertThat(details.path("audio_tokens").asInt()).isEqualTo(RealtimeConversation.AUDIO_TOKENS_PER_SECOND);
      assertThat(details.path("text_tokens").asInt())
          .isEqualTo(TokenCounter.TOKENS_PER_REPLY_PRIMER + TokenCounter.TOKENS_PER_MESSAGE);
      assertThat(usage.path("input_tokens").asInt()).isEqualTo(details.path("audio_tokens").asInt()
          + details.path("text_tokens").asInt());

      c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"" + halfSecond + "\"}");
      c.send("{\"type\":\"input_audio_buffer.clear\"}");
      c.next("input_audio_buffer.cleared");
      c.send("{\"type\":\"input_audio_buffer.commit\",\"event_id\":\"evt_2\"}");
      JsonNode empty = c.next("error").path("error");
      assertThat(empty.path("code").asText()).isEqualTo("input_audio_buffer_commit_empty");
      assertThat(empty.path("event_id").asText()).isEqualTo("evt_2");
      c.send("{\"type\":\"input_audio_buffer.append\",\"audio\":\"not base64!\"}");
      assertThat(c.next("error").path("error").path("param").asText()).isEqualTo("audio");
    }
  }

  @Test
  void unknownEventsInvalidJsonAndBinaryFramesGetErrorEventsAndTheSessionStaysOpen() {
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, GA_URL)) {
      c.next("session.created");

      c.send("{\"type\":\"conversation.frobnicate\",\"event_id\":\"evt_1\"}");
      JsonNode unknown = c.next("error");
      c.send("{not json");
      JsonNode invalid = c.next("error");
      c.sendBinary(io.vertx.core.buffer.Buffer.buffer(new byte[] {1, 2, 3}));
      JsonNode binary = c.next("error");
      c.send("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\","
          + "\"content\":[{\"type\":\"input_image\"}]}}");
      JsonNode badPart = c.next("error");

      assertThat(unknown.path("event_id").asText()).matches("event_" + ID);
      assertThat(unknown.path("error").path("type").asText()).isEqualTo("invalid_request_error");
      assertThat(unknown.path("error").path("code").asText()).isEqualTo("invalid_event");
      assertThat(unknown.path("error").path("event_id").asText()).isEqualTo("evt_1");
      assertThat(unknown.path("error").path("message").asText()).contains("conversation.frobnicate");
      assertThat(invalid.path("error").path("code").asText()).isEqualTo("invalid_json");
      assertThat(invalid.path("error").path("event_id").isNull()).isTrue();
      assertThat(binary.path("error").path("code").asText()).isEqualTo("binary_frame_not_supported");
      assertThat(badPart.path("error").path("param").asText()).isEqualTo("item.content[0].type");
      c.send("{\"type\":\"session.update\",\"session\":{}}");
      c.next("session.updated");
    }
  }

  private static com.fasterxml.jackson.databind.node.TextNode text(String s) {
    return com.fasterxml.jackson.databind.node.TextNode.valueOf(s);
  }
}
