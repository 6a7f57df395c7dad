package dev.spillway.core.guard.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.guard.GuardAction;
import dev.spillway.core.guard.TextCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResponseStreamGuardTest {
  private static final String CARD = "4111 1111 1111 1111";
  private static final List<TextCheck> CHECKS = List.of(
      TestChecks.card(GuardAction.MASK),
      TestChecks.word("forbidden", GuardAction.BLOCK, "blocklist", 6, "house-rules"));

  private static ResponseStreamGuard guard(int window, int overlap) {
    return new OutputGuard(CHECKS, window, overlap).responseStreamGuard();
  }

  /** A Responses API stream as Azure OpenAI sends it: {@code text} in {@code pieces}, numbered from 0. */
  private static String stream(List<String> pieces) {
    String text = String.join("", pieces);
    List<ObjectNode> events = new ArrayList<>();
    events.add(event("response.created").set("response", response("in_progress", null)));
    events.add(event("response.in_progress").set("response", response("in_progress", null)));
    events.add((ObjectNode) event("response.output_item.added").put("output_index", 0)
        .set("item", message("in_progress", null)));
    events.add((ObjectNode) part("response.content_part.added").set("part", outputText("")));
    for (String p : pieces) {
      events.add(part("response.output_text.delta").put("delta", p).set("logprobs", Streams.JSON.createArrayNode()));
    }
    events.add(part("response.output_text.done").put("text", text));
    events.add((ObjectNode) part("response.content_part.done").set("part", outputText(text)));
    events.add((ObjectNode) event("response.output_item.done").put("output_index", 0)
        .set("item", message("completed", text)));
    events.add(event("response.completed").set("response", response("completed", text)));
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < events.size(); i++) {
      ObjectNode e = events.get(i).put("sequence_number", i);
      s.append("event: ").append(e.get("type").asText()).append("\ndata: ").append(e).append("\n\n");
    }
    return s.toString();
  }

  private static ObjectNode event(String type) {
    return Streams.JSON.createObjectNode().put("type", type);
  }

  private static ObjectNode part(String type) {
    return event(type).put("item_id", "msg_1").put("output_index", 0).put("content_index", 0);
  }

  private static ObjectNode outputText(String text) {
    ObjectNode p = Streams.JSON.createObjectNode().put("type", "output_text").put("text", text);
    p.putArray("annotations");
    return p;
  }

  private static ObjectNode message(String status, String text) {
    ObjectNode m = Streams.JSON.createObjectNode().put("id", "msg_1").put("type", "message").put("status", status)
        .put("role", "assistant");
    ArrayNode content = m.putArray("content");
    if (text != null) {
      content.add(outputText(text));
    }
    return m;
  }

  private static ObjectNode response(String status, String text) {
    ObjectNode r = Streams.JSON.createObjectNode().put("id", "resp_1").put("object", "response")
        .put("status", status).put("model", "gpt-4o");
    ArrayNode output = r.putArray("output");
    if (text != null) {
      output.add(message("completed", text));
      r.putObject("usage").put("input_tokens", 5).put("output_tokens", 9).put("total_tokens", 14);
    }
    return r;
  }

  private static List<JsonNode> events(byte[] sent) throws Exception {
    List<JsonNode> events = new ArrayList<>();
    for (String d : Streams.data(sent)) {
      events.add(Streams.JSON.readTree(d));
    }
    return events;
  }

  private static String deltas(List<JsonNode> events) {
    StringBuilder s = new StringBuilder();
    events.stream().filter(e -> e.path("type").asText().equals("response.output_text.delta"))
        .forEach(e -> s.append(e.path("delta").asText()));
    return s.toString();
  }

  private static JsonNode last(List<JsonNode> events) {
    return events.get(events.size() - 1);
  }

  @Test
  void masksTheDeltasAndEveryWholeTextInAnyChunkingAndNumbersTheEventsAnew() throws Exception {
    Random random = new Random(3);
    String answer = "the river spills over a weir; card " + CARD + " and it runs on quietly into the night, "
        + "past the mill and the bridge é中😀 done";
    String masked = answer.replace(CARD, "[CREDIT_CARD]");
    String stream = stream(Streams.pieces(answer, 5, random));
    byte[] whole = Streams.feed(guard(48, 20), stream);
    List<JsonNode> events = events(whole);
    assertThat(deltas(events)).isEqualTo(masked);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
    }
    assertThat(events.stream().filter(e -> e.path("type").asText().equals("response.output_text.delta")).count())
        .as("one delta per window, not per upstream piece").isLessThan(6);
    JsonNode done = events.stream().filter(e -> e.path("type").asText().equals("response.output_text.done"))
        .findFirst().orElseThrow();
    assertThat(done.path("text").asText()).isEqualTo(masked);
    assertThat(last(events).path("type").asText()).isEqualTo("response.completed");
    assertThat(last(events).at("/response/output/0/content/0/text").asText()).isEqualTo(masked);
    assertThat(whole).asString().doesNotContain("4111");
    for (int seed = 0; seed < 10; seed++) {
      assertThat(Streams.feed(guard(48, 20), stream, 1 + seed * 7, new Random(seed))).isEqualTo(whole);
    }
  }

  @Test
  void aStreamWithNothingFoundGoesOutWithItsOwnTextAndUsage() throws Exception {
    String answer = "nothing to see here, only a river and a weir and a long quiet evening by the water";
    ResponseStreamGuard guard = guard(32, 8);
    List<JsonNode> events = events(Streams.feed(guard, stream(Streams.pieces(answer, 4, new Random(1)))));
    assertThat(deltas(events)).isEqualTo(answer);
    assertThat(last(events).at("/response/usage/output_tokens").asInt()).isEqualTo(9);
    assertThat(guard.strongestAction()).isEqualTo(GuardAction.ALLOW);
  }

  @Test
  void aBlockEndsTheTextAtOnceAndTurnsTheLastEventIntoAnIncompleteResponseWithItsUsage() throws Exception {
    String before = "a long and harmless opening that fills more than one window of the guard before it goes on ";
    String answer = before + "to say the forbidden word and more text after it that nobody should ever read";
    ResponseStreamGuard guard = guard(32, 8);
    List<JsonNode> events = events(Streams.feed(guard, stream(Streams.pieces(answer, 3, new Random(2)))));
    String sent = deltas(events);
    assertThat(sent).doesNotContain("forbidden").doesNotContain("nobody");
    assertThat(before).startsWith(sent);
    assertThat(guard.strongestAction()).isEqualTo(GuardAction.BLOCK);
    List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
    int textDone = types.indexOf("response.output_text.done");
    assertThat(types.subList(textDone, types.size())).containsExactly("response.output_text.done",
        "response.content_part.done", "response.output_item.done", "response.incomplete");
    assertThat(events.get(textDone).path("text").asText()).isEqualTo(sent);
    assertThat(events.get(textDone + 2).at("/item/status").asText()).isEqualTo("incomplete");
    JsonNode end = last(events);
    assertThat(end.at("/response/status").asText()).isEqualTo("incomplete");
    assertThat(end.at("/response/incomplete_details/reason").asText()).isEqualTo("content_filter");
    assertThat(end.at("/response/output/0/content/0/text").asText()).isEqualTo(sent);
    assertThat(end.at("/response/usage/total_tokens").asInt()).isEqualTo(14);
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
    }
  }

  @Test
  void aBlockFoundWhenTheLastWindowIsCheckedStillHidesTheWholeText() throws Exception {
    String answer = "a short answer with the forbidden word";
    List<JsonNode> events = events(Streams.feed(guard(64, 16), stream(Streams.pieces(answer, 3, new Random(4)))));
    assertThat(events.toString()).doesNotContain("forbidden");
    assertThat(events.stream().filter(e -> e.path("type").asText().equals("response.output_text.done"))).hasSize(1);
    assertThat(last(events).path("type").asText()).isEqualTo("response.incomplete");
  }

  @Test
  void aTextThatComesOnlyWholeIsCheckedThere() throws Exception {
    String answer = "card " + CARD + " sent without deltas";
    String stream = stream(List.of()).replace("\"text\":\"\"}],\"status\":\"completed\"", "\"text\":\"x\"}]")
        .replace("\"response.output_text.done\",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,"
            + "\"text\":\"\"", "\"response.output_text.done\",\"item_id\":\"msg_1\",\"output_index\":0,"
            + "\"content_index\":0,\"text\":\"" + answer + "\"");
    List<JsonNode> events = events(Streams.feed(guard(48, 20), stream));
    String masked = answer.replace(CARD, "[CREDIT_CARD]");
    assertThat(deltas(events)).isEqualTo(masked);
    assertThat(events.stream().filter(e -> e.path("type").asText().equals("response.output_text.done"))
        .findFirst().orElseThrow().path("text").asText()).isEqualTo(masked);
  }

  @Test
  void passesEverythingUntouchedWithoutChecks() {
    String stream = stream(List.of("a ", CARD, " forbidden"));
    byte[] bytes = stream.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(OutputGuard.of(List.of()).responseStreamGuard().feed(bytes, 0, bytes.length)).isEqualTo(bytes);
  }
}
