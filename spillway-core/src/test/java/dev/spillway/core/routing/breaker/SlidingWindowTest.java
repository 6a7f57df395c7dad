package dev.spillway.core.routing.breaker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
  private static final long SECOND = 1_000_000_000L;
  private static final Duration WINDOW = Duration.ofSeconds(20); // 20 buckets of 1 s

  @Test
  void countsCallsAndFailures() {
    SlidingWindow w = SlidingWindow.empty(WINDOW).record(0, false).record(1, true).record(2 * SECOND, true);
    assertThat(w.calls()).isEqualTo(3);
    assertThat(w.failures()).isEqualTo(2);
  }

  @Test
  void isImmutable() {
    SlidingWindow before = SlidingWindow.empty(WINDOW).record(0, true);
    SlidingWindow after = before.record(1, true).advance(100 * SECOND);
    assertThat(before.calls()).isEqualTo(1);
    assertThat(before.failures()).isEqualTo(1);
    assertThat(after.calls()).isZero();
  }

  @Test
  void eventsSlideOutBucketByBucket() {
    SlidingWindow w = SlidingWindow.empty(WINDOW)
        .record(0, true) // bucket 0
        .record(5 * SECOND, false) // bucket 5
        .record(5 * SECOND + 1, true);
    assertThat(w.advance(20 * SECOND - 1).calls()).isEqualTo(3); // still bucket 19: all in
    assertThat(w.advance(20 * SECOND).calls()).isEqualTo(2); // bucket 0 slid out
    assertThat(w.advance(20 * SECOND).failures()).isEqualTo(1);
    assertThat(w.advance(25 * SECOND).calls()).isZero();
    assertThat(w.advance(25 * SECOND).failures()).isZero();
  }

  @Test
  void longSilenceEmptiesTheWindowAndCountingResumes() {
    SlidingWindow w = SlidingWindow.empty(WINDOW).record(0, true).record(3 * SECOND, true);
    SlidingWindow later = w.record(3600 * SECOND, false);
    assertThat(later.calls()).isEqualTo(1);
    assertThat(later.failures()).isZero();
  }

  @Test
  void ringSlotsAreReusedCorrectlyAcrossManyLaps() {
    SlidingWindow w = SlidingWindow.empty(WINDOW);
    for (int s = 0; s < 200; s++) {
      w = w.record(s * SECOND, s % 2 == 0);
    }
    // one call per second: the last 20 seconds are in the window, half of them failures
    assertThat(w.calls()).isEqualTo(20);
    assertThat(w.failures()).isEqualTo(10);
  }

  @Test
  void worksWithNegativeTickerReadings() {
    long start = -7 * SECOND - 3; // System.nanoTime() may be negative
    SlidingWindow w = SlidingWindow.empty(WINDOW).record(start, true).record(start + SECOND, true);
    assertThat(w.advance(start + 19 * SECOND).calls()).isEqualTo(2);
    assertThat(w.advance(start + 22 * SECOND).calls()).isZero();
  }

  @Test
  void aReadingOlderThanTheNewestBucketCountsInTheNewestBucket() {
    SlidingWindow w = SlidingWindow.empty(WINDOW).record(10 * SECOND, false).record(3 * SECOND, true);
    assertThat(w.calls()).isEqualTo(2);
    assertThat(w.advance(29 * SECOND).failures()).isEqualTo(1); // kept as long as the bucket of 10 s
    assertThat(w.advance(30 * SECOND).failures()).isZero();
  }

  @Test
  void clearedForgetsEverything() {
    SlidingWindow w = SlidingWindow.empty(WINDOW).record(0, true).cleared();
    assertThat(w.calls()).isZero();
    assertThat(w.record(1, false).calls()).isEqualTo(1);
  }
}
