package dev.spillway.cli.demo;

import java.util.Arrays;

/** The most recent latencies of one backend, for p50/p99 in the live table. Thread-safe. */
final class LatencyWindow {
  private final long[] ring;
  private int next;
  private int size;

  LatencyWindow(int capacity) {
    this.ring = new long[capacity];
  }

  synchronized void add(long nanos) {
    ring[next] = nanos;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  /** The {@code q} quantile (0..1) in milliseconds, or -1 when empty. */
  synchronized long quantileMillis(double q) {
    if (size == 0) {
      return -1;
    }
    long[] copy = Arrays.copyOf(ring, size);
    Arrays.sort(copy);
    int index = (int) Math.min(size - 1, Math.ceil(q * size) - 1);
    return copy[Math.max(0, index)] / 1_000_000;
  }
}
