package dev.spillway.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.spillway.core.sse.UsageChunkFilter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The usage-chunk filter over any bytes: it never throws; its output does not depend on the chunking of its input;
 * its output filtered again, cut differently, is unchanged (nothing left to remove, and no event boundary moved); a
 * stream without a {@code "usage"} key passes byte for byte; and the output is never longer than the input.
 */
class UsageChunkFilterFuzzTest {

  @FuzzTest(maxDuration = "5s")
  void filtersTheSameInAnyChunking(FuzzedDataProvider data) {
    byte[] stream = SseStreams.stream(data);
    List<byte[]> cuts = SseStreams.chunks(stream, data);

    byte[] whole = filter(List.of(stream));
    assertThat(filter(cuts)).as("fuzz-chosen cuts").isEqualTo(whole);
    if (stream.length <= 1024) { // the filter copies what it holds on every feed: quadratic in an event's length
      assertThat(filter(SseStreams.bytewise(stream))).as("one byte per feed").isEqualTo(whole);
    }
    assertThat(whole.length).isLessThanOrEqualTo(stream.length);
    if (!new String(stream, StandardCharsets.UTF_8).contains("\"usage\"")) {
      assertThat(whole).as("nothing to remove").isEqualTo(stream);
    }
    assertThat(filter(SseStreams.chunks(whole, data))).as("filtered again, cut again").isEqualTo(whole);
  }

  private static byte[] filter(List<byte[]> chunks) {
    UsageChunkFilter filter = new UsageChunkFilter();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] chunk : chunks) {
      byte[] padded = new byte[chunk.length + 4];
      System.arraycopy(chunk, 0, padded, 2, chunk.length);
      out.writeBytes(filter.feed(padded, 2, chunk.length));
    }
    out.writeBytes(filter.finish());
    return out.toByteArray();
  }
}
