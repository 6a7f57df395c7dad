package dev.spillway.core.routing;

import java.util.OptionalLong;

/** What the router decided for the next step of a request. */
public sealed interface RouteDecision {

  /**
   * Send the next attempt to {@code backend}; its breaker permit is already taken.
   *
   * @param azureSpillover true for the last resort: ask the (full) Azure PTU deployment to spill the request to its
   *     {@code azureSpillover} standard deployment ({@code x-ms-spillover-deployment})
   */
  record Use(BackendState backend, boolean azureSpillover) implements RouteDecision {
    public Use(BackendState backend) {
      this(backend, false);
    }
  }

  /**
   * Every PTU backend is throttled but one frees within the wait budget: wait {@code nanos}, then
   * call {@link Router#afterWait} and choose again. A waiter slot of the pool is held until then.
   */
  record Wait(long nanos) implements RouteDecision {}

  /**
   * Nothing is left to try.
   *
   * @param nanosUntilThrottleEnds present when at least one backend is throttled (429): when the
   *     soonest throttle ends
   * @param nanosUntilBreakerPermits present when at least one circuit breaker refuses calls: when
   *     the soonest will permit one again
   * @param deadlinePassed true when the request ran out of its routing deadline
   */
  record Exhausted(OptionalLong nanosUntilThrottleEnds, OptionalLong nanosUntilBreakerPermits, boolean deadlinePassed)
      implements RouteDecision {

    /** The soonest moment any backend of the pool frees, whatever held it. */
    public OptionalLong nanosUntilSoonestFree() {
      if (nanosUntilThrottleEnds.isEmpty()) {
        return nanosUntilBreakerPermits;
      }
      if (nanosUntilBreakerPermits.isEmpty()) {
        return nanosUntilThrottleEnds;
      }
      return OptionalLong.of(Math.min(nanosUntilThrottleEnds.getAsLong(), nanosUntilBreakerPermits.getAsLong()));
    }
  }
}
