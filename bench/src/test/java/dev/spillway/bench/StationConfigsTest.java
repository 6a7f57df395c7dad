package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.config.PtuStation;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.simulator.DeploymentStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The station benchmark's pure parts: each configuration's YAML, the scenarios' windows and the targets. */
class StationConfigsTest {
  private static final StationGatewayYaml.Inputs INPUTS = new StationGatewayYaml.Inputs("http://127.0.0.1:9",
      "sim-key", "gpt-4o-ptu", "gpt-4o-payg", 60_000, Path.of("keys.json"), "pepper-0123456789abcdef");

  @Test
  void eachConfigurationWritesItsOwnModelKeys() {
    String station = StationGatewayYaml.text(StationVariant.STATION, INPUTS);
    assertThat(station).contains("ptuWait: station", "maxWaitForPtu: 1500ms", "capacity: { tokensPerMinute: 60000 }",
        "id: payg");
    assertThat(StationGatewayYaml.text(StationVariant.FIXED_WAIT, INPUTS))
        .contains("maxWaitForPtu: 1500ms", "ptuWait: fixed").doesNotContain("capacity:");
    assertThat(StationGatewayYaml.text(StationVariant.NO_WAIT, INPUTS)).contains("ptuWait: fixed", "maxWaitForPtu: 0s");
    assertThat(StationGatewayYaml.text(StationVariant.AZURE_NATIVE, INPUTS)).doesNotContain("id: payg", "maxWaitForPtu");
  }

  @Test
  void everyConfigurationLoadsThroughTheConfigLoader() {
    SpillwayConfig noWait = StationGatewayYaml.load(StationVariant.NO_WAIT, INPUTS);
    SpillwayConfig fixedWait = StationGatewayYaml.load(StationVariant.FIXED_WAIT, INPUTS);
    SpillwayConfig native_ = StationGatewayYaml.load(StationVariant.AZURE_NATIVE, INPUTS);
    SpillwayConfig station = StationGatewayYaml.load(StationVariant.STATION, INPUTS);
    assertThat(station.models().get("gpt-4o").ptuStation().mode()).isEqualTo(PtuStation.Mode.STATION);
    assertThat(fixedWait.models().get("gpt-4o").ptuStation().mode()).isEqualTo(PtuStation.Mode.FIXED);

    assertThat(noWait.models().get("gpt-4o").backends()).extracting(BackendConfig::tier).containsExactly(Tier.PTU, Tier.PAYG);
    assertThat(fixedWait.models().get("gpt-4o").maxWaitForPtu()).isEqualTo(Duration.ofMillis(1500));
    assertThat(native_.models().get("gpt-4o").backends()).extracting(BackendConfig::id).containsExactly("ptu");
    assertThat(noWait.consumers()).extracting(c -> c.priorityClass())
        .containsExactly(PriorityClass.CRITICAL, PriorityClass.STANDARD);
    assertThat(noWait.auth().required()).isTrue();
  }

  @Test
  void burstyWindowsAreWholeCyclesAndOnlyOverloadStartsFull() {
    assertThat(StationScenario.BURSTY_SHORT.window(Duration.ofSeconds(15), Duration.ofSeconds(121)))
        .isEqualTo(Duration.ofSeconds(120));
    assertThat(StationScenario.BURSTY_LONG.window(Duration.ofSeconds(15), Duration.ofSeconds(5)))
        .isEqualTo(Duration.ofSeconds(20));
    assertThat(StationScenario.BURSTY_LONG.warmup(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(60));
    assertThat(StationScenario.BURSTY_SHORT.warmup(Duration.ofSeconds(3))).isEqualTo(Duration.ofSeconds(60));
    assertThat(StationScenario.STEADY_2.warmup(Duration.ofSeconds(12))).isEqualTo(Duration.ofSeconds(12));
    assertThat(StationScenario.STEADY_2.window(Duration.ofSeconds(15), Duration.ofSeconds(120)))
        .isEqualTo(Duration.ofSeconds(15));
    assertThat(StationScenario.STEADY_1_2.startsWithFullBucket()).isTrue();
    assertThat(StationScenario.CRITICAL_MIX.startsWithFullBucket()).isTrue();
    assertThat(StationScenario.STEADY_0_8.startsWithFullBucket()).isFalse();
    assertThat(StationScenario.BURSTY_LONG.startsWithFullBucket()).isFalse();
    assertThat(StationScenario.CRITICAL_MIX.critical(3)).isTrue();
    assertThat(StationScenario.CRITICAL_MIX.critical(4)).isFalse();
    assertThat(StationScenario.STEADY_2.critical(3)).isFalse();
  }

  @Test
  void theStationMustHalveShortBurstSpillAgainstBothBaselines() {
    StationCell noWait = cell(StationScenario.BURSTY_SHORT, StationVariant.NO_WAIT, 10_000, 0);
    StationCell azure = cell(StationScenario.BURSTY_SHORT, StationVariant.AZURE_NATIVE, 8_000, 0);
    StationCell good = cell(StationScenario.BURSTY_SHORT, StationVariant.STATION, 4_000, 0);
    StationCell halfway = cell(StationScenario.BURSTY_SHORT, StationVariant.STATION, 4_500, 0);
    StationCell throttled = cell(StationScenario.BURSTY_SHORT, StationVariant.STATION, 1_000, 3);

    assertThat(StationTargets.of(good, List.of(noWait, azure, good)).status())
        .isEqualTo(StationTargets.Verdict.Status.MET);
    assertThat(StationTargets.of(halfway, List.of(noWait, azure, halfway)).detail()).contains("azure-native");
    assertThat(StationTargets.of(throttled, List.of(noWait, azure, throttled)).detail()).contains("client 429s 3");
    assertThat(StationTargets.of(noWait, List.of(noWait, azure, good))).isEqualTo(StationTargets.Verdict.NONE);
  }

  private static StationCell cell(StationScenario scenario, StationVariant variant, long paygTokens, long client429) {
    DeploymentStats ptu = new DeploymentStats(100, 100, 0, 0, 5_000, 5_000);
    DeploymentStats payg = new DeploymentStats(10, 10, 0, 0, paygTokens / 2, paygTokens - paygTokens / 2);
    LatencySummary latency = new LatencySummary(100, 1_000, 1_100, 1_200);
    OpenLoopGenerator.Summary client = new OpenLoopGenerator.Summary(110, 110, 110, 110, 110 - client429, client429, 0,
        Map.of(), latency);
    ClassTally.Summary none = new ClassTally.Summary(0, 0, LatencySummary.of(List.of()));
    return new StationCell(scenario, variant, 60_000, 10, ptu, payg, 0, 0, client, none, none, 990, 0.01);
  }
}
