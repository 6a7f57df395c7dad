package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the spillover harness from rotting: every configuration for 1.5 s each (plus a 1 s warm-up)
 * at a small capacity, checking only that the results are sane and the report is written. The
 * performance targets are the benchmark's business, not CI's.
 */
class SpilloverBenchmarkSmokeTest {

  @Test
  void runsEveryConfigurationAndWritesTheReport(@TempDir Path out) throws Exception {
    // 30,000 tokens/min with 1 s of burst and 10-token answers: about 6 requests/s of ~100 tokens,
    // and a bucket that fills within the 1 s warm-up.
    SpilloverSettings settings =
        SpilloverSettings.parse(
            "--duration", "1500ms",
            "--warmup", "1s",
            "--capacity", "30000",
            "--ptu-burst", "500ms",
            "--max-tokens", "10",
            "--out", out.toString());
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    SpilloverRun run = SpilloverBenchmark.run(settings, new PrintStream(log, true, StandardCharsets.UTF_8));
    Path md = RoutingReport.write(run);

    assertThat(run.results()).extracting(SpilloverResult::variant).containsExactly(RoutingVariant.values());
    assertThat(run.promptTokens()).isPositive();
    for (SpilloverResult r : run.results()) {
      assertThat(r.client().windowSent()).as(r.variant().id() + " sent").isPositive();
      assertThat(r.client().windowCompleted()).as(r.variant().id() + " completed").isPositive();
      assertThat(r.client().windowOk()).as(r.variant().id() + " answered 2xx").isPositive();
      assertThat(r.ptuUtilization()).as(r.variant().id() + " PTU utilization").isBetween(0.0, 1.2);
      assertThat(r.spillShare()).as(r.variant().id() + " spill share").isBetween(0.0, 1.0);
      assertThat(r.client().okLatency().p99Millis()).isGreaterThanOrEqualTo(r.client().okLatency().p50Millis());
      assertThat(r.windowSeconds()).isGreaterThan(1.0);
    }
    assertThat(md).isEqualTo(out.resolve("routing.md"));
    assertThat(Files.readString(md)).contains("# Routing benchmark", "round-robin", "priority + maxWaitForPtu 1500ms");
    JsonObject json = new JsonObject(Files.readString(out.resolve("routing.json")));
    assertThat(json.getJsonArray("configurations")).hasSize(RoutingVariant.values().length);
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("priority-wait:", "round-robin:");
  }

  @Test
  void flagsNameTheProblem() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpilloverSettings.parse("--duration", "60"))
        .hasMessageContaining("--duration");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpilloverSettings.parse("--bogus", "1"))
        .hasMessageContaining("--bogus");
    assertThat(SpilloverSettings.defaults().effectiveWarmup()).hasSeconds(22);
  }
}
