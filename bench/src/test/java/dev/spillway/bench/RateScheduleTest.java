package dev.spillway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateScheduleTest {

  @Test
  void aConstantRateSpacesArrivalsEvenly() {
    RateSchedule s = RateSchedule.constant(4);

    assertThat(s.offsetNanos(0)).isZero();
    assertThat(s.offsetNanos(1)).isEqualTo(250_000_000L);
    assertThat(s.offsetNanos(10)).isEqualTo(2_500_000_000L);
    assertThat(s.meanRatePerSecond()).isCloseTo(4, within(1e-9));
  }

  @Test
  void phasesHaveFixedSpacingAndRepeat() {
    // 10/s for 1 s, then 1/s for 3 s: 13 arrivals per 4 s cycle.
    RateSchedule s = RateSchedule.cycle(List.of(
        new RateSchedule.Phase(10, Duration.ofSeconds(1)), new RateSchedule.Phase(1, Duration.ofSeconds(3))));

    assertThat(s.offsetNanos(9)).isEqualTo(900_000_000L);
    assertThat(s.offsetNanos(10)).isEqualTo(1_000_000_000L);
    assertThat(s.offsetNanos(12)).isEqualTo(3_000_000_000L);
    assertThat(s.offsetNanos(13)).isEqualTo(4_000_000_000L);
    assertThat(s.offsetNanos(14)).isEqualTo(4_100_000_000L);
    assertThat(s.cycle()).isEqualTo(Duration.ofSeconds(4));
    assertThat(s.meanRatePerSecond()).isCloseTo(13 / 4.0, within(1e-9));
  }

  @Test
  void aFractionOfAnArrivalCarriesIntoTheNextPhase() {
    // 2.5 arrivals in the first half second, then 0.5 in the next: 3 per second on average, never 4.
    RateSchedule s = RateSchedule.cycle(List.of(
        new RateSchedule.Phase(5, Duration.ofMillis(500)), new RateSchedule.Phase(1, Duration.ofMillis(500))));

    assertThat(s.offsetNanos(2)).isEqualTo(400_000_000L);
    assertThat(s.offsetNanos(3)).isEqualTo(1_000_000_000L);
    long inTenSeconds = java.util.stream.LongStream.range(0, 1_000).filter(i -> s.offsetNanos(i) < 10_000_000_000L).count();
    assertThat(inTenSeconds).isEqualTo(30);
    for (long i = 1; i < 200; i++) {
      assertThat(s.offsetNanos(i)).isGreaterThanOrEqualTo(s.offsetNanos(i - 1));
    }
  }

  @Test
  void scalingMultipliesEveryRate() {
    RateSchedule s = RateSchedule.constant(3).scaled(2);
    assertThat(s.offsetNanos(6)).isEqualTo(1_000_000_000L);
    assertThatThrownBy(() -> RateSchedule.cycle(List.of(new RateSchedule.Phase(0, Duration.ofSeconds(1)))))
        .hasMessageContaining("rate 0");
    assertThatThrownBy(() -> new RateSchedule.Phase(1, Duration.ZERO)).hasMessageContaining("positive time");
  }
}
