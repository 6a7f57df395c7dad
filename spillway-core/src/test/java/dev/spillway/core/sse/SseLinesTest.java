package dev.spillway.core.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseLinesTest {
  @Test
  void linesComeWholeInAnyChunkingWithoutTheirLineEndsAndAnOverlongOneIsSkipped() {
    byte[] stream = "data: {\"a\":1}\r\n\r\ndata: 0123456789ABCDEF\n: comment\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8);
    for (int chunk : new int[] {1, 5, stream.length}) {
      List<String> seen = new ArrayList<>();
      SseLines lines = new SseLines(l -> seen.add(new String(l, StandardCharsets.UTF_8)), 16);
      for (int i = 0; i < stream.length; i += chunk) {
        lines.feed(stream, i, Math.min(chunk, stream.length - i));
      }
      assertThat(seen).containsExactly("data: {\"a\":1}", "", ": comment", "data: [DONE]", "");
    }
    assertThat(SseLines.isData("data: x".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(SseLines.isData("event: x".getBytes(StandardCharsets.UTF_8))).isFalse();
  }
}
