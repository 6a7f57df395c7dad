package dev.spillway.gateway.dashboard;

import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.breaker.BreakerState;

/** A backend's routing state in a few characters, for the demo's live table and the dashboard. */
public final class BackendStatus {
  private BackendStatus() {}

  public static String describe(BackendState backend, long nowNanos) {
    BreakerState breaker = backend.breaker().state(nowNanos);
    return switch (breaker) {
      case FORCED_OPEN -> "forced";
      case OPEN -> "open " + seconds(backend.breaker().nanosUntilPermitted(nowNanos));
      case HALF_OPEN -> "half-open";
      case CLOSED, DISABLED ->
          backend.isThrottled(nowNanos) ? "429 " + seconds(backend.nanosUntilAvailable(nowNanos)) : "ok";
    };
  }

  private static String seconds(long nanos) {
    return String.format("%.1fs", nanos / 1e9);
  }
}
