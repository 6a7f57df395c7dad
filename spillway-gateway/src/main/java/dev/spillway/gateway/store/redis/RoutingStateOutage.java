package dev.spillway.gateway.store.redis;

import dev.spillway.core.time.Ticker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the Redis of one shared routing state (session pins, drain rates) is out, as its calls find it: the probe
 * interval after a failure, during which no call is tried, and one info line when an outage starts and one when it
 * ends (no key, no password). Info, not warning: this Redis is the limit store's, whose own outage warning already
 * tells the operator, and routing goes on with what this replica knows. Thread-safe.
 */
final class RoutingStateOutage {
  private static final Logger LOG = System.getLogger("spillway.routing.redis");

  private final String what;
  private final RedisRoutingStateOptions options;
  private final Ticker ticker;
  private final AtomicBoolean out = new AtomicBoolean();
  private volatile long failedAtNanos;

  /** @param what what is shared, for the log lines ("session pins") */
  RoutingStateOutage(String what, RedisRoutingStateOptions options, Ticker ticker) {
    this.what = what;
    this.options = options;
    this.ticker = ticker;
  }

  /** True while Redis failed less than the probe interval ago: the caller goes without it. */
  boolean skipping() {
    return out.get() && ticker.read() - failedAtNanos < options.probeInterval().toNanos();
  }

  void answered() {
    if (out.compareAndSet(true, false)) {
      LOG.log(Level.INFO, "routing: Redis at {0} answers again; {1} are shared again", options.endpoint(), what);
    }
  }

  void failed(String operation, Throwable cause) {
    failedAtNanos = ticker.read();
    if (out.compareAndSet(false, true)) {
      LOG.log(Level.INFO, "routing: Redis at {0} failed on {1} ({2}); {3} stay on this replica until it answers",
          options.endpoint(), operation, RedisCalls.describe(cause), what);
    }
  }

  boolean out() {
    return out.get();
  }
}
