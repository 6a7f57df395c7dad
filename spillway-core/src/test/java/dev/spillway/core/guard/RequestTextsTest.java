package dev.spillway.core.guard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.api.Operation;
import org.junit.jupiter.api.Test;

class RequestTextsTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void chatReadsTheCallersMessagesNotTheApplicationsAndPutsMaskedTextBack() throws Exception {
    JsonNode body = json("""
        {"messages":[{"role":"system","content":"secret system"},{"role":"user","content":"hi 4111"},
         {"role":"assistant","content":"earlier answer"},
         {"role":"user","content":[{"type":"text","text":"part one"},{"type":"image_url","image_url":{"url":"u"}},
           {"type":"text","text":"part two"}]},
         {"role":"tool","tool_call_id":"c","content":"tool said"}]}""");
    RequestTexts t = RequestTexts.of(Operation.CHAT_COMPLETIONS, body);
    assertThat(t.texts()).containsExactly("hi 4111", "part one", "part two", "tool said");
    t.replace(0, "hi [CARD]");
    t.replace(2, "part [X]");
    assertThat(body.path("messages").get(1).path("content").asText()).isEqualTo("hi [CARD]");
    assertThat(body.path("messages").get(3).path("content").get(2).path("text").asText()).isEqualTo("part [X]");
    assertThat(body.path("messages").get(0).path("content").asText()).isEqualTo("secret system");
    assertThat(t.text(0)).isEqualTo("hi [CARD]");
  }

  @Test
  void completionsEmbeddingsAndResponsesReadTheirInputs() throws Exception {
    assertThat(RequestTexts.of(Operation.COMPLETIONS, json("{\"prompt\":[\"a\",\"b\"]}")).texts()).containsExactly("a", "b");
    JsonNode emb = json("{\"input\":[\"x\",[1,2,3]]}");
    RequestTexts e = RequestTexts.of(Operation.EMBEDDINGS, emb);
    assertThat(e.texts()).containsExactly("x");
    e.replace(0, "y");
    assertThat(emb.path("input").get(0).asText()).isEqualTo("y");
    assertThat(RequestTexts.of(Operation.RESPONSES, json("{\"instructions\":\"sys\",\"input\":\"q\"}")).texts())
        .containsExactly("q");
    assertThat(RequestTexts.of(Operation.RESPONSES, json("""
        {"input":[{"role":"user","content":[{"type":"input_text","text":"u1"}]},
          {"role":"assistant","content":"a"},{"type":"function_call_output","call_id":"c","output":"out"}]}""")).texts())
        .containsExactly("u1", "out");
    assertThat(RequestTexts.of(Operation.RESPONSES_GET, json("{}")).size()).isZero();
    assertThat(RequestTexts.of(Operation.CHAT_COMPLETIONS, null).size()).isZero();
  }
}
