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
 * Keeps the edge harness from rotting: overhead (direct and Spillway only, the Java load generator:
 * nothing to install), streaming (20 short streams) and footprint (one start), each for about a
 * second, with a real simulator and gateway as child processes on loopback. Checks only that the
 * figures are sane and the reports are written; the targets are the benchmark's business.
 */
class EdgeBenchmarkSmokeTest {

  @Test
  void runsEveryScenarioAndWritesTheReports(@TempDir Path out) throws Exception {
    EdgeSettings settings =
        EdgeSettings.parse(
            "--participants", "direct,spillway",
            "--load-tool", "java",
            "--peak-duration", "1s",
            "--latency-duration", "1s",
            "--warmup", "500ms",
            "--connections", "4",
            "--streams", "20",
            "--stream-tokens", "10",
            "--tokens-per-second", "100",
            "--ramp", "200ms",
            "--footprint-repeats", "1",
            "--out", out.toString());
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    EdgeRun run = EdgeBenchmark.run(settings, new PrintStream(log, true, StandardCharsets.UTF_8));
    Path md = EdgeReport.write(run);

    OverheadResult o = run.overhead().orElseThrow();
    assertThat(o.rows()).extracting(OverheadResult.Row::name).containsExactly("direct", "spillway");
    for (OverheadResult.Row r : o.rows()) {
      assertThat(r.peak().requestsPerSecond()).as(r.name() + " peak").isPositive();
      assertThat(r.peak().errors()).as(r.name() + " peak errors").isZero();
      assertThat(r.fixed().windowOk()).as(r.name() + " answered at the fixed rate").isPositive();
    }
    assertThat(run.streaming()).hasSize(1);
    StreamingScenario.Step step = run.streaming().get(0);
    assertThat(step.direct().completed()).isEqualTo(20);
    assertThat(step.spillway().completed()).isEqualTo(20);
    assertThat(step.spillway().ttftP50Millis()).isPositive();
    assertThat(run.footprint().orElseThrow().gatewayStartMillis()).hasSize(1).allMatch(ms -> ms > 0);

    assertThat(Files.readString(md)).contains("## 1. Overhead", "## 2. Streaming", "## 5. Footprint", "not measured");
    JsonObject json = new JsonObject(Files.readString(out.resolve("edge.json")));
    assertThat(json.getJsonObject("overhead").getJsonArray("participants")).hasSize(2);
    Files.writeString(out.resolve("routing.md"), "# Routing benchmark\n\nbody\n");
    Path report = ReportAssembler.assemble(out, "smoke run");
    assertThat(Files.readString(report)).contains("smoke run", "### Routing benchmark", "Limits (scenario 4)", "Not run");
  }

  @Test
  void flagsNameTheProblem() {
    assertThatThrownBy(() -> EdgeSettings.parse("--scenarios", "overhead,bogus")).hasMessageContaining("--scenarios");
    assertThatThrownBy(() -> EdgeSettings.parse("--connections", "x")).hasMessageContaining("--connections");
    assertThatThrownBy(() -> EdgeSettings.parse("--nope", "1")).hasMessageContaining("--nope");
  }

  @Test
  void theUpstreamRunsFromTheGatewayJarUnlessASimulatorJarIsGiven() {
    assertThat(EdgeSettings.parse().upstreamJar()).isEmpty();
    assertThat(EdgeSettings.parse("--gateway-jar", "after.jar").upstreamJar()).contains(Path.of("after.jar"));
    assertThat(EdgeSettings.parse("--gateway-jar", "after.jar", "--simulator-jar", "before.jar").upstreamJar())
        .contains(Path.of("before.jar"));
  }

  @Test
  void theLastStreamStepFitsTheOpenFileLimit() {
    assertThat(EdgeSettings.defaultStreams(-1)).containsExactly(1000, 5000, 10000);
    assertThat(EdgeSettings.defaultStreams(65_536)).containsExactly(1000, 5000, 10000);
    // one socket per stream (the upstream is HTTP/2) plus 256 others and 64 upstream connections
    assertThat(EdgeSettings.defaultStreams(20_000)).containsExactly(1000, 5000, 10000);
    assertThat(EdgeSettings.defaultStreams(8_000)).containsExactly(1000, 5000, 7500);
    assertThat(EdgeSettings.defaultStreams(4_000)).containsExactly(1000, 3500);
    assertThat(EdgeSettings.defaultStreams(1_024)).containsExactly(1000);
  }

  @Test
  void readsWrkOutput() {
    String out =
        """
        Running 3s test @ http://127.0.0.1:1/v1/chat/completions
          1 threads and 64 connections
          Latency Distribution
             50%  464.19us
             75%  714.47ms
             99%    1.34s
          317 requests in 3.01s, 375.51KB read
          Socket errors: connect 0, read 1, write 0, timeout 32
          Non-2xx or 3xx responses: 5
        Requests/sec:    105.33
        Transfer/sec:    124.77KB
        0m0.001s 0m0.002s
        0m0.500s 0m1.250s
        """;
    PeakResult r = WrkRunner.parse(out, 3);
    assertThat(r.requestsPerSecond()).isEqualTo(105.33);
    assertThat(r.errors()).isEqualTo(38);
    assertThat(r.p50Millis()).isEqualTo(0.46419, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(r.p99Millis()).isEqualTo(1340.0);
    assertThat(r.loadGeneratorCpuSeconds()).isEqualTo(1.75);
  }
}
