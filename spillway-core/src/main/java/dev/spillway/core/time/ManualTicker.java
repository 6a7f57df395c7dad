package dev.spillway.core.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} that only moves when told to: for tests and deterministic simulations. Thread-safe. */
public final class ManualTicker implements Ticker {
  private final AtomicLong nanos;

  public ManualTicker() {
    this(0L);
  }

  public ManualTicker(long startNanos) {
    this.nanos = new AtomicLong(startNanos);
  }

  @Override
  public long read() {
    return nanos.get();
  }

  /** Moves time forward by {@code amount}; negative amounts are rejected. */
  public ManualTicker advance(Duration amount) {
    if (amount.isNegative()) {
      throw new IllegalArgumentException("time cannot go backwards: " + amount);
    }
    nanos.addAndGet(amount.toNanos());
    return this;
  }

  public ManualTicker advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }
}
