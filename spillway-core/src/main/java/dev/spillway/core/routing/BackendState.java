package dev.spillway.core.routing;

import dev.spillway.core.config.BackendConfig;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live state of one backend deployment: until when it is throttled and how many calls are in
 * flight. Thread-safe; every update is a single atomic operation, never read-modify-write.
 *
 * <p>Times are {@link dev.spillway.core.time.Ticker} nanos.
 */
public final class BackendState {
  private static final long NOT_THROTTLED = Long.MIN_VALUE;

  private final BackendConfig config;
  private final int index;
  private final AtomicLong throttledUntilNanos = new AtomicLong(NOT_THROTTLED);
  private final AtomicInteger inFlight = new AtomicInteger();

  BackendState(BackendConfig config, int index) {
    this.config = config;
    this.index = index;
  }

  public BackendConfig config() {
    return config;
  }

  public String id() {
    return config.id();
  }

  /** Position inside its pool, for per-request bookkeeping. */
  int index() {
    return index;
  }

  public boolean isAvailable(long nowNanos) {
    long until = throttledUntilNanos.get();
    return until == NOT_THROTTLED || nowNanos - until >= 0;
  }

  /** Nanos until this backend is available again; 0 when it already is. */
  public long nanosUntilAvailable(long nowNanos) {
    long until = throttledUntilNanos.get();
    return until == NOT_THROTTLED ? 0 : Math.max(0, until - nowNanos);
  }

  /**
   * Marks the backend throttled until {@code untilNanos}. Only ever extends an existing throttle:
   * a late, shorter Retry-After never shortens a longer one.
   */
  public void throttleUntil(long untilNanos) {
    throttledUntilNanos.accumulateAndGet(
        untilNanos, (old, next) -> old == NOT_THROTTLED || next - old > 0 ? next : old);
  }

  /** Clears any throttle (operator reset, or tests). */
  public void clearThrottle() {
    throttledUntilNanos.set(NOT_THROTTLED);
  }

  public int inFlight() {
    return inFlight.get();
  }

  public void callStarted() {
    inFlight.incrementAndGet();
  }

  public void callEnded() {
    inFlight.decrementAndGet();
  }
}
