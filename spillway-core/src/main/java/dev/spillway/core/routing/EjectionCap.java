package dev.spillway.core.routing;

import dev.spillway.core.routing.breaker.BreakerState;
import java.util.List;

/**
 * The pool's cap on what its circuit breakers may hold out ({@code routing.breaker.maxEjectedPercent}): a panic
 * threshold in the manner of a service mesh's maximum ejection percent.
 *
 * <h2>Why it exists</h2>
 *
 * Each breaker judges its own backend from a few recent calls. When every backend of a pool looks bad at once (right
 * after a restart a handful of failures in fresh windows opened both breakers of a pool, and 624 requests got 503
 * for 30 s) the breakers alone would answer {@code 503 backends_unavailable} to everyone for a whole open time,
 * although one trial call could show that a backend is fine. The cap keeps at least one backend on trial instead.
 *
 * <h2>The rule</h2>
 *
 * A backend counts as held out ("ejected") while its breaker is OPEN before its open time, or FORCED_OPEN. A 429
 * throttle is not an ejection (the throttle, the PTU wait and the {@code 429} rules handle it), nor is a half-open
 * breaker (it takes its probes). While more than {@link dev.spillway.core.config.BreakerConfig#maxEjected} backends
 * of the pool are held out, the OPEN one that would be usable soonest — the earliest of its open time and its
 * throttle's end, then the fewest failures in its window, then config order — is put on trial at once ({@link
 * dev.spillway.core.routing.breaker.CircuitBreaker#halfOpenEarly}): an ordinary half-open round, so it gets at most
 * {@code halfOpenProbes} calls at a time, not the full load; a probe that fails re-opens it for a full open time
 * (and then the next one soonest usable is put on trial), a passed round closes it. A forced-open backend is never
 * put on trial: an operator's decision stands, and a pool whose backends are all forced open stays dark.
 *
 * <p>The decision ({@link #overCap}) is a pure function of the backends' states and the time. {@link #enforce} runs
 * at the start of every routing decision; two racing requests may both see the pool over its cap, and the
 * breaker's compare-and-set lets only one of them move a given backend — at worst a second backend starts its
 * trial a little early, which costs one probe.
 */
final class EjectionCap {
  private EjectionCap() {}

  /** Puts backends of {@code pool} on trial until its breakers hold out no more than its cap allows. */
  static void enforce(Pool pool, long nowNanos) {
    int maxEjected = pool.breakerConfig().maxEjected(pool.backends().size());
    if (maxEjected >= pool.backends().size()) {
      return; // 100 %: the breakers may hold out the whole pool
    }
    for (int i = 0; i < pool.backends().size(); i++) { // each round moves one backend out of OPEN, or stops
      BackendState next = overCap(pool.backends(), maxEjected, nowNanos);
      if (next == null) {
        return;
      }
      next.breaker().halfOpenEarly(nowNanos);
    }
  }

  /**
   * The backend to put on trial now, or null when at most {@code maxEjected} backends are held out (or every one
   * held out is forced open).
   */
  static BackendState overCap(List<BackendState> backends, int maxEjected, long nowNanos) {
    int ejected = 0;
    BackendState soonest = null;
    for (BackendState b : backends) {
      BreakerState state = b.breaker().state(nowNanos);
      if (state != BreakerState.OPEN && state != BreakerState.FORCED_OPEN) {
        continue;
      }
      ejected++;
      if (state == BreakerState.OPEN && (soonest == null || usableSooner(b, soonest, nowNanos))) {
        soonest = b;
      }
    }
    return ejected > maxEjected ? soonest : null;
  }

  /** Whether {@code a} would be usable before {@code b}; ties go to fewer failures, then to the earlier in config. */
  private static boolean usableSooner(BackendState a, BackendState b, long nowNanos) {
    long untilA = untilUsable(a, nowNanos);
    long untilB = untilUsable(b, nowNanos);
    if (untilA != untilB) {
      return untilA < untilB;
    }
    int failuresA = a.breaker().snapshot(nowNanos).windowFailures();
    int failuresB = b.breaker().snapshot(nowNanos).windowFailures();
    return failuresA != failuresB ? failuresA < failuresB : a.poolIndex() < b.poolIndex();
  }

  private static long untilUsable(BackendState b, long nowNanos) {
    return Math.max(b.breaker().nanosUntilPermitted(nowNanos), b.nanosUntilAvailable(nowNanos));
  }
}
