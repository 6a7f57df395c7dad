package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the limit-accuracy harness from rotting: both configurations for 3 s each, not aligned to
 * the minute, with a limit small enough that it refuses within the first second. Checks only that
 * the numbers are sane and the report is written; the accuracy targets are the benchmark's
 * business. The three-replica part needs Redis on 127.0.0.1:6379: skipped without it, unless the
 * {@code CI} variable is set (test.sh starts one), when it fails.
 */
class LimitAccuracyBenchmarkSmokeTest {
  private static final long LIMIT = 4_000;

  @Test
  void runsBothConfigurationsAndWritesTheReport(@TempDir Path out) throws Exception {
    LimitBenchSettings settings =
        LimitBenchSettings.parse(
            "--duration", "3s",
            "--limit", Long.toString(LIMIT),
            "--clients", "20",
            "--align", "none",
            "--latency", "zero",
            "--out", out.toString());
    boolean redis = LimitAccuracyBenchmark.redisReachable(settings.redisUrl());
    if (!redis) {
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false")) {
        throw new AssertionError("no Redis at " + settings.redisUrl() + " although CI is set");
      }
      settings = settings.withTopologies(List.of(LimitTopology.ONE_REPLICA));
    }
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    LimitAccuracyRun run = LimitAccuracyBenchmark.run(settings, new PrintStream(log, true, StandardCharsets.UTF_8));
    Path md = LimitReport.write(run);

    assertThat(run.results()).extracting(LimitTopologyResult::topology).containsExactlyElementsOf(settings.topologies());
    for (LimitTopologyResult r : run.results()) {
      String id = r.topology().id();
      assertThat(r.ok()).as(id + " 200s").isPositive();
      assertThat(r.refused()).as(id + " 429s once the small limit is spent").isPositive();
      assertThat(r.okPerReplica()).as(id + " 200s by replica").hasSize(r.topology().replicas());
      assertThat(r.windows()).as(id + " windows").isNotEmpty();
      for (LimitWindow w : r.windows()) {
        assertThat(Double.isFinite(w.ratio(LIMIT))).as(id + " ratio finite").isTrue();
        assertThat(w.ratio(LIMIT)).as(id + " ratio").isBetween(0.0, 3.0);
      }
      assertThat(r.calibrationCounted()).as(id + " the gateway counts what we compute").isEqualTo(r.calibrationReserved());
    }
    assertThat(md).isEqualTo(out.resolve("limits.md"));
    assertThat(Files.readString(md)).contains("# Token-limit accuracy benchmark", "1 replica, memory store");
    JsonObject json = new JsonObject(Files.readString(out.resolve("limits.json")));
    assertThat(json.getJsonArray("configurations")).hasSize(settings.topologies().size());
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("one-replica:");
    Assumptions.assumeTrue(redis, "no Redis on 127.0.0.1:6379: the three-replica part was skipped");
  }

  @Test
  void aRefusalIsPlacedInTheWindowItNamesAndAnEdgeAdmissionInTheNext() {
    long minute = 1_800_000_000_000L - Math.floorMod(1_800_000_000_000L, 60_000L);
    long next = minute + 60_000;
    List<ClosedLoopClients.Sample> samples =
        List.of(
            // admitted well inside the first window, counter high
            new ClosedLoopClients.Sample(0, minute + 1_000, minute + 1_500, 200, 300, 300, 100, 300, -1, null),
            // sent 20 ms before the boundary, admitted after it against a fresh counter
            new ClosedLoopClients.Sample(0, next - 20, next + 900, 200, 250, 250, LIMIT - 250, 250, -1, null),
            // sent before the boundary, refused by the next window (its message names the window end)
            new ClosedLoopClients.Sample(0, next - 5, next + 1, 429, -1, -1, -1, 250, next + 60_000, null));

    List<LimitWindow> windows = LimitWindow.of(samples, LIMIT, minute, next);

    assertThat(windows).hasSize(2);
    assertThat(windows.get(0).complete()).isTrue();
    assertThat(windows.get(0).realTokens()).isEqualTo(300);
    assertThat(windows.get(0).peakCounter()).isEqualTo(LIMIT - 100);
    assertThat(windows.get(1).complete()).isFalse();
    assertThat(windows.get(1).ok()).isEqualTo(1);
    assertThat(windows.get(1).movedIn()).isEqualTo(1);
    assertThat(windows.get(1).refused()).isEqualTo(1);
  }

  @Test
  void readsTheResetInstantOfARefusal() {
    String body =
        "{\"error\":{\"message\":\"Rate limit of 100000 tokens per minute reached; it resets at"
            + " 2026-11-25T09:09:00Z. Please retry after 7 seconds.\",\"code\":\"rate_limit_exceeded\"}}";
    assertThat(ClosedLoopClients.resetsAt(body)).hasValue(java.time.Instant.parse("2026-11-25T09:09:00Z").toEpochMilli());
    assertThat(ClosedLoopClients.resetsAt("{}")).isEmpty();
  }

  @Test
  void flagsNameTheProblem() {
    assertThatThrownBy(() -> LimitBenchSettings.parse("--duration", "60")).hasMessageContaining("--duration");
    assertThatThrownBy(() -> LimitBenchSettings.parse("--align", "hour")).hasMessageContaining("--align");
    assertThatThrownBy(() -> LimitBenchSettings.parse("--configs", "five")).hasMessageContaining("--configs");
    assertThatThrownBy(() -> LimitBenchSettings.parse("--bogus", "1")).hasMessageContaining("--bogus");
    LimitBenchSettings d = LimitBenchSettings.defaults();
    assertThat(d.limitTokensPerMinute()).isEqualTo(100_000);
    assertThat(d.clients()).isEqualTo(50);
    assertThat(d.duration()).hasSeconds(60);
    assertThat(LimitAccuracyBenchmark.ceilMinute(120_000)).isEqualTo(120_000);
    assertThat(LimitAccuracyBenchmark.ceilMinute(120_001)).isEqualTo(180_000);
  }
}
