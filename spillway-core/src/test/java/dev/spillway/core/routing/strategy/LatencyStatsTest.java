package dev.spillway.core.routing.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {

  @Test
  void averageStartsAtTheFirstSampleThenMovesByAlpha() {
    LatencyStats stats = new LatencyStats(0.5);
    stats.record(100, 100, 0);
    assertThat(stats.ttftNanos()).hasValue(100.0);
    stats.record(200, 200, 0);
    assertThat(stats.ttftNanos()).hasValue(150.0);
    stats.record(400, 400, 0);
    assertThat(stats.ttftNanos()).hasValue(275.0);
    assertThat(stats.samples()).isEqualTo(3);
  }

  @Test
  void defaultAlphaIsOneFifth() {
    LatencyStats stats = new LatencyStats();
    assertThat(stats.alpha()).isEqualTo(0.2);
    stats.record(1_000, 1_000, 0);
    stats.record(2_000, 2_000, 0);
    assertThat(stats.ttftNanos().getAsDouble()).isCloseTo(1_200.0, within(1e-9));
  }

  @Test
  void alphaOfOneKeepsOnlyTheLastSample() {
    LatencyStats stats = new LatencyStats(1);
    stats.record(100, 100, 0);
    stats.record(700, 700, 0);
    assertThat(stats.ttftNanos()).hasValue(700.0);
  }

  @Test
  void nonStreamedCallCountsItsWholeLatencyPerOutputToken() {
    LatencyStats stats = new LatencyStats(0.5);
    stats.record(-1, 1_000, 10);
    assertThat(stats.nanosPerOutputToken()).hasValue(100.0);
    assertThat(stats.ttftNanos()).isEmpty();
    assertThat(stats.samples()).isEqualTo(1);
  }

  @Test
  void streamedCallCountsOnlyGenerationTimePerOutputToken() {
    LatencyStats stats = new LatencyStats(0.5);
    stats.record(400, 1_400, 10);
    assertThat(stats.ttftNanos()).hasValue(400.0);
    assertThat(stats.nanosPerOutputToken()).hasValue(100.0);
  }

  @Test
  void tracksTimeToFirstTokenAndTimePerTokenIndependently() {
    LatencyStats stats = new LatencyStats(0.5);
    stats.record(400, 1_400, 10); // ttft 400, 100 per token
    stats.record(-1, 3_000, 10); // non-streamed: 300 per token, ttft untouched
    stats.record(800, 800, 0); // no tokens: ttft only
    assertThat(stats.ttftNanos()).hasValue(600.0);
    assertThat(stats.nanosPerOutputToken()).hasValue(200.0);
    assertThat(stats.samples()).isEqualTo(3);
  }

  @Test
  void scoreIsTimeToFirstTokenPlusPerTokenTimesExpectedTokens() {
    LatencyStats stats = new LatencyStats(0.5);
    stats.record(400, 1_400, 10);
    assertThat(stats.score(10)).isEqualTo(1_400.0);
    assertThat(stats.score(0)).isEqualTo(400.0);
  }

  @Test
  void scoreIsZeroBeforeAnySampleAndCountsAMissingAverageAsZero() {
    LatencyStats stats = new LatencyStats(0.5);
    assertThat(stats.score(256)).isZero();
    assertThat(stats.ttftNanos()).isEmpty();
    assertThat(stats.nanosPerOutputToken()).isEmpty();
    stats.record(-1, 1_000, 10);
    assertThat(stats.score(5)).isEqualTo(500.0);
  }

  @Test
  void aCallWithNothingMeasurableIsNotASample() {
    LatencyStats stats = new LatencyStats();
    stats.record(-1, 5_000, 0);
    stats.record(-1, -1, 10);
    assertThat(stats.samples()).isZero();
    assertThat(stats.nanosPerOutputToken()).isEmpty();
  }

  @Test
  void aFirstTokenAfterTheEndIsTreatedAsNoGenerationTime() {
    LatencyStats stats = new LatencyStats();
    stats.record(500, 400, 10);
    assertThat(stats.nanosPerOutputToken()).hasValue(0.0);
  }

  @Test
  void rejectsAlphaOutsideZeroToOne() {
    for (double alpha : new double[] {0, -0.1, 1.5, Double.NaN}) {
      assertThatThrownBy(() -> new LatencyStats(alpha))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("alpha");
    }
  }

  @Test
  void loseNoSampleUnderConcurrentRecords() throws Exception {
    LatencyStats stats = new LatencyStats();
    int threads = 8;
    int recordsPerThread = 20_000;
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long ttft = 1_000 * (t + 1);
        done.add(executor.submit(() -> {
          for (int i = 0; i < recordsPerThread; i++) {
            stats.record(ttft, ttft + 500, 5);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      executor.shutdownNow();
    }
    assertThat(stats.samples()).isEqualTo((long) threads * recordsPerThread);
    assertThat(stats.ttftNanos().getAsDouble()).isBetween(1_000.0, 8_000.0);
    assertThat(stats.nanosPerOutputToken()).isEqualTo(OptionalDouble.of(100.0));
  }
}
