package dev.spillway.core.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.time.ManualTicker;
import dev.spillway.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The scanner on Responses API streams: typed events, usage in the final response, no {@code [DONE]}. */
class ResponsesStreamTest {
  private static final long START = 5_000L;

  private static String event(String type, String json) {
    return "event: " + type + "\ndata: {\"type\":\"" + type + "\"," + json + "}\n\n";
  }

  private static final String CREATED = event("response.created",
      "\"sequence_number\":0,\"response\":{\"id\":\"resp_42\",\"object\":\"response\",\"status\":\"in_progress\","
          + "\"output\":[],\"usage\":null}");
  private static final String ITEM = event("response.output_item.added",
      "\"sequence_number\":1,\"output_index\":0,\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[]}");
  private static final String EMPTY_DELTA = event("response.output_text.delta",
      "\"sequence_number\":2,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"\"");
  private static final String HELLO = event("response.output_text.delta",
      "\"sequence_number\":3,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hello\"");
  private static final String WORLD = event("response.output_text.delta",
      "\"sequence_number\":4,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\" world\"");
  private static final String TEXT_DONE = event("response.output_text.done",
      "\"sequence_number\":5,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"text\":\"Hello world\"");
  private static final String COMPLETED = event("response.completed",
      "\"sequence_number\":6,\"response\":{\"id\":\"resp_42\",\"object\":\"response\",\"status\":\"completed\","
          + "\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"Hello world\"}]}],"
          + "\"usage\":{\"input_tokens\":20,\"input_tokens_details\":{\"cached_tokens\":8},\"output_tokens\":2,"
          + "\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":22}}");

  private static SseUsageScanner scan(ManualTicker ticker, String... parts) {
    SseUsageScanner scanner = new SseUsageScanner(ticker, START);
    for (String part : parts) {
      byte[] b = part.getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < b.length; i += 7) { // small chunks: an event never arrives whole
        scanner.feed(b, i, Math.min(7, b.length - i));
      }
    }
    return scanner;
  }

  @Test
  void readsTheFinalUsageTheIdAndTheFirstToken() {
    ManualTicker ticker = new ManualTicker(START);
    SseUsageScanner scanner = new SseUsageScanner(ticker, START);
    for (String part : new String[] {CREATED, ITEM, EMPTY_DELTA}) {
      byte[] b = part.getBytes(StandardCharsets.UTF_8);
      scanner.feed(b, 0, b.length);
    }
    assertThat(scanner.timeToFirstTokenNanos()).isEmpty(); // an empty delta is no token
    ticker.advance(Duration.ofMillis(40));
    for (String part : new String[] {HELLO, WORLD, TEXT_DONE, COMPLETED}) {
      byte[] b = part.getBytes(StandardCharsets.UTF_8);
      scanner.feed(b, 0, b.length);
    }
    assertThat(scanner.usage()).contains(new TokenUsage(20, 2, 22, 8, 0));
    assertThat(scanner.objectId()).contains("resp_42");
    assertThat(scanner.timeToFirstTokenNanos()).hasValue(Duration.ofMillis(40).toNanos());
    assertThat(scanner.finishReason()).contains("stop");
    assertThat(scanner.contentEvents()).isEqualTo(2);
    assertThat(scanner.sawDone()).isFalse();
    assertThat(scanner.errorMessage()).isEmpty();
  }

  @Test
  void chunkingDoesNotMatter() {
    SseUsageScanner scanner = scan(new ManualTicker(START), CREATED, ITEM, HELLO, WORLD, TEXT_DONE, COMPLETED);
    assertThat(scanner.usage()).contains(new TokenUsage(20, 2, 22, 8, 0));
    assertThat(scanner.objectId()).contains("resp_42");
  }

  @Test
  void anIncompleteResponseEndsAtItsLength() {
    String incomplete = event("response.incomplete",
        "\"sequence_number\":5,\"response\":{\"id\":\"resp_42\",\"status\":\"incomplete\","
            + "\"incomplete_details\":{\"reason\":\"max_output_tokens\"},"
            + "\"usage\":{\"input_tokens\":20,\"output_tokens\":16,\"total_tokens\":36}}");
    SseUsageScanner scanner = scan(new ManualTicker(START), CREATED, HELLO, incomplete);
    assertThat(scanner.finishReason()).contains("length");
    assertThat(scanner.usage()).contains(TokenUsage.of(20, 16));
  }

  @Test
  void errorsAreSeenAfterTheFirstToken() {
    String error = event("error", "\"sequence_number\":5,\"code\":\"server_error\",\"message\":\"The model failed\","
        + "\"param\":null");
    assertThat(scan(new ManualTicker(START), CREATED, HELLO, error).errorMessage()).contains("The model failed");

    String failed = event("response.failed",
        "\"sequence_number\":5,\"response\":{\"id\":\"resp_42\",\"status\":\"failed\","
            + "\"error\":{\"code\":\"server_error\",\"message\":\"Something broke\"},\"usage\":null}");
    SseUsageScanner scanner = scan(new ManualTicker(START), CREATED, HELLO, failed);
    assertThat(scanner.errorMessage()).contains("Something broke");
    assertThat(scanner.finishReason()).contains("failed");
  }

  @Test
  void chatStreamsNameNoObject() {
    String chunk = "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
        + "\"delta\":{\"content\":\"Hi\"},\"finish_reason\":null}]}\n\ndata: [DONE]\n\n";
    SseUsageScanner scanner = scan(new ManualTicker(START), chunk);
    assertThat(scanner.objectId()).isEmpty();
    assertThat(scanner.contentEvents()).isEqualTo(1);
  }
}
