package dev.spillway.core.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.api.Operation;
import org.junit.jupiter.api.Test;

class PromptTextTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TokenEstimator ESTIMATOR = TokenEstimator.byModelFamily();

  private static JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void aChatIsItsToolsThenEachMessagesRoleAndContentInOrder() throws Exception {
    JsonNode body = json("""
        {"model":"gpt-4o","tools":[{"type":"function","function":{"name":"lookup"}}],
         "messages":[{"role":"system","content":"You are terse."},
                     {"role":"user","name":"ann","content":[{"type":"text","text":"Hi"},
                        {"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]},
                     {"role":"assistant","content":null,
                      "tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{}"}}]}]}
        """);
    assertThat(PromptText.render(Operation.CHAT_COMPLETIONS, body, 10_000)).isEqualTo(
        "[{\"type\":\"function\",\"function\":{\"name\":\"lookup\"}}]\n"
            + "system\nYou are terse.\n"
            + "user\nann\nHi\nhttps://example.com/a.png\n"
            + "assistant\nlookup\n{}\n");
  }

  @Test
  void completionsAndResponsesRenderTheirPrompts() throws Exception {
    assertThat(PromptText.render(Operation.COMPLETIONS, json("{\"prompt\":[\"a\",\"b\"]}"), 100)).isEqualTo("a\nb\n");
    assertThat(PromptText.render(Operation.COMPLETIONS, json("{\"prompt\":[1,2,3]}"), 100)).isEqualTo("1 2 3 ");
    assertThat(PromptText.render(Operation.RESPONSES,
        json("{\"instructions\":\"Be brief.\",\"input\":[{\"role\":\"user\",\"content\":"
            + "[{\"type\":\"input_text\",\"text\":\"Why?\"}]}]}"), 100))
        .isEqualTo("Be brief.\nuser\nWhy?\n");
    assertThat(PromptText.render(Operation.RESPONSES, json("{\"input\":\"Why?\"}"), 100)).isEqualTo("Why?\n");
    assertThat(PromptText.render(Operation.EMBEDDINGS, json("{\"input\":\"x\"}"), 100)).isEmpty();
    assertThat(PromptText.renders(Operation.EMBEDDINGS)).isFalse();
  }

  @Test
  void renderingStopsAtTheCharacterBudgetHoweverLongThePrompt() throws Exception {
    String huge = "word ".repeat(200_000);
    JsonNode body = JSON.createObjectNode().set("messages", JSON.createArrayNode()
        .add(JSON.createObjectNode().put("role", "user").put("content", huge))
        .add(JSON.createObjectNode().put("role", "user").put("content", huge)));
    assertThat(PromptText.render(Operation.CHAT_COMPLETIONS, body, 4_096)).hasSize(4_096).startsWith("user\nword ");
  }

  @Test
  void malformedBodiesRenderWhatTheyCan() throws Exception {
    assertThat(PromptText.render(Operation.CHAT_COMPLETIONS, json("[1]"), 100)).isEmpty();
    assertThat(PromptText.render(Operation.CHAT_COMPLETIONS, json("{\"messages\":{\"role\":\"user\"}}"), 100)).isEmpty();
    assertThat(PromptText.render(Operation.CHAT_COMPLETIONS,
        json("{\"messages\":[7,{\"role\":\"user\",\"content\":42,\"tool_calls\":{\"x\":1}}]}"), 100)).isEqualTo("user\n");
  }

  @Test
  void theFirstTokensAreCountedInTheModelsEncodingAndStopAtTheCount() {
    String text = "The quick brown fox jumps over the lazy dog. ".repeat(5_000);
    int[] first = ESTIMATOR.firstTokens(text, "gpt-4o", 1_024);
    assertThat(first).hasSize(1_024);
    assertThat(ESTIMATOR.firstTokens(text.substring(0, 45 * 300), "gpt-4o", 1_024)).isEqualTo(first);
    assertThat(ESTIMATOR.firstTokens("short", "gpt-4o", 1_024)).hasSizeLessThan(1_024);
    assertThat(ESTIMATOR.firstTokens(text, "gpt-4", 1_024)).as("cl100k differs").isNotEqualTo(first);
  }
}
