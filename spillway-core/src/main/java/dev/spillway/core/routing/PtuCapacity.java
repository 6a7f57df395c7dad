package dev.spillway.core.routing;

import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.config.PtuStation;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.station.DrainModel;

/**
 * What a pool's PTU backends can take, as the {@link Station} asks it: which one can take a request now, how fast
 * they drain together, when a number of tokens will have fitted, and whether they are above the mark reserved for
 * critical requests. Reads the backends' state (their drain models, throttles and breakers) and changes nothing; the
 * station calls it under its lock.
 */
final class PtuCapacity {
  private final Pool pool;
  private final PtuStation config;

  PtuCapacity(Pool pool, PtuStation config) {
    this.pool = pool;
    this.config = config;
  }

  /** A PTU this request tried is throttled now: the request was turned away because the PTU was full. */
  boolean refusedByFull(AttemptCycle c, long now) {
    for (BackendState b : pool.backends()) {
      if (b.config().tier() == Tier.PTU && c.tried(b) && b.isThrottled(now)) {
        return true;
      }
    }
    return false;
  }

  /** The non-critical request finds the PTUs above the mark that keeps a share for critical requests. */
  boolean aboveReserveMark(AttemptCycle c, long now) {
    if (c.priority() == PriorityClass.CRITICAL || config.reserveForCriticalPercent() <= 0) {
      return false;
    }
    double mark = 100 - config.reserveForCriticalPercent();
    for (BackendState b : pool.backends()) {
      if (b.config().tier() == Tier.PTU) {
        var u = b.freshUtilizationPercent(now);
        if (u.isEmpty() || u.getAsDouble() < mark) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * A PTU backend that can take {@code c} now: not throttled, its breaker permitting, the drain model saying it
   * fits, and no probe already in flight where the rate is unknown. The one with the most room wins.
   */
  BackendState open(AttemptCycle c, long now, boolean respectTried) {
    BackendState best = null;
    double bestRoom = Double.NEGATIVE_INFINITY;
    for (BackendState b : pool.backends()) {
      if (b.config().tier() != Tier.PTU || (respectTried && c.tried(b)) || !b.canTakeCall(now)) {
        continue;
      }
      DrainModel m = b.drainModel();
      if (!m.fits(c.estimatedCostTokens(), now) || (!m.hasRate() && b.probeInFlight())) {
        continue;
      }
      double room = m.knownAt(now) ? m.roomAt(now) : Double.MAX_VALUE;
      if (room > bestRoom) {
        best = b;
        bestRoom = room;
      }
    }
    return best;
  }

  /** What the PTUs charge per estimated token, as their drain models learned it (the largest, to be safe). */
  double costScale() {
    double scale = 1;
    for (BackendState b : pool.backends()) {
      if (b.config().tier() == Tier.PTU) {
        scale = Math.max(scale, b.drainModel().costScale());
      }
    }
    return scale;
  }

  double drainRate(long now) {
    double rate = 0;
    for (BackendState b : pool.backends()) {
      if (b.config().tier() == Tier.PTU && !b.isAuthHeld(now) && b.breaker().isCallPermitted(now + b.nanosUntilAvailable(now))) {
        rate += b.drainModel().tokensPerNano();
      }
    }
    return rate;
  }

  /**
   * When {@code tokens} (what is queued ahead plus the request's own) will have fitted into the PTUs: their combined
   * shortfall over their combined drain rate. Without a known rate only a lone request can be timed, by the soonest
   * end of a throttle; anything queued behind another is then not timed at all.
   */
  long expectedNanos(long tokens, long now, boolean alone) {
    double rate = 0;
    double room = 0;
    double scale = 0;
    long soonestFree = Long.MAX_VALUE;
    for (BackendState b : pool.backends()) {
      if (b.config().tier() != Tier.PTU || b.isAuthHeld(now) || !b.breaker().isCallPermitted(now + b.nanosUntilAvailable(now))) {
        continue;
      }
      DrainModel m = b.drainModel();
      rate += m.tokensPerNano();
      scale = Math.max(scale, m.costScale());
      soonestFree = Math.min(soonestFree, b.nanosUntilAvailable(now));
      if (m.knownAt(now)) {
        room += m.roomAt(now);
      } else if (b.isAvailable(now)) {
        return 0; // a PTU out of saturation: it takes what comes until it says otherwise
      }
    }
    if (rate <= 0) {
      return alone ? soonestFree : Long.MAX_VALUE;
    }
    double shortfall = tokens * scale - room;
    return Math.max(soonestFree == Long.MAX_VALUE ? 0 : soonestFree, shortfall <= 0 ? 0 : (long) Math.ceil(shortfall / rate));
  }
}
