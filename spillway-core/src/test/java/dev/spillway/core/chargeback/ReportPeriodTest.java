package dev.spillway.core.chargeback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportPeriodTest {
  private static final Instant NOW = Instant.parse("2026-11-25T09:30:00Z");

  private static ReportPeriod period(String from, String to) {
    return new ReportPeriod(Instant.parse(from), Instant.parse(to));
  }

  @Test
  void aWholeMonthIsTheMonthlyPriceWhateverItsLength() {
    assertThat(period("2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z").amortize(new BigDecimal("18000"), 6))
        .isEqualTo(new BigDecimal("18000.000000"));
    assertThat(period("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z").amortize(new BigDecimal("18000"), 6))
        .isEqualTo(new BigDecimal("18000.000000"));
  }

  @Test
  void aDayIsItsMonthsShare() {
    // 29 days in February 2028: 2900 / 29 = 100; 31 in January: 3100.5 / 31 = 100.016129032... → 100.016129.
    assertThat(period("2028-02-10T00:00:00Z", "2028-02-11T00:00:00Z").amortize(new BigDecimal("2900"), 6))
        .isEqualTo(new BigDecimal("100.000000"));
    assertThat(period("2026-01-10T00:00:00Z", "2026-01-11T00:00:00Z").amortize(new BigDecimal("3100.5"), 6))
        .isEqualTo(new BigDecimal("100.016129"));
  }

  @Test
  void aPeriodAcrossMonthsAddsEachMonthsShare() {
    // 12h of 31 Jan (12/744 = 1/62 of January) + 12h of 1 Feb (12/672 = 1/56 of February):
    // 744 × (1/62 + 1/56) = 12 + 13.285714285... = 25.285714285... → 25.285714.
    assertThat(period("2026-01-31T12:00:00Z", "2026-02-01T12:00:00Z").amortize(new BigDecimal("744"), 6))
        .isEqualTo(new BigDecimal("25.285714"));
    // Three whole months and nothing else: exactly 3.
    assertThat(period("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z").amortize(BigDecimal.ONE, 6))
        .isEqualTo(new BigDecimal("3.000000"));
  }

  @Test
  void boundsAreDatesAtUtcMidnightOrInstants() {
    assertThat(ReportPeriod.parse(Optional.of("2026-11-01"), Optional.of("2026-11-15T06:00:00+02:00"), NOW))
        .isEqualTo(period("2026-11-01T00:00:00Z", "2026-11-15T04:00:00Z"));
  }

  @Test
  void byDefaultItIsThisUtcMonthSoFar() {
    assertThat(ReportPeriod.parse(Optional.empty(), Optional.empty(), NOW))
        .isEqualTo(period("2026-11-01T00:00:00Z", "2026-11-25T09:30:00Z"));
    assertThat(ReportPeriod.parse(Optional.empty(), Optional.of("2026-10-01"), NOW))
        .as("from defaults to the start of the month before an exclusive to")
        .isEqualTo(period("2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z"));
  }

  @Test
  void anUnreadableBoundIsNamed() {
    ReportParameterException e = catchThrowableOfType(ReportParameterException.class,
        () -> ReportPeriod.parse(Optional.of("yesterday"), Optional.empty(), NOW));
    assertThat(e.parameter()).isEqualTo("from");
    assertThat(e).hasMessage("from must be an ISO date (2026-11-01) or instant (2026-11-01T00:00:00Z), got \"yesterday\"");
  }

  @Test
  void fromMustBeBeforeTo() {
    ReportParameterException e = catchThrowableOfType(ReportParameterException.class,
        () -> ReportPeriod.parse(Optional.of("2026-11-02"), Optional.of("2026-11-02"), NOW));
    assertThat(e).hasMessage("from (2026-11-02T00:00:00Z) must be before to (2026-11-02T00:00:00Z)");
  }
}
