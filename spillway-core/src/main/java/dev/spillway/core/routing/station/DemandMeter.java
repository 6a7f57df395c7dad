package dev.spillway.core.routing.station;

import dev.spillway.core.config.PriorityClass;

/**
 * The tokens a pool was offered over the last window, by priority class: the station's answer to "is this a burst or
 * a sustained overload?".
 *
 * <p>Waiting for a PTU pays only when the PTU will later have capacity nobody else takes: after a burst, when demand
 * falls below capacity. Under a sustained overload every token the PTU frees is taken at once by new arrivals, so a
 * queue cannot raise its utilization; it can only add latency. The window's average tells the two apart without
 * being fooled by the burst itself — a one-second burst at three times capacity moves a minute's average by a few
 * percent. Demand is counted by class and read cumulatively ("this class and every class above it"), because a
 * critical request competes only with critical traffic for its place in the queue.
 *
 * <p>A ring of one-second slots; not thread-safe (the station guards it). Times are ticker nanos.
 */
public final class DemandMeter {
  private static final long SLOT_NANOS = 1_000_000_000L;
  private static final int CLASSES = PriorityClass.values().length;

  private final int slots;
  private final long minimumNanos;
  private final double[][] tokens; // [slot][class]
  private final long[] slotStart;
  private long firstNanos = Long.MIN_VALUE;

  /**
   * @param windowNanos how far back demand is averaged (at least two seconds)
   * @param minimumNanos below this much history the meter does not judge ({@link #tokensPerNano} returns -1)
   */
  public DemandMeter(long windowNanos, long minimumNanos) {
    this.slots = (int) Math.max(2, windowNanos / SLOT_NANOS);
    this.minimumNanos = minimumNanos;
    this.tokens = new double[slots][CLASSES];
    this.slotStart = new long[slots];
    java.util.Arrays.fill(slotStart, Long.MIN_VALUE);
  }

  /** An arrival of {@code costTokens} of class {@code priority}. */
  public void record(PriorityClass priority, long costTokens, long nowNanos) {
    if (firstNanos == Long.MIN_VALUE) {
      firstNanos = nowNanos;
    }
    int i = slot(nowNanos);
    tokens[i][priority.ordinal()] += Math.max(0, costTokens);
  }

  /**
   * The average offered rate of {@code priority} and every class above it, in tokens per nanosecond, over the window
   * (or the history, when shorter); -1 while the history is shorter than the minimum.
   */
  public double tokensPerNano(PriorityClass priority, long nowNanos) {
    if (firstNanos == Long.MIN_VALUE || nowNanos - firstNanos < minimumNanos) {
      return -1;
    }
    long windowStart = nowNanos - (long) slots * SLOT_NANOS;
    double sum = 0;
    for (int i = 0; i < slots; i++) {
      if (slotStart[i] != Long.MIN_VALUE && slotStart[i] - windowStart > 0) {
        for (int c = 0; c <= priority.ordinal(); c++) {
          sum += tokens[i][c];
        }
      }
    }
    long span = Math.min((long) slots * SLOT_NANOS, nowNanos - firstNanos);
    return sum / Math.max(1, span);
  }

  private int slot(long nowNanos) {
    long index = Math.floorDiv(nowNanos, SLOT_NANOS);
    int i = (int) Math.floorMod(index, (long) slots);
    long start = index * SLOT_NANOS;
    if (slotStart[i] != start) {
      slotStart[i] = start;
      java.util.Arrays.fill(tokens[i], 0);
    }
    return i;
  }
}
