package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DurationTextTest {

  @Test
  void formatsLikeGoDurationString() {
    assertThat(DurationText.formatGo(0)).isEqualTo("0s");
    assertThat(DurationText.formatGo(250_000_000L)).isEqualTo("250ms");
    assertThat(DurationText.formatGo(1)).isEqualTo("1ms"); // rounded up, never promises too early
    assertThat(DurationText.formatGo(1_000_000_000L)).isEqualTo("1s");
    assertThat(DurationText.formatGo(1_500_000_000L)).isEqualTo("1.5s");
    assertThat(DurationText.formatGo(360_000_000_000L)).isEqualTo("6m0s");
    assertThat(DurationText.formatGo(90_250_000_000L)).isEqualTo("1m30.25s");
    assertThat(DurationText.formatGo(3_600_000_000_000L)).isEqualTo("1h0m0s");
  }

  @Test
  void whatItWritesTheGatewaysParserReadsBack() {
    for (long millis : new long[] {1, 250, 1_000, 1_500, 59_999, 90_250, 360_000, 3_600_000, 3_723_456}) {
      assertThat(dev.spillway.core.routing.RetryAfterParser.parseGoDurationMillis(DurationText.formatGo(millis * 1_000_000L)))
          .as("%d ms", millis)
          .hasValue(millis);
    }
  }
}
