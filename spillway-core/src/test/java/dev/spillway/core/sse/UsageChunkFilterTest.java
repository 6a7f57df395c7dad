package dev.spillway.core.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UsageChunkFilterTest {
  private static final String BEFORE =
      "data: {\"id\":\"\",\"choices\":[],\"prompt_filter_results\":[]}\n\n"
          + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hé\"},\"finish_reason\":null}]}\r\n\r\n"
          + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
  private static final String USAGE =
      "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1,\"total_tokens\":6}}\n\n";
  private static final String DONE = "data: [DONE]\n\n";

  private static String filterInPieces(String stream, int piece) {
    UsageChunkFilter filter = new UsageChunkFilter();
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < bytes.length; i += piece) {
      out.writeBytes(filter.feed(bytes, i, Math.min(piece, bytes.length - i)));
    }
    out.writeBytes(filter.finish());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void removesExactlyTheUsageChunkWhateverTheChunking() {
    for (int piece : new int[] {1, 2, 7, 64, 10_000}) {
      assertThat(filterInPieces(BEFORE + USAGE + DONE, piece)).as("pieces of %d", piece).isEqualTo(BEFORE + DONE);
    }
  }

  @Test
  void aStreamWithoutUsagePassesUnchanged() {
    assertThat(filterInPieces(BEFORE + DONE, 3)).isEqualTo(BEFORE + DONE);
  }

  @Test
  void theFirstChunkWithEmptyChoicesButNoUsageIsKept() {
    assertThat(filterInPieces(BEFORE, 5)).startsWith("data: {\"id\":\"\",\"choices\":[],\"prompt_filter_results\":[]}");
  }

  @Test
  void anUnterminatedTailIsReleasedAtTheEnd() {
    UsageChunkFilter filter = new UsageChunkFilter();
    byte[] bytes = "data: partial".getBytes(StandardCharsets.UTF_8);
    assertThat(filter.feed(bytes, 0, bytes.length)).isEmpty();
    assertThat(new String(filter.finish(), StandardCharsets.UTF_8)).isEqualTo("data: partial");
  }
}
