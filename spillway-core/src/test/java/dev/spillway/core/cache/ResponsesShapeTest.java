package dev.spillway.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.api.Operation;
import dev.spillway.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ResponsesShapeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AnswerShape SHAPE = AnswerShape.of(Operation.RESPONSES).orElseThrow();
  private static final String RESPONSE = """
      {"id":"resp_1","object":"response","created_at":1,"status":"completed","model":"gpt-4o","error":null,
       "incomplete_details":null,"output":[
        {"type":"reasoning","id":"rs_1","summary":[]},
        {"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[
          {"type":"output_text","text":"Hello there.","annotations":[]},{"type":"refusal","refusal":"No."}]},
        {"type":"function_call","id":"fc_1","call_id":"call_1","name":"f","arguments":"{\\"a\\":1}","status":"completed"}],
       "usage":{"input_tokens":5,"output_tokens":7,"total_tokens":12}}""";

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void onlyRequestsTheBackendDoesNotKeepAreCached() throws Exception {
    assertThat(SHAPE.api()).isEqualTo("responses");
    assertThat(SHAPE.bypassReason(json("{\"input\":\"hi\"}"))).isPresent();
    assertThat(SHAPE.bypassReason(json("{\"input\":\"hi\",\"store\":true}"))).isPresent();
    assertThat(SHAPE.bypassReason(json("{\"input\":\"hi\",\"store\":\"false\"}"))).isPresent();
    assertThat(SHAPE.bypassReason(json("{\"input\":\"hi\",\"store\":false,\"background\":true}"))).isPresent();
    assertThat(SHAPE.bypassReason(json("{\"input\":\"hi\",\"store\":false,\"conversation\":\"conv_1\"}"))).isPresent();
    assertThat(SHAPE.bypassReason(json("{\"input\":\"hi\",\"store\":false,\"prompt\":{\"id\":\"p\"}}"))).isPresent();
    assertThat(SHAPE.bypassReason(json("{\"input\":\"hi\",\"store\":false}"))).isEmpty();
    assertThat(AnswerShape.of(Operation.CHAT_COMPLETIONS).orElseThrow().bypassReason(json("{\"store\":true}"))).isPresent();
    assertThat(AnswerShape.of(Operation.EMBEDDINGS)).isEmpty();
  }

  @Test
  void theSemanticViewReadsInstructionsAndTextInputAsADialog() throws Exception {
    JsonNode view = SHAPE.semanticView(json("{\"instructions\":\"Be brief.\",\"input\":\"Hi?\",\"temperature\":0}")).orElseThrow();
    assertThat(view.path("messages")).isEqualTo(json(
        "[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hi?\"}]"));
    assertThat(view.path("temperature").asInt()).isZero();
    assertThat(view.has("input")).isFalse();
    JsonNode items = SHAPE.semanticView(json("{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
        + "\"text\":\"a\"},{\"type\":\"input_text\",\"text\":\"b\"}]}]}")).orElseThrow();
    assertThat(items.path("messages").get(0).path("content").asText()).isEqualTo("a\nb");
    CacheKeys.SemanticKey k = CacheKeys.semantic("c:a", "gpt", "responses", items, false, 3, "e");
    assertThat(k.skipped()).isFalse();
    assertThat(k.question()).isEqualTo("a\nb");
    // The same dialog through chat lies in another partition.
    assertThat(CacheKeys.semantic("c:a", "gpt", "chat", items, false, 3, "e").partition()).isNotEqualTo(k.partition());
  }

  @Test
  void inputOtherThanTextTurnsOrAFollowUpIsLeftToTheExactLayer() throws Exception {
    assertThat(SHAPE.semanticView(json("{\"input\":\"x\",\"previous_response_id\":\"resp_1\"}"))).isEmpty();
    assertThat(SHAPE.semanticView(json("{\"input\":[{\"type\":\"function_call_output\",\"call_id\":\"c\",\"output\":\"1\"}]}")))
        .isEmpty();
    assertThat(SHAPE.semanticView(json("{\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\","
        + "\"image_url\":\"u\"}]}]}"))).isEmpty();
    assertThat(SHAPE.semanticView(json("{}"))).isEmpty();
  }

  @Test
  void aResponseIsCompleteWhenItFinishedOrReachedItsOutputLimitOnly() {
    assertThat(SHAPE.completeJson(RESPONSE.getBytes(StandardCharsets.UTF_8))).isPresent();
    String cut = RESPONSE.replace("\"status\":\"completed\",", "\"status\":\"incomplete\",");
    assertThat(SHAPE.completeJson(bytes(cut.replace("\"incomplete_details\":null",
        "\"incomplete_details\":{\"reason\":\"max_output_tokens\"}")))).isPresent();
    assertThat(SHAPE.completeJson(bytes(cut.replace("\"incomplete_details\":null",
        "\"incomplete_details\":{\"reason\":\"content_filter\"}")))).isEmpty();
    assertThat(SHAPE.completeJson(bytes(RESPONSE.replace("\"status\":\"completed\",", "\"status\":\"failed\",")))).isEmpty();
    assertThat(SHAPE.completeJson(bytes(RESPONSE.replace("\"error\":null", "\"error\":{\"code\":\"server_error\"}")))).isEmpty();
    assertThat(SHAPE.completeJson(bytes("not json"))).isEmpty();
  }

  @Test
  void aReplayedStreamIsReadBackToTheSameResponseInAnyChunking() throws Exception {
    byte[] stream = SHAPE.replay(bytes(RESPONSE), json("{\"stream\":true}"));
    List<JsonNode> events = events(new String(stream, StandardCharsets.UTF_8));
    List<String> types = events.stream().map(e -> e.path("type").asText()).toList();
    assertThat(types).containsExactly("response.created", "response.in_progress",
        "response.output_item.added", "response.output_item.done",
        "response.output_item.added",
        "response.content_part.added", "response.output_text.delta", "response.output_text.done", "response.content_part.done",
        "response.content_part.added", "response.refusal.delta", "response.refusal.done", "response.content_part.done",
        "response.output_item.done",
        "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done",
        "response.output_item.done",
        "response.completed");
    for (int i = 0; i < events.size(); i++) {
      assertThat(events.get(i).path("sequence_number").asInt()).isEqualTo(i);
    }
    assertThat(events.get(0).path("response").path("output")).isEmpty();
    assertThat(events.get(6).path("delta").asText()).isEqualTo("Hello there.");
    assertThat(events.get(15).path("delta").asText()).isEqualTo("{\"a\":1}");
    for (int chunk : new int[] {1, 7, 100, stream.length}) {
      StreamAssembler a = SHAPE.assembler(1 << 20);
      for (int i = 0; i < stream.length; i += chunk) {
        a.feed(stream, i, Math.min(chunk, stream.length - i));
      }
      assertThat(json(new String(a.complete(TokenUsage.of(0, 0)).orElseThrow(), StandardCharsets.UTF_8)))
          .isEqualTo(json(RESPONSE));
    }
  }

  @Test
  void aStreamThatFailedWasCutOrIsTooLongGivesNothing() {
    byte[] whole = SHAPE.replay(bytes(RESPONSE), null);
    String text = new String(whole, StandardCharsets.UTF_8);
    assertThat(assemble(text.substring(0, text.indexOf("event: response.completed")), 1 << 20)).isEmpty();
    assertThat(assemble(text.replace("event: response.in_progress", "event: error") .replace(
        "\"type\":\"response.in_progress\"", "\"type\":\"error\""), 1 << 20)).isEmpty();
    assertThat(assemble(text.replace("\"type\":\"response.output_item.added\"", "\"type\":\"response.failed\""), 1 << 20))
        .isEmpty();
    assertThat(assemble(text, whole.length - 1)).isEmpty();
    assertThat(assemble(text, whole.length)).isPresent();
  }

  private static Optional<byte[]> assemble(String sse, int maxBytes) {
    StreamAssembler a = SHAPE.assembler(maxBytes);
    byte[] b = bytes(sse);
    a.feed(b, 0, b.length);
    return a.complete(TokenUsage.of(0, 0));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<JsonNode> events(String sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String type = null;
    for (String line : sse.split("\n")) {
      if (line.startsWith("event: ")) {
        type = line.substring(7);
      } else if (line.startsWith("data: ")) {
        JsonNode e = JSON.readTree(line.substring(6));
        assertThat(e.path("type").asText()).isEqualTo(type);
        out.add(e);
      }
    }
    return out;
  }
}
