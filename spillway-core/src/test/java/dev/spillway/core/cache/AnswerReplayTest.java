package dev.spillway.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerReplayTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String COMPLETION =
      "{\"id\":\"c9\",\"object\":\"chat.completion\",\"created\":7,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\"Hi there\"},\"logprobs\":null,\"finish_reason\":\"length\"}],"
          + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}";

  private static List<JsonNode> events(byte[] sse) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    String text = new String(sse, StandardCharsets.UTF_8);
    assertThat(text).endsWith("data: [DONE]\n\n");
    for (String block : text.split("\n\n")) {
      if (!block.equals("data: [DONE]")) {
        assertThat(block).startsWith("data: ");
        out.add(JSON.readTree(block.substring(6)));
      }
    }
    return out;
  }

  @Test
  void aCompletionIsReplayedAsTheStreamTheApiWouldHaveSent() throws Exception {
    List<JsonNode> events = events(AnswerReplay.asStream(COMPLETION.getBytes(StandardCharsets.UTF_8), false));
    assertThat(events).allSatisfy(e -> {
      assertThat(e.path("object").asText()).isEqualTo("chat.completion.chunk");
      assertThat(e.path("id").asText()).isEqualTo("c9");
      assertThat(e.has("usage")).isFalse();
    });
    assertThat(events.get(0).path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
    StringBuilder text = new StringBuilder();
    events.forEach(e -> text.append(e.path("choices").get(0).path("delta").path("content").asText("")));
    assertThat(text).hasToString("Hi there");
    assertThat(events.get(events.size() - 1).path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
  }

  @Test
  void theUsageChunkComesOnlyWhenAskedFor() throws Exception {
    List<JsonNode> events = events(AnswerReplay.asStream(COMPLETION.getBytes(StandardCharsets.UTF_8), true));
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.path("choices")).isEmpty();
    assertThat(last.path("usage").path("total_tokens").asLong()).isEqualTo(5);
    assertThat(events.subList(0, events.size() - 1)).allSatisfy(e -> assertThat(e.path("usage").isNull()).isTrue());
  }

  @Test
  void replayingAndAssemblingAgain() throws Exception {
    byte[] sse = AnswerReplay.asStream(COMPLETION.getBytes(StandardCharsets.UTF_8), true);
    StreamedAnswer again = new StreamedAnswer(1 << 20);
    again.feed(sse, 0, sse.length);
    JsonNode back = JSON.readTree(again.complete(TokenUsage.of(3, 2)).orElseThrow());
    JsonNode original = JSON.readTree(COMPLETION);
    assertThat(back.path("choices")).isEqualTo(original.path("choices"));
    assertThat(back.path("usage")).isEqualTo(original.path("usage"));
  }
}
