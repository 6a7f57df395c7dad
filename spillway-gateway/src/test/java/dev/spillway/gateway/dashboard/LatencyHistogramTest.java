package dev.spillway.gateway.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void everyValueFallsInsideItsBin() {
    for (long micros = 0; micros < 5_000_000; micros = micros < 100 ? micros + 1 : micros * 11 / 10) {
      int bin = LatencyHistogram.bin(micros);
      assertThat(LatencyHistogram.lowerMicros(bin)).isLessThanOrEqualTo(micros);
      assertThat(LatencyHistogram.lowerMicros(bin + 1)).isGreaterThan(micros);
    }
    assertThat(LatencyHistogram.bin(Long.MAX_VALUE / 1_000)).isEqualTo(LatencyHistogram.BINS - 1);
  }

  @Test
  void quantilesAreWithinAFewPercentOfTheTruth() {
    LatencyHistogram h = new LatencyHistogram();
    for (int ms = 1; ms <= 1000; ms++) {
      h.add(ms * 1_000_000L);
    }
    assertThat(h.count()).isEqualTo(1000);
    assertThat(h.quantileMillis(0.50)).isCloseTo(500, within(500 * 0.07));
    assertThat(h.quantileMillis(0.95)).isCloseTo(950, within(950 * 0.07));
    assertThat(h.quantileMillis(0.99)).isCloseTo(990, within(990 * 0.07));
  }

  @Test
  void mergingAndRemovingGivesTheWindowsQuantiles() {
    LatencyHistogram fast = new LatencyHistogram();
    LatencyHistogram slow = new LatencyHistogram();
    for (int i = 0; i < 100; i++) {
      fast.add(20_000_000L);
      slow.add(2_000_000_000L);
    }
    LatencyHistogram window = new LatencyHistogram();
    window.addAll(fast);
    window.addAll(slow);
    assertThat(window.quantileMillis(0.25)).isCloseTo(20, within(2.0));
    assertThat(window.quantileMillis(0.75)).isCloseTo(2000, within(200.0));
    window.removeAll(fast);
    assertThat(window.count()).isEqualTo(100);
    assertThat(window.quantileMillis(0.01)).isCloseTo(2000, within(200.0));
  }

  @Test
  void anEmptyHistogramHasNoQuantile() {
    assertThat(new LatencyHistogram().quantileMillis(0.5)).isNaN();
  }
}
