package dev.spillway.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.spillway.core.sse.SseUsageScanner;
import dev.spillway.core.usage.TokenUsage;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The SSE usage scanner over any bytes: it never throws, and what it reports (usage, finish reason, {@code [DONE]},
 * events, error, skipped lines, content events, time to first token) does not depend on how the stream was cut into
 * chunks: the whole stream in one feed, one byte per feed and fuzz-chosen cuts all agree. Each chunk is fed from the
 * middle of a larger array, so offsets are exercised too. Half of the runs use a small line cap, so that lines
 * skipped for length (whole, or cut across feeds) are covered.
 */
class SseUsageScannerFuzzTest {
  /** What a scan reports, compared across chunkings. */
  record Observed(
      Optional<TokenUsage> usage,
      Optional<String> finishReason,
      boolean sawDone,
      int dataEvents,
      Optional<String> errorMessage,
      int skippedLines,
      int contentEvents,
      OptionalLong timeToFirstTokenNanos) {}

  @FuzzTest(maxDuration = "5s")
  void reportsTheSameInAnyChunking(FuzzedDataProvider data) {
    int maxLineBytes = data.consumeBoolean() ? SseUsageScanner.DEFAULT_MAX_LINE_BYTES : data.consumeInt(1, 300);
    byte[] stream = SseStreams.stream(data);
    List<byte[]> cuts = SseStreams.chunks(stream, data);

    Observed whole = scan(List.of(stream), maxLineBytes);
    assertThat(scan(cuts, maxLineBytes)).as("fuzz-chosen cuts").isEqualTo(whole);
    assertThat(scan(SseStreams.bytewise(stream), maxLineBytes)).as("one byte per feed").isEqualTo(whole);
    whole.usage().ifPresent(u -> assertThat(u.promptTokens()).isNotNegative());
    assertThat(whole.skippedLines()).isNotNegative();
  }

  private static Observed scan(List<byte[]> chunks, int maxLineBytes) {
    SseUsageScanner scanner = new SseUsageScanner(() -> 1_000L, 0L, maxLineBytes);
    for (byte[] chunk : chunks) {
      // From the middle of a bigger array whose other bytes are line ends, which must not be read.
      byte[] padded = new byte[chunk.length + 6];
      java.util.Arrays.fill(padded, (byte) '\n');
      System.arraycopy(chunk, 0, padded, 3, chunk.length);
      scanner.feed(padded, 3, chunk.length);
    }
    return new Observed(
        scanner.usage(),
        scanner.finishReason(),
        scanner.sawDone(),
        scanner.dataEvents(),
        scanner.errorMessage(),
        scanner.skippedLines(),
        scanner.contentEvents(),
        scanner.timeToFirstTokenNanos());
  }
}
