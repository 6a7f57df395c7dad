package dev.spillway.core.cache;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StreamedAnswerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TokenUsage USAGE = TokenUsage.of(10, 4);

  private static final String STREAM =
      "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":5,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
          + "\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
          + "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Héllo\"},\"finish_reason\":null}]}\r\n\r\n"
          + ": comment\n\n"
          + "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" wörld\"},\"finish_reason\":null}]}\n\n"
          + "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
          + "data: [DONE]\n\n";

  private static StreamedAnswer feedInPieces(String sse, int piece) {
    StreamedAnswer a = new StreamedAnswer(1 << 20);
    byte[] b = sse.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i += piece) {
      a.feed(b, i, Math.min(piece, b.length - i));
    }
    return a;
  }

  @Test
  void aCompleteStreamBecomesTheCompletionItWouldHaveBeenInAnyChunking() throws Exception {
    for (int piece : new int[] {1, 3, 7, 1000}) {
      JsonNode c = JSON.readTree(feedInPieces(STREAM, piece).complete(USAGE).orElseThrow());
      assertThat(c.path("object").asText()).isEqualTo("chat.completion");
      assertThat(c.path("id").asText()).isEqualTo("c1");
      assertThat(c.path("model").asText()).isEqualTo("gpt-4o");
      assertThat(c.path("choices").get(0).path("message").path("content").asText()).isEqualTo("Héllo wörld");
      assertThat(c.path("choices").get(0).path("message").path("role").asText()).isEqualTo("assistant");
      assertThat(c.path("choices").get(0).path("finish_reason").asText()).isEqualTo("stop");
      assertThat(c.path("usage").path("total_tokens").asLong()).isEqualTo(14);
    }
  }

  @Test
  void toolCallsAreAssembledFromTheirPieces() throws Exception {
    String sse = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,"
        + "\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"get\",\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n"
        + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\":1}\"}}]}}]}\n\n"
        + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n";
    JsonNode call = JSON.readTree(feedInPieces(sse, 5).complete(USAGE).orElseThrow())
        .path("choices").get(0).path("message").path("tool_calls").get(0);
    assertThat(call.path("id").asText()).isEqualTo("call_1");
    assertThat(call.path("function").path("name").asText()).isEqualTo("get");
    assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"a\":1}");
  }

  @Test
  void anIncompleteFilteredFailedOrOversizedStreamIsNeverComplete() {
    assertThat(feedInPieces(STREAM.replace("data: [DONE]\n\n", ""), 4).complete(USAGE)).isEmpty();
    assertThat(feedInPieces(STREAM.replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"content_filter\""), 4)
        .complete(USAGE)).isEmpty();
    assertThat(feedInPieces(STREAM.replace("\"finish_reason\":\"stop\"", "\"finish_reason\":null"), 4).complete(USAGE)).isEmpty();
    assertThat(feedInPieces(STREAM.replace(": comment\n\n", "data: {\"error\":{\"message\":\"boom\"}}\n\n"), 4)
        .complete(USAGE)).isEmpty();
    assertThat(feedInPieces(STREAM.replace(": comment\n\n", "data: {not json\n\n"), 4).complete(USAGE)).isEmpty();
    assertThat(feedInPieces(STREAM.replace("\"delta\":{},", "\"delta\":{},\"content_filter_results\":{\"hate\":"
        + "{\"filtered\":true,\"severity\":\"high\"}},"), 4).complete(USAGE)).isEmpty();
    StreamedAnswer small = new StreamedAnswer(100);
    byte[] b = STREAM.getBytes(StandardCharsets.UTF_8);
    small.feed(b, 0, b.length);
    assertThat(small.complete(USAGE)).isEmpty();
  }
}
