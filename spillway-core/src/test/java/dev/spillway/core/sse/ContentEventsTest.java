package dev.spillway.core.sse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.time.ManualTicker;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentEventsTest {

  @Test
  void countsEventsThatCarryGeneratedTextOnly() {
    String stream =
        "data: {\"choices\":[],\"prompt_filter_results\":[]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"content\":\"Hello\"}}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"content\":\" world\"}}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"function\":{\"arguments\":\"{\\\"a\\\"\"}}]}}]}\n\n"
            + "data: {\"choices\":[{\"text\":\"legacy\"}]}\n\n"
            + "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
            + "data: [DONE]\n\n";
    SseUsageScanner scanner = new SseUsageScanner(new ManualTicker(), 0);
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i += 5) {
      scanner.feed(bytes, i, Math.min(5, bytes.length - i));
    }
    assertThat(scanner.contentEvents()).isEqualTo(4);
    assertThat(scanner.usage()).isEmpty();
  }
}
