package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
  void parsesConfigDurations() {
    assertThat(DurationText.parse("150ms")).contains(Duration.ofMillis(150));
    assertThat(DurationText.parse("0.2ms")).contains(Duration.ofNanos(200_000));
    assertThat(DurationText.parse("10s")).contains(Duration.ofSeconds(10));
    assertThat(DurationText.parse("1m30s")).contains(Duration.ofSeconds(90));
    assertThat(DurationText.parse("PT0.15S")).contains(Duration.ofMillis(150));
    assertThat(DurationText.parse("150")).isEmpty();
    assertThat(DurationText.parse("fast")).isEmpty();
    assertThat(DurationText.parse("-1s")).isEmpty();
  }
}
