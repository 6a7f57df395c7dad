package dev.spillway.bench;

import java.util.List;

/**
 * Latency percentiles in milliseconds (nearest rank); zeros when there were no samples. Used by every load generator
 * here and by the reports that print them.
 */
record LatencySummary(long samples, double p50Millis, double p99Millis, double maxMillis) {
  static LatencySummary of(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return new LatencySummary(0, 0, 0, 0);
    }
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    return new LatencySummary(
        sorted.length, millis(rank(sorted, 0.50)), millis(rank(sorted, 0.99)), millis(sorted[sorted.length - 1]));
  }

  private static long rank(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
