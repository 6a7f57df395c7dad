package dev.spillway.core.routing.breaker;

/**
 * Hears the state transitions of one {@link CircuitBreaker}, e.g. to count them in metrics or log
 * them. Set at construction; the default is {@link #noop()}.
 *
 * <p>Called on the thread that caused the transition, after it took effect and outside any lock,
 * once per transition. Transitions made by racing threads may be heard out of order (each is
 * published by its own thread after its compare-and-set), so read {@link CircuitBreaker#state}
 * for the current state rather than tracking it from events. Must be fast and should not throw;
 * an exception is logged and swallowed so it cannot break the request that caused the transition.
 * {@code OPEN -> HALF_OPEN} is heard when the first probe is admitted, not the instant the open
 * time elapses; or when the pool's ejection cap puts the breaker on trial early.
 */
@FunctionalInterface
public interface BreakerListener {

  /**
   * @param from the state before
   * @param to the state after; {@code from -> to} is always legal per {@link BreakerState}
   * @param nowNanos the {@link dev.spillway.core.time.Ticker} reading passed to the call that caused it
   */
  void onTransition(BreakerState from, BreakerState to, long nowNanos);

  /** A listener that ignores everything. */
  static BreakerListener noop() {
    return (from, to, nowNanos) -> {};
  }
}
