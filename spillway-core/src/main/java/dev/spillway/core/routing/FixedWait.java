package dev.spillway.core.routing;

import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.Tier;
import java.util.OptionalLong;

/**
 * The fixed PTU wait ({@code ptuWait: fixed}), the rule before the {@link Station}, kept for comparison: when no PTU
 * can take the call but a throttled one frees within what is left of {@code maxWaitForPtu} (and the deadline), a
 * waiter slot is free and the request has not waited yet, wait for that PTU. Every waiter wakes at the instant the
 * throttle ends, which is why the station replaced it.
 */
final class FixedWait {
  private FixedWait() {}

  /** How long to wait, or empty to go on choosing now; takes a waiter slot of the pool when it says wait. */
  static OptionalLong nanos(Pool pool, AttemptCycle cycle, long nowNanos) {
    ModelConfig model = pool.model();
    long budget = model.maxWaitForPtu().toNanos() - cycle.waitedNanos();
    // A request waits at most once. When a PTU frees, every waiter wakes together and only some
    // fit; waiting again would make the rest pay the whole budget for nothing (the routing
    // benchmark showed exactly that), so they spill at once instead.
    if (budget <= 0 || cycle.waits() > 0 || !pool.hasPtu()) {
      return OptionalLong.empty();
    }
    budget = Math.min(budget, cycle.deadlineNanos() - nowNanos);
    long soonest = Long.MAX_VALUE;
    for (BackendState b : pool.backends()) {
      if (b.config().tier() != Tier.PTU) {
        continue;
      }
      if (Router.eligible(b, cycle, nowNanos)) {
        return OptionalLong.empty(); // a PTU can take the call now: no reason to wait
      }
      if (b.isThrottled(nowNanos) && !b.isAuthHeld(nowNanos) && b.breaker().isCallPermitted(nowNanos + b.nanosUntilAvailable(nowNanos))) {
        soonest = Math.min(soonest, b.nanosUntilAvailable(nowNanos));
      }
    }
    if (soonest == Long.MAX_VALUE || soonest > budget || !pool.tryEnterWait()) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(soonest);
  }
}
