package dev.spillway.gateway.store.redis;

import dev.spillway.core.time.Ticker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Whether the shared cache's Redis is out, as its calls find it: one warning line when an outage starts (naming the
 * operation and the cause, no stack trace, no key), one info line when Redis answers again, and the probe interval
 * after a failure, during which callers do not try Redis at all. Shared by the cache's answer store and its semantic
 * entries, so an outage is one warning however many of their calls fail.
 *
 * <p>Thread-safe.
 */
public final class RedisOutage {
  private static final Logger LOG = System.getLogger("spillway.cache.redis");

  private final String endpoint;
  private final long probeIntervalNanos;
  private final Ticker ticker;
  private final AtomicBoolean out = new AtomicBoolean();
  private final LongAdder failures = new LongAdder();
  private volatile long failedAtNanos;

  /**
   * @param endpoint Redis's {@code host:port}, for the log lines
   * @param probeInterval how long after a failure Redis is not tried
   * @param ticker measures the probe interval
   */
  public RedisOutage(String endpoint, Duration probeInterval, Ticker ticker) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.probeIntervalNanos = probeInterval.toNanos();
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** True while Redis failed less than the probe interval ago: the caller goes without Redis (counted as a failure). */
  public boolean skipping() {
    if (out.get() && ticker.read() - failedAtNanos < probeIntervalNanos) {
      failures.increment();
      return true;
    }
    return false;
  }

  /** A call answered: the outage, if there was one, is over. */
  public void answered() {
    if (out.compareAndSet(true, false)) {
      LOG.log(Level.INFO, "cache: Redis at {0} answers again; the shared cache is back", endpoint);
    }
  }

  /** A call failed: the first failure of an outage is logged, and Redis is not tried for the probe interval. */
  public void failed(String operation, Throwable cause) {
    failures.increment();
    failedAtNanos = ticker.read();
    if (out.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "cache: Redis at {0} failed on {1} ({2}); the cache is bypassed until it answers",
          endpoint, operation, RedisCalls.describe(cause));
    }
  }

  /** True from a failure until the next call that answers. */
  public boolean out() {
    return out.get();
  }

  /** Calls that failed or were skipped since start. */
  public long failures() {
    return failures.sum();
  }

  public String endpoint() {
    return endpoint;
  }
}
