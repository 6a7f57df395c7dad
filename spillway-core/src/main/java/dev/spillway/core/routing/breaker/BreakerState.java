package dev.spillway.core.routing.breaker;

/**
 * The states of a {@link CircuitBreaker}, and the table of legal transitions between them.
 *
 * <pre>
 *   from \ to     CLOSED   OPEN   HALF_OPEN  FORCED_OPEN  DISABLED
 *   CLOSED          -      trip       -       operator     operator
 *   OPEN          reset     -      elapsed/   operator     operator
 *                                  pool cap
 *   HALF_OPEN     probes   probe      -       operator     operator
 *                 passed/  failed
 *                 reset
 *   FORCED_OPEN   reset     -         -          -         operator
 *   DISABLED      reset     -         -       operator        -
 * </pre>
 *
 * A transition outside this table is a bug in the breaker and fails with {@link
 * IllegalStateException}. Staying in the same state is not a transition.
 */
public enum BreakerState {
  /** Calls flow and are counted in the sliding window. */
  CLOSED,
  /** Tripped: calls are refused until the open time has elapsed. */
  OPEN,
  /**
   * Open time elapsed (or the pool's ejection cap put it on trial early): a limited number of probe calls decide
   * whether to close or re-open.
   */
  HALF_OPEN,
  /** Opened by an operator: calls are refused until an operator resets it. */
  FORCED_OPEN,
  /** Switched off (by config or an operator): calls always flow and the breaker never trips. */
  DISABLED;

  /** Whether {@code this -> next} is in the table above. */
  public boolean canTransitionTo(BreakerState next) {
    return switch (next) {
      case CLOSED -> this != CLOSED; // probes passed (HALF_OPEN) or operator reset (any other)
      case OPEN -> this == CLOSED || this == HALF_OPEN; // trip, or a probe failed
      case HALF_OPEN -> this == OPEN; // open time elapsed, or the pool's ejection cap
      case FORCED_OPEN, DISABLED -> this != next; // operator, from anywhere
    };
  }

  /**
   * Returns normally when {@code from -> to} is legal.
   *
   * @throws IllegalStateException when it is not: the breaker has a bug
   */
  public static void requireLegal(BreakerState from, BreakerState to) {
    if (!from.canTransitionTo(to)) {
      throw new IllegalStateException("illegal circuit breaker transition " + from + " -> " + to);
    }
  }
}
