package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The overhead table from made-up results: what each row says, without running anything. */
class EdgeReportTest {
  @Test
  void aParticipantThatCannotKeepUpWithTheFixedRateIsShownOverloadedNotFast() {
    OverheadResult o =
        new OverheadResult("wrk", 64, 6_000, List.of(
            row("direct", 40_000, answered(90_000, 90_000, 0.150, 0.600)),
            row("spillway", 12_000, answered(90_000, 90_000, 0.500, 2.100)),
            row("portkey", 900, answered(90_000, 0, 0, 0))), List.of());
    EdgeRun run = new EdgeRun(EdgeSettings.defaults(), Instant.EPOCH, 0, 0, "test", Optional.of(o), List.of(), Optional.empty());

    String md = EdgeReport.markdown(run);

    assertThat(md).contains("| spillway | 12,000 | 0 | 0.500 | 2.100 | +0.350 | +1.500 |");
    assertThat(md).contains("| portkey | 900 | 0 | overloaded | overloaded | — | — |");
    assertThat(md).contains("portkey answered 0 of the 90,000 requests due in the fixed-rate window (its peak is 900"
        + " req/s, below the 6,000 offered)");
    assertThat(md).doesNotContain("spillway answered");
    assertThat(EdgeReport.targets(run)).anyMatch(t -> t.contains("≤ 1 ms added p99") && t.contains("+1.500 ms"));
  }

  private static OverheadResult.Row row(String name, double peak, OpenLoopGenerator.Summary fixed) {
    return new OverheadResult.Row(name, new PeakResult("wrk", peak, 0, 1, 2, 15, 1), 1, 1, fixed, 0.5, 0.2);
  }

  private static OpenLoopGenerator.Summary answered(long due, long answered, double p50, double p99) {
    return new OpenLoopGenerator.Summary(due + 30_000, answered + 30_000, due, answered, answered, 0, 0, Map.of(),
        new LatencySummary(answered, p50, p99, p99 * 2));
  }
}
