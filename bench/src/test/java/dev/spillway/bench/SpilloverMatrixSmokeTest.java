package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the spillover matrix from rotting: two loads × two configurations for about a second each, with the coarse
 * whole-second retry hint; checks the cells are sane and the report is written, not the targets.
 */
class SpilloverMatrixSmokeTest {

  @Test
  void runsEveryLoadAndConfigurationAndWritesTheReport(@TempDir Path out) throws Exception {
    SpilloverSettings settings = SpilloverSettings.parse(
        "--duration", "1200ms",
        "--warmup", "800ms",
        "--capacity", "30000",
        "--ptu-burst", "500ms",
        "--max-tokens", "10",
        "--configs", "priority-wait-predictive,round-robin",
        "--retry-hint", "s",
        "--out", out.toString());
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    List<SpilloverMatrix.Cell> cells =
        SpilloverMatrix.run(settings, List.of(0.8, 2.0), new PrintStream(log, true, StandardCharsets.UTF_8));
    Path md = SpilloverMatrix.write(settings, cells);

    assertThat(cells).extracting(SpilloverMatrix.Cell::loadFactor).containsExactly(0.8, 2.0);
    for (SpilloverMatrix.Cell cell : cells) {
      assertThat(cell.run().settings().loadFactor()).isEqualTo(cell.loadFactor());
      assertThat(cell.run().results()).extracting(SpilloverResult::variant)
          .containsExactly(RoutingVariant.PRIORITY_WAIT_PREDICTIVE, RoutingVariant.ROUND_ROBIN);
      for (SpilloverResult r : cell.run().results()) {
        assertThat(r.client().windowOk()).as(cell.loadFactor() + " " + r.variant().id()).isPositive();
        assertThat(r.spillShare()).isBetween(0.0, 1.0);
      }
    }
    // Round-robin sends half the traffic to PAYG at any load: under capacity that misses the target.
    SpilloverResult rrUnder = cells.getFirst().run().results().get(1);
    assertThat(rrUnder.spillShare()).isGreaterThan(0.2);
    assertThat(SpilloverMatrix.meetsTarget(0.8, rrUnder)).isFalse();
    String text = Files.readString(md);
    assertThat(text).contains("# Spillover matrix", "0.8 × C", "2 × C", "whole-second `retry-after`",
        "priority + maxWaitForPtu 1500ms + predictive spill 95%");
    JsonObject json = new JsonObject(Files.readString(out.resolve("spillover.json")));
    assertThat(json.getString("retryHint")).isEqualTo("s");
    assertThat(json.getJsonArray("runs")).hasSize(2);
  }

  @Test
  void loadFactorsMustBePositive() {
    assertThat(SpilloverMatrix.parseFactors("0.8, 1.2,2")).containsExactly(0.8, 1.2, 2.0);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpilloverMatrix.parseFactors("1,-2"))
        .hasMessageContaining("--load-factors");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SpilloverSettings.parse("--retry-hint", "minutes"))
        .hasMessageContaining("--retry-hint");
  }
}
