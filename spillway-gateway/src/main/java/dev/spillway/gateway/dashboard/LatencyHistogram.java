package dev.spillway.gateway.dashboard;

import java.util.Arrays;

/**
 * Durations in log-linear bins of microseconds: eight bins per power of two, so a bin is at most
 * 12.5 % wide, and a quantile is interpolated inside its bin. Small enough (about 1 KB) to keep one
 * per second for ten minutes and to merge into percentiles over any window. Not thread-safe:
 * {@link DashboardStats} guards it.
 */
final class LatencyHistogram {
  private static final int SUB_BITS = 3;
  private static final int SUB_BINS = 1 << SUB_BITS;
  /** 2^31 us is about 36 minutes; anything longer lands in the last bin. */
  private static final int MAX_EXPONENT = 31;
  static final int BINS = SUB_BINS + (MAX_EXPONENT - SUB_BITS + 1) * SUB_BINS;

  private final int[] counts = new int[BINS];
  private long total;

  void add(long nanos) {
    counts[bin(Math.max(0, nanos / 1_000))]++;
    total++;
  }

  void addAll(LatencyHistogram other) {
    for (int i = 0; i < BINS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
  }

  void removeAll(LatencyHistogram other) {
    for (int i = 0; i < BINS; i++) {
      counts[i] -= other.counts[i];
    }
    total -= other.total;
  }

  void clear() {
    Arrays.fill(counts, 0);
    total = 0;
  }

  long count() {
    return total;
  }

  /**
   * The {@code q} quantile (0..1) in milliseconds, or NaN when empty: the bin holding the sample of
   * that rank, interpolated linearly between the bin's bounds by the rank's place among its samples.
   */
  double quantileMillis(double q) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BINS; i++) {
      if (seen + counts[i] >= rank) {
        double within = (rank - seen - 0.5) / counts[i];
        double lower = lowerMicros(i);
        return (lower + (lowerMicros(i + 1) - lower) * within) / 1_000.0;
      }
      seen += counts[i];
    }
    return lowerMicros(BINS - 1) / 1_000.0;
  }

  /** Bins below {@code SUB_BINS} hold single microseconds; above, each power of two is split in {@code SUB_BINS}. */
  static int bin(long micros) {
    if (micros < SUB_BINS) {
      return (int) micros;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(micros); // >= SUB_BITS
    if (exponent > MAX_EXPONENT) {
      return BINS - 1;
    }
    int sub = (int) ((micros >>> (exponent - SUB_BITS)) & (SUB_BINS - 1));
    return SUB_BINS + (exponent - SUB_BITS) * SUB_BINS + sub;
  }

  /** The smallest value of bin {@code i}, in microseconds ({@code i} may be {@code BINS}: the end of the last bin). */
  static long lowerMicros(int i) {
    if (i < SUB_BINS) {
      return i;
    }
    int exponent = (i - SUB_BINS) / SUB_BINS + SUB_BITS;
    int sub = (i - SUB_BINS) % SUB_BINS;
    return (1L << exponent) + ((long) sub << (exponent - SUB_BITS));
  }
}
