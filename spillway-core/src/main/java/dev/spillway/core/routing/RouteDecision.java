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
   * @param nanosUntilAuthReleased present when at least one backend is held out for refusing the gateway's
   *     credential ({@code routing.authHold}): when the soonest hold ends. Not a throttle: {@link
   *     #nanosUntilSoonestFree} leaves it out (the credential will not fix itself)
   */
  record Exhausted(OptionalLong nanosUntilThrottleEnds, OptionalLong nanosUntilBreakerPermits, boolean deadlinePassed,
      OptionalLong nanosUntilAuthReleased)
      implements RouteDecision {

    /** What keeps {@code backends} out at {@code nowNanos}: the soonest end of each kind of hold. Pure. */
    static Exhausted of(java.util.List<BackendState> backends, long nowNanos, boolean deadlinePassed) {
      long throttle = Long.MAX_VALUE;
      long breaker = Long.MAX_VALUE;
      long auth = Long.MAX_VALUE;
      for (BackendState b : backends) {
        if (b.isThrottled(nowNanos)) {
          throttle = Math.min(throttle, b.nanosUntilAvailable(nowNanos));
        }
        if (!b.breaker().isCallPermitted(nowNanos)) {
          breaker = Math.min(breaker, b.breaker().nanosUntilPermitted(nowNanos));
        }
        if (b.isAuthHeld(nowNanos)) {
          auth = Math.min(auth, b.nanosUntilAuthReleased(nowNanos));
        }
      }
      return new Exhausted(present(throttle), present(breaker), deadlinePassed, present(auth));
    }

    private static OptionalLong present(long nanos) {
      return nanos == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(nanos);
    }

    /** Nothing left, no backend held for its credential. */
    public Exhausted(OptionalLong nanosUntilThrottleEnds, OptionalLong nanosUntilBreakerPermits, boolean deadlinePassed) {
      this(nanosUntilThrottleEnds, nanosUntilBreakerPermits, deadlinePassed, OptionalLong.empty());
    }

    /**
     * True when what keeps the pool out is refused credentials only: some backend is held for its credential and
     * none is throttled or held by its breaker (nothing comes back by waiting).
     */
    public boolean onlyAuthHeld() {
      return nanosUntilAuthReleased.isPresent() && nanosUntilThrottleEnds.isEmpty() && nanosUntilBreakerPermits.isEmpty();
    }

    /** The soonest moment any backend of the pool frees from a throttle or its breaker. */
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
