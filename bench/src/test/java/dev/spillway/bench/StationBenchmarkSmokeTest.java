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
 * Keeps the station harness from rotting: 0.8 × C for two seconds through the plain gateway and through
 * Azure's own spillover, with 10-token answers, checking the cells are sane and the report is written.
 * The targets are the benchmark's business, not CI's.
 */
class StationBenchmarkSmokeTest {

  @Test
  void runsAShortScenarioForTwoConfigurationsAndWritesTheReport(@TempDir Path out) throws Exception {
    StationSettings settings = StationSettings.parse(
        "--scenarios", "steady-0.8",
        "--configs", "no-wait,azure-native",
        "--duration", "2s",
        "--warmup", "1s",
        "--capacity", "30000",
        "--max-tokens", "10",
        "--out", out.toString());
    StationBenchmark.checkConfigs(settings);
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    StationRun run = StationBenchmark.run(settings, new PrintStream(log, true, StandardCharsets.UTF_8));
    Path md = StationReport.write(run);

    assertThat(run.cells()).extracting(StationCell::variant)
        .containsExactly(StationVariant.NO_WAIT, StationVariant.AZURE_NATIVE);
    assertThat(run.promptTokens()).isPositive();
    for (StationCell c : run.cells()) {
      String id = c.variant().id();
      assertThat(c.client().windowOk()).as(id + " answered 2xx").isPositive();
      assertThat(c.client429()).as(id + " client 429s").isZero();
      assertThat(c.otherErrors()).as(id + " other errors").isZero();
      assertThat(c.paygShare()).as(id + " spills nothing under capacity").isZero();
      assertThat(c.payg().spilledIn()).as(id + " spilled in").isZero();
      assertThat(c.ptuUtilization()).as(id + " PTU utilization").isBetween(0.4, 1.2);
      assertThat(c.ptu429PerAnswer()).as(id + " PTU 429s").isZero();
      assertThat(c.addedWaitP50Millis()).as(id + " added wait").isBetween(-1.0, 1_000.0);
      assertThat(c.standard().ok()).as(id + " standard answers").isEqualTo(c.client().windowOk());
      assertThat(c.critical().ok()).as(id + " no critical traffic outside the mix").isZero();
      assertThat(c.windowSeconds()).isGreaterThan(1.5);
    }
    assertThat(md).isEqualTo(out.resolve("station.md"));
    assertThat(Files.readString(md)).contains("# PTU station benchmark", "steady 0.8 × C", "azure-native", "## Targets");
    JsonObject json = new JsonObject(Files.readString(out.resolve("station.json")));
    assertThat(json.getJsonArray("cells")).hasSize(2);
    assertThat(json.getJsonArray("cells").getJsonObject(0).getString("scenario")).isEqualTo("steady-0.8");
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("steady-0.8 / no-wait:", "steady-0.8 / azure-native:");
  }

  @Test
  void flagsNameTheProblem() {
    assertThatThrownBy(() -> StationSettings.parse("--scenarios", "steady-3"))
        .hasMessageContaining("unknown scenario 'steady-3'").hasMessageContaining("steady-0.8");
    assertThatThrownBy(() -> StationSettings.parse("--configs", "fastest"))
        .hasMessageContaining("unknown configuration 'fastest'").hasMessageContaining("azure-native");
    assertThatThrownBy(() -> StationSettings.parse("--duration", "15")).hasMessageContaining("--duration");
    assertThatThrownBy(() -> StationSettings.parse("--payg-price", "-1")).hasMessageContaining("--payg-price");
    assertThat(StationBenchmark.estimate(StationSettings.defaults()).toMinutes()).isLessThanOrEqualTo(32);
  }
}
