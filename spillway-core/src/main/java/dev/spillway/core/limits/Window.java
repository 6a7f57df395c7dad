package dev.spillway.core.limits;

import java.time.LocalDate;

/**
 * A fixed, UTC-aligned counting window {@code [startEpochMillis, endEpochMillis)}.
 *
 * <p>Minutes, hours and days are aligned to the epoch; weeks are ISO weeks starting Monday 00:00
 * UTC; months and years start on the first day at 00:00 UTC. Leap seconds do not exist here (epoch
 * millis are UTC-SLS), leap days and month lengths do. Pure: the same {@code (kind, now)} always
 * gives the same window. {@code RedisLimitStore}'s Lua script mirrors this arithmetic and is tested
 * against it.
 */
public record Window(long startEpochMillis, long endEpochMillis) {

  static final long MINUTE_MILLIS = 60_000L;
  static final long HOUR_MILLIS = 60 * MINUTE_MILLIS;
  static final long DAY_MILLIS = 24 * HOUR_MILLIS;

  public Window {
    if (endEpochMillis <= startEpochMillis) {
      throw new IllegalArgumentException("empty window [" + startEpochMillis + ", " + endEpochMillis + ")");
    }
  }

  /** The window of {@code kind} that contains {@code nowEpochMillis}. */
  public static Window of(LimitKind kind, long nowEpochMillis) {
    return switch (kind) {
      case TOKENS_PER_MINUTE, REQUESTS_PER_MINUTE -> aligned(nowEpochMillis, MINUTE_MILLIS);
      case TOKENS_PER_HOUR -> aligned(nowEpochMillis, HOUR_MILLIS);
      case TOKENS_PER_DAY -> aligned(nowEpochMillis, DAY_MILLIS);
      case TOKENS_PER_WEEK -> {
        long day = Math.floorDiv(nowEpochMillis, DAY_MILLIS);
        // 1970-01-01 was a Thursday: +3 makes Monday 0.
        long monday = day - Math.floorMod(day + 3, 7);
        yield new Window(monday * DAY_MILLIS, (monday + 7) * DAY_MILLIS);
      }
      case TOKENS_PER_MONTH -> {
        LocalDate first = LocalDate.ofEpochDay(Math.floorDiv(nowEpochMillis, DAY_MILLIS)).withDayOfMonth(1);
        yield days(first, first.plusMonths(1));
      }
      case TOKENS_PER_YEAR -> {
        LocalDate first = LocalDate.ofEpochDay(Math.floorDiv(nowEpochMillis, DAY_MILLIS)).withDayOfYear(1);
        yield days(first, first.plusYears(1));
      }
    };
  }

  /** True when {@code epochMillis} lies inside this window. */
  public boolean contains(long epochMillis) {
    return epochMillis >= startEpochMillis && epochMillis < endEpochMillis;
  }

  /** Milliseconds from {@code nowEpochMillis} until this window ends; never negative. */
  public long millisUntilEnd(long nowEpochMillis) {
    return Math.max(0, endEpochMillis - nowEpochMillis);
  }

  private static Window aligned(long now, long size) {
    long start = Math.floorDiv(now, size) * size;
    return new Window(start, start + size);
  }

  private static Window days(LocalDate start, LocalDate end) {
    return new Window(start.toEpochDay() * DAY_MILLIS, end.toEpochDay() * DAY_MILLIS);
  }
}
