package dev.spillway.core.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeBucketTest {
  @Test
  void aBucketStartsAtTheUtcHourOrDayItsTimeFallsIn() {
    Instant t = Instant.parse("2026-11-05T23:59:59.999Z");
    assertThat(TimeBucket.HOUR.startOf(t)).isEqualTo(Instant.parse("2026-11-05T23:00:00Z"));
    assertThat(TimeBucket.DAY.startOf(t)).isEqualTo(Instant.parse("2026-11-05T00:00:00Z"));
    assertThat(TimeBucket.DAY.startOf(Instant.parse("2026-11-06T00:00:00Z")))
        .isEqualTo(Instant.parse("2026-11-06T00:00:00Z"));
    assertThat(TimeBucket.HOUR.startOf(Instant.parse("1969-12-31T23:30:00Z")))
        .isEqualTo(Instant.parse("1969-12-31T23:00:00Z"));
  }

  @Test
  void namesAreReadWhateverTheirCase() {
    assertThat(TimeBucket.parse(" Hour ")).contains(TimeBucket.HOUR);
    assertThat(TimeBucket.parse("day")).contains(TimeBucket.DAY);
    assertThat(TimeBucket.parse("week")).isEmpty();
    assertThat(TimeBucket.choices()).isEqualTo("hour|day");
  }
}
