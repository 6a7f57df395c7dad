package dev.spillway.core.limits;

import static dev.spillway.core.limits.LimitKind.REQUESTS_PER_MINUTE;
import static dev.spillway.core.limits.LimitKind.TOKENS_PER_DAY;
import static dev.spillway.core.limits.LimitKind.TOKENS_PER_HOUR;
import static dev.spillway.core.limits.LimitKind.TOKENS_PER_MINUTE;
import static dev.spillway.core.limits.LimitKind.TOKENS_PER_MONTH;
import static dev.spillway.core.limits.LimitKind.TOKENS_PER_WEEK;
import static dev.spillway.core.limits.LimitKind.TOKENS_PER_YEAR;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class WindowTest {

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private static void assertWindow(LimitKind kind, String now, String start, String end) {
    assertThat(Window.of(kind, at(now)))
        .as("%s at %s", kind, now)
        .isEqualTo(new Window(at(start), at(end)));
  }

  @ParameterizedTest
  @CsvSource({
    // kind,              now,                         start,                  end
    "TOKENS_PER_MINUTE,   2025-03-10T12:00:59.999Z,    2025-03-10T12:00:00Z,   2025-03-10T12:01:00Z",
    "TOKENS_PER_MINUTE,   2025-03-10T12:01:00.000Z,    2025-03-10T12:01:00Z,   2025-03-10T12:02:00Z",
    "REQUESTS_PER_MINUTE, 2025-03-10T23:59:59.999Z,    2025-03-10T23:59:00Z,   2025-03-11T00:00:00Z",
    "TOKENS_PER_HOUR,     2025-03-10T12:59:59.999Z,    2025-03-10T12:00:00Z,   2025-03-10T13:00:00Z",
    "TOKENS_PER_HOUR,     2025-03-10T13:00:00Z,        2025-03-10T13:00:00Z,   2025-03-10T14:00:00Z",
    "TOKENS_PER_DAY,      2025-03-10T23:59:59.999Z,    2025-03-10T00:00:00Z,   2025-03-11T00:00:00Z",
    "TOKENS_PER_DAY,      2025-03-11T00:00:00Z,        2025-03-11T00:00:00Z,   2025-03-12T00:00:00Z",
    "TOKENS_PER_DAY,      2024-02-29T12:00:00Z,        2024-02-29T00:00:00Z,   2024-03-01T00:00:00Z",
    // Sunday's last millisecond belongs to the week that began on Monday; Monday 00:00 starts the next.
    "TOKENS_PER_WEEK,     2025-03-16T23:59:59.999Z,    2025-03-10T00:00:00Z,   2025-03-17T00:00:00Z",
    "TOKENS_PER_WEEK,     2025-03-17T00:00:00Z,        2025-03-17T00:00:00Z,   2025-03-24T00:00:00Z",
    "TOKENS_PER_WEEK,     2024-12-31T18:00:00Z,        2024-12-30T00:00:00Z,   2025-01-06T00:00:00Z",
    "TOKENS_PER_WEEK,     1970-01-01T00:00:00Z,        1969-12-29T00:00:00Z,   1970-01-05T00:00:00Z",
    "TOKENS_PER_MONTH,    2024-02-29T23:59:59.999Z,    2024-02-01T00:00:00Z,   2024-03-01T00:00:00Z",
    "TOKENS_PER_MONTH,    2023-02-14T00:00:00Z,        2023-02-01T00:00:00Z,   2023-03-01T00:00:00Z",
    "TOKENS_PER_MONTH,    2025-04-30T23:59:59.999Z,    2025-04-01T00:00:00Z,   2025-05-01T00:00:00Z",
    "TOKENS_PER_MONTH,    2025-05-01T00:00:00Z,        2025-05-01T00:00:00Z,   2025-06-01T00:00:00Z",
    "TOKENS_PER_MONTH,    2024-12-31T23:59:59.999Z,    2024-12-01T00:00:00Z,   2025-01-01T00:00:00Z",
    "TOKENS_PER_YEAR,     2024-12-31T23:59:59.999Z,    2024-01-01T00:00:00Z,   2025-01-01T00:00:00Z",
    "TOKENS_PER_YEAR,     2025-01-01T00:00:00Z,        2025-01-01T00:00:00Z,   2026-01-01T00:00:00Z",
    "TOKENS_PER_YEAR,     1969-12-31T23:59:59.999Z,    1969-01-01T00:00:00Z,   1970-01-01T00:00:00Z",
  })
  void alignsToUtcBoundaries(LimitKind kind, String now, String start, String end) {
    assertWindow(kind, now, start, end);
  }

  @Test
  void leapYearsAndMonthLengthsGiveTheRightSizes() {
    long day = Window.DAY_MILLIS;
    assertThat(length(TOKENS_PER_YEAR, "2024-06-01T00:00:00Z")).isEqualTo(366 * day);
    assertThat(length(TOKENS_PER_YEAR, "2025-06-01T00:00:00Z")).isEqualTo(365 * day);
    assertThat(length(TOKENS_PER_YEAR, "2100-06-01T00:00:00Z")).isEqualTo(365 * day);
    assertThat(length(TOKENS_PER_YEAR, "2000-06-01T00:00:00Z")).isEqualTo(366 * day);
    assertThat(length(TOKENS_PER_MONTH, "2024-02-10T00:00:00Z")).isEqualTo(29 * day);
    assertThat(length(TOKENS_PER_MONTH, "2100-02-10T00:00:00Z")).isEqualTo(28 * day);
    assertThat(length(TOKENS_PER_MONTH, "2025-01-10T00:00:00Z")).isEqualTo(31 * day);
    assertThat(length(TOKENS_PER_MONTH, "2025-09-10T00:00:00Z")).isEqualTo(30 * day);
    assertThat(length(TOKENS_PER_WEEK, "2025-09-10T00:00:00Z")).isEqualTo(7 * day);
  }

  private static long length(LimitKind kind, String now) {
    Window w = Window.of(kind, at(now));
    return w.endEpochMillis() - w.startEpochMillis();
  }

  /** Checks the arithmetic against java.time truncation over random instants from 1900 to 2200. */
  @ParameterizedTest
  @EnumSource(LimitKind.class)
  void agreesWithJavaTimeEverywhere(LimitKind kind) {
    SplittableRandom random = new SplittableRandom(kind.ordinal());
    long from = at("1900-01-01T00:00:00Z");
    long to = at("2200-01-01T00:00:00Z");
    for (int i = 0; i < 20_000; i++) {
      long now = random.nextLong(from, to);
      Window window = Window.of(kind, now);
      assertThat(window.startEpochMillis()).as("%s at %s", kind, Instant.ofEpochMilli(now)).isEqualTo(oracleStart(kind, now));
      assertThat(window.contains(now)).isTrue();
      assertThat(Window.of(kind, window.endEpochMillis()).startEpochMillis()).isEqualTo(window.endEpochMillis());
      assertThat(Window.of(kind, window.endEpochMillis() - 1)).isEqualTo(window);
    }
  }

  private static long oracleStart(LimitKind kind, long now) {
    ZonedDateTime t = Instant.ofEpochMilli(now).atZone(ZoneOffset.UTC);
    ZonedDateTime start = switch (kind) {
      case TOKENS_PER_MINUTE, REQUESTS_PER_MINUTE -> t.truncatedTo(ChronoUnit.MINUTES);
      case TOKENS_PER_HOUR -> t.truncatedTo(ChronoUnit.HOURS);
      case TOKENS_PER_DAY -> t.truncatedTo(ChronoUnit.DAYS);
      case TOKENS_PER_WEEK -> t.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case TOKENS_PER_MONTH -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
      case TOKENS_PER_YEAR -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
    };
    return start.toInstant().toEpochMilli();
  }

  @Test
  void millisecondsBeforeTheEpochFloorInsteadOfTruncating() {
    assertThat(Window.of(TOKENS_PER_MINUTE, -1)).isEqualTo(new Window(-60_000, 0));
    assertThat(Window.of(TOKENS_PER_DAY, -1)).isEqualTo(new Window(-Window.DAY_MILLIS, 0));
  }

  @Test
  void millisUntilEndIsNeverNegative() {
    Window w = Window.of(TOKENS_PER_MINUTE, at("2025-03-10T12:00:30Z"));
    assertThat(w.millisUntilEnd(at("2025-03-10T12:00:30Z"))).isEqualTo(30_000);
    assertThat(w.millisUntilEnd(at("2025-03-10T12:05:00Z"))).isZero();
  }

  @Test
  void minuteKindsAreRatesAndLongerKindsAreQuotas() {
    assertThat(TOKENS_PER_MINUTE.quota()).isFalse();
    assertThat(REQUESTS_PER_MINUTE.quota()).isFalse();
    assertThat(TOKENS_PER_HOUR.quota()).isTrue();
    assertThat(TOKENS_PER_DAY.quota()).isTrue();
    assertThat(TOKENS_PER_YEAR.quota()).isTrue();
    for (LimitKind kind : LimitKind.values()) {
      assertThat(LimitKind.fromId(kind.id())).isEqualTo(kind);
    }
  }
}
