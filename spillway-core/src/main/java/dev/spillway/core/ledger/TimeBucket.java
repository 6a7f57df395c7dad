package dev.spillway.core.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The width of the time buckets a report counts in: a UTC hour or a UTC day. A bucket starts at a whole multiple of
 * its width since the epoch, which for both is the start of a UTC hour or day (epoch time has no leap seconds), so
 * every store can compute it with integer arithmetic on the row's time.
 */
public enum TimeBucket {
  HOUR(Duration.ofHours(1)),
  DAY(Duration.ofDays(1));

  private final long millis;

  TimeBucket(Duration width) {
    this.millis = width.toMillis();
  }

  /** How long one bucket is, in milliseconds. */
  public long millis() {
    return millis;
  }

  /**
   * The start of the bucket {@code time} falls in (rounded down, also before the epoch): what the stores compute for
   * each row.
   */
  public Instant startOf(Instant time) {
    return Instant.ofEpochMilli(Math.floorDiv(time.toEpochMilli(), millis) * millis);
  }

  /** {@code hour} or {@code day}: the name used on the command line, in query strings and in reports. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The bucket named {@code id} (case-insensitive), if any. */
  public static Optional<TimeBucket> parse(String id) {
    return Arrays.stream(values()).filter(b -> b.id().equalsIgnoreCase(id.strip())).findFirst();
  }

  /** {@code hour|day}, for messages. */
  public static String choices() {
    return Arrays.stream(values()).map(TimeBucket::id).collect(Collectors.joining("|"));
  }
}
