package dev.spillway.core.routing;

import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.routing.station.SpillReason;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a station did, as running totals: requests that queued and spilled by class and reason, and the expected wait
 * it last computed. Read by metrics and the dashboard; thread-safe.
 */
public final class StationCounters {
  private static final int CLASSES = PriorityClass.values().length;
  private static final int REASONS = SpillReason.values().length;

  private final LongAdder[] enqueued = adders(CLASSES);
  private final LongAdder[] spilled = adders(CLASSES * REASONS);
  private final LongAdder[] paygRefused = adders(CLASSES);
  private final AtomicLong lastExpectedWaitNanos = new AtomicLong();

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }

  void countEnqueued(PriorityClass c) {
    enqueued[c.ordinal()].increment();
  }

  void countSpilled(PriorityClass c, SpillReason reason) {
    spilled[c.ordinal() * REASONS + reason.ordinal()].increment();
  }

  void countPaygRefused(PriorityClass c) {
    paygRefused[c.ordinal()].increment();
  }

  void expectedWait(long nanos) {
    lastExpectedWaitNanos.set(nanos == Long.MAX_VALUE ? -1 : nanos);
  }

  /** Requests of {@code c} that joined the queue, ever. */
  public long enqueued(PriorityClass c) {
    return enqueued[c.ordinal()].sum();
  }

  /** Requests of {@code c} the station sent to PAYG for {@code reason}, ever. */
  public long spilled(PriorityClass c, SpillReason reason) {
    return spilled[c.ordinal() * REASONS + reason.ordinal()].sum();
  }

  /** Requests of every class that joined the queue, ever. */
  public long enqueued() {
    long n = 0;
    for (PriorityClass c : PriorityClass.values()) {
      n += enqueued(c);
    }
    return n;
  }

  /** Requests of every class the station sent to PAYG for {@code reason}, ever. */
  public long spilled(SpillReason reason) {
    long n = 0;
    for (PriorityClass c : PriorityClass.values()) {
      n += spilled(c, reason);
    }
    return n;
  }

  /** Requests of {@code c} the PTU could not take in time and PAYG was closed to: answered 429, ever. */
  public long paygRefused(PriorityClass c) {
    return paygRefused[c.ordinal()].sum();
  }

  /** The expected admission time the station computed last, in nanos; -1 when it could not time it. */
  public long lastExpectedWaitNanos() {
    return lastExpectedWaitNanos.get();
  }
}
