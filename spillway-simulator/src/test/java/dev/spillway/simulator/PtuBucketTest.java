package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spillway.core.time.ManualTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PtuBucketTest {
  private static final long SECOND = 1_000_000_000L;
  // 600 tokens/minute = 10 tokens/s; a 10 s burst holds 100 tokens.
  private final ManualTicker ticker = new ManualTicker(5 * SECOND);
  private final PtuBucket bucket = new PtuBucket(600, Duration.ofSeconds(10), ticker.read());

  @Test
  void bucketHoldsBurstWorthOfCapacity() {
    assertThat(bucket.sizeTokens()).isCloseTo(100, within(1e-9));
    assertThat(bucket.utilizationPercent(ticker.read())).isZero();
  }

  @Test
  void admittedCostRaisesUtilization() {
    Admission a = bucket.tryAdmit(60, ticker.read());

    assertThat(a.admitted()).isTrue();
    assertThat(a.headers()).containsEntry("azure-openai-deployment-utilization", "60.0%");
    assertThat(bucket.utilizationPercent(ticker.read())).isCloseTo(60, within(1e-9));
  }

  @Test
  void rejectsWhenAdmittingWouldPassFullAndSaysWhenItWouldFit() {
    bucket.tryAdmit(60, ticker.read());

    Admission rejected = bucket.tryAdmit(50, ticker.read());

    assertThat(rejected.admitted()).isFalse();
    assertThat(rejected.retryAfterNanos()).isEqualTo(SECOND); // 10 tokens over, draining 10/s
    assertThat(rejected.retryAfterMillis()).isEqualTo(1000);
    assertThat(rejected.retryAfterSeconds()).isEqualTo(1);
    assertThat(rejected.headers()).containsEntry("azure-openai-deployment-utilization", "60.0%");
    assertThat(bucket.utilizationPercent(ticker.read())).isCloseTo(60, within(1e-9));

    ticker.advance(Duration.ofNanos(rejected.retryAfterNanos()));
    Admission retried = bucket.tryAdmit(50, ticker.read());
    assertThat(retried.admitted()).isTrue();
    assertThat(retried.headers()).containsEntry("azure-openai-deployment-utilization", "100.0%");
  }

  @Test
  void drainsAtCapacityPerMinute() {
    bucket.tryAdmit(100, ticker.read());
    ticker.advanceMillis(2_500);
    assertThat(bucket.utilizationPercent(ticker.read())).isCloseTo(75, within(1e-9));
    ticker.advance(Duration.ofSeconds(60));
    assertThat(bucket.utilizationPercent(ticker.read())).isZero();
  }

  @Test
  void requestLargerThanTheBucketIsAdmittedOnlyWhenEmpty() {
    bucket.tryAdmit(20, ticker.read());

    Admission rejected = bucket.tryAdmit(150, ticker.read());
    assertThat(rejected.admitted()).isFalse();
    assertThat(rejected.retryAfterNanos()).isEqualTo(2 * SECOND); // time to empty 20 tokens

    ticker.advance(Duration.ofSeconds(2));
    Admission admitted = bucket.tryAdmit(150, ticker.read());
    assertThat(admitted.admitted()).isTrue();
    assertThat(admitted.headers()).containsEntry("azure-openai-deployment-utilization", "150.0%");
  }

  @Test
  void decideIsPureAndIgnoresReadingsFromThePast() {
    PtuBucket.State state = new PtuBucket.State(80, 10 * SECOND);

    PtuBucket.Decision past = bucket.decide(state, 10, 9 * SECOND);
    assertThat(past.admitted()).isTrue();
    assertThat(past.next()).isEqualTo(new PtuBucket.State(90, 10 * SECOND));

    PtuBucket.Decision later = bucket.decide(state, 30, 11 * SECOND);
    assertThat(later.admitted()).isTrue(); // drained 10 → 70 + 30 = 100
    assertThat(later.next().levelTokens()).isCloseTo(100, within(1e-9));
    assertThat(state).isEqualTo(new PtuBucket.State(80, 10 * SECOND));
  }

  @Test
  void formatsUtilizationWithOneDecimal() {
    assertThat(PtuBucket.formatPercent(87.5)).isEqualTo("87.5%");
    assertThat(PtuBucket.formatPercent(0)).isEqualTo("0.0%");
    assertThat(PtuBucket.formatPercent(33.333)).isEqualTo("33.3%");
  }

  @Test
  void concurrentAdmissionsNeverOverfill() {
    AtomicInteger admitted = new AtomicInteger();
    IntStream.range(0, 1_000).parallel().forEach(i -> {
      if (bucket.tryAdmit(1, ticker.read()).admitted()) {
        admitted.incrementAndGet();
      }
    });
    assertThat(admitted).hasValue(100);
  }
}
