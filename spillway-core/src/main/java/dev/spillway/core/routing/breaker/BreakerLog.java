package dev.spillway.core.routing.breaker;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;

/**
 * Logs each breaker transition as one line naming the backend: an operator reading the log sees when a backend was
 * taken out of service and when it came back, without the metrics. Opening is a warning; the rest is information.
 */
public final class BreakerLog implements BreakerListener {
  private static final Logger LOG = System.getLogger("dev.spillway.breaker");
  private final String backendId;

  private BreakerLog(String backendId) {
    this.backendId = backendId;
  }

  /** A listener that logs the transitions of {@code backendId}'s breaker. */
  public static BreakerListener of(String backendId) {
    return new BreakerLog(backendId);
  }

  @Override
  public void onTransition(BreakerState from, BreakerState to, long nowNanos) {
    Level level = to == BreakerState.OPEN ? Level.WARNING : Level.INFO;
    if (LOG.isLoggable(level)) {
      LOG.log(level, "breaker backend=" + backendId + " from=" + from.name().toLowerCase(java.util.Locale.ROOT)
          + " to=" + to.name().toLowerCase(java.util.Locale.ROOT));
    }
  }
}
