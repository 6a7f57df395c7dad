package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the upload-memory harness from rotting: a 4 MiB upload, twice sampling the heap in use and once the live
 * heap, through a real gateway in front of a real
 * simulator (each its own process) and to the buffering baseline, with the heap read over JMX. It checks that the
 * harness works — every upload answered 200, the heap figures read and positive, the baseline's growth at least the
 * body it held — not the 8 MiB verdict, which a few MiB cannot test.
 */
class UploadMemoryBenchmarkSmokeTest {

  @Test
  void measuresTheGatewayAndTheBaselineAndWritesTheReport(@TempDir Path out, @TempDir Path work) throws Exception {
    UploadMemorySettings settings = UploadMemorySettings.parse(
        "--size", "4MiB",
        "--repeats", "2",
        "--live-repeats", "1",
        "--warmups", "2",
        "--warmup-size", "64KiB",
        "--sample-every", "10ms",
        "--gateway-heap", "128m",
        "--out", out.toString());
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    UploadMemoryRun run = UploadMemoryBenchmark.run(settings, work, new PrintStream(log, true, StandardCharsets.UTF_8));
    UploadMemoryReport.write(run);

    assertThat(run.fileBytes()).isEqualTo(4L << 20);
    assertThat(run.bodyBytes()).isGreaterThan(run.fileBytes());
    assertThat(run.gateway()).extracting(UploadHeapMeter.Round::sampling).containsExactly(
        UploadHeapMeter.Sampling.IN_USE, UploadHeapMeter.Sampling.IN_USE, UploadHeapMeter.Sampling.LIVE);
    assertThat(run.baseline()).hasSize(3);
    assertThat(run.allAnswered()).as(log.toString(StandardCharsets.UTF_8)).isTrue();
    for (UploadHeapMeter.Round r : run.gateway()) {
      assertThat(r.seconds()).isPositive();
      assertThat(r.liveBeforeMiB()).as("live heap before, over JMX").isPositive();
      assertThat(r.liveAfterMiB()).isPositive();
      assertThat(r.peakUsedMiB()).as("peak in use is at least the live heap").isGreaterThanOrEqualTo(r.liveBeforeMiB());
      assertThat(r.samples()).as("samples while in flight").isPositive();
      assertThat(r.allocatedMiB()).as("heap the gateway allocated, from its threads' counters").isPositive();
    }
    assertThat(run.gateway().get(2).collections()).as("the live samples' requested collections").isPositive();
    assertThat(UploadMemoryRun.of(run.baseline(), UploadHeapMeter.Sampling.IN_USE)).allSatisfy(r ->
        assertThat(r.peakGrowthMiB()).as("the baseline holds the whole body")
            .isGreaterThanOrEqualTo(run.fileBytes() / 1048576.0));
    assertThat(run.gatewayCollectors()).isNotEmpty();
    assertThat(Files.exists(work.resolve("upload.wav"))).as("the WAV is deleted after the run").isFalse();

    assertThat(Files.readString(out.resolve("upload-memory.md")))
        .contains("# Upload memory", "## Verdict", "peak growth ≤ 8 MiB", "live growth ≤ 8 MiB", "## Uploads",
            "| gateway | 2 | in use | 200 |", "| gateway | 3 | live | 200 |", "| baseline | 1 | in use | 200 |");
    JsonObject json = new JsonObject(Files.readString(out.resolve("upload-memory.json")));
    assertThat(json.getJsonObject("verdict").getBoolean("allAnswered")).isTrue();
    assertThat(json.getJsonArray("gateway")).hasSize(3);
    assertThat(json.getJsonObject("settings").getLong("uploadFileBytes")).isEqualTo(4L << 20);
  }

  @Test
  void flagsNameTheProblem() {
    assertThatThrownBy(() -> UploadMemorySettings.parse("--size", "lots")).hasMessageContaining("--size");
    assertThatThrownBy(() -> UploadMemorySettings.parse("--repeats", "0")).hasMessageContaining("--repeats");
    assertThatThrownBy(() -> UploadMemorySettings.parse("--baseline", "maybe")).hasMessageContaining("--baseline");
    assertThatThrownBy(() -> UploadMemorySettings.parse("--nope", "1")).hasMessageContaining("--nope");
    assertThat(UploadMemorySettings.parse("--size", "100MiB").maxBodyBytes()).isGreaterThan(100L << 20);
  }
}
