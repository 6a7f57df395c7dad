package dev.spillway.core.routing;

import dev.spillway.core.config.PredictiveSpill;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.random.RandomGenerator;

/**
 * Chooses the next step of a request as a function of the pool's state, the request's attempt
 * cycle and the time. The edge carries the decision out and reports the outcome back.
 *
 * <h2>The decision, in order</h2>
 *
 * <ol>
 *   <li>Past the request's deadline, or out of attempts: {@link RouteDecision.Exhausted}.
 *   <li>A request bound to a backend (it names an object only that backend holds): that backend when it can take the
 *       call; else, when it frees before the deadline (its throttle ends, its breaker lets a call through), a wait for
 *       it; else {@link RouteDecision.Exhausted}. Nothing below applies: the request never spills.
 *   <li>The pool's ejection cap ({@link EjectionCap}): while its breakers hold out more of its backends than {@code
 *       routing.breaker.maxEjectedPercent} allows, the open one usable soonest is made half-open, so the steps below
 *       see it as a backend on trial.
 *   <li>Session affinity: the session's pinned backend, if it can take the call.
 *   <li>Waiting for PTU. With the {@link Station} (the default): when no PTU can take the call, or others wait ahead,
 *       the station decides — wait in its queue ({@link RouteDecision.Wait}), go to the PTU it releases the request
 *       to, or spill now. With the fixed wait ({@code ptuWait: fixed}): when no PTU can take the call but a
 *       throttled one frees within {@code maxWaitForPtu} (and the deadline), a waiter slot is free and the request
 *       has not waited yet, wait for it.
 *   <li>Selection: among backends that are not throttled, permitted by their breaker and not yet
 *       tried in this cycle — for {@code priority}, the lowest priority number that has one — the
 *       pool's strategy picks. Backends that would surely throttle (this minute's sends would pass
 *       their declared capacity, or a PTU's drain model has no room), a PTU the station spilled the request from,
 *       and, with predictive spill, backends about to throttle are passed over while another one qualifies.
 *   <li>The last resort: a full Azure PTU that declares {@code azureSpillover} is asked to spill the request to that
 *       standard deployment itself ({@code x-ms-spillover-deployment}), once.
 *   <li>Otherwise {@link RouteDecision.Exhausted}, saying when the soonest backend frees.
 * </ol>
 *
 * <p>A backend is never tried twice in one cycle unless the request waited for it. Thread-safe:
 * all mutable state lives in the pool's atomics; the cycle belongs to one request.
 */
public final class Router {
  private final RoutingConfig config;
  private final SharedThrottles shared;

  /** A router whose throttles stay on this replica. */
  public Router(RoutingConfig config) {
    this(config, SharedThrottles.local());
  }

  /** @param shared where the 429 throttles this router sets are told to the other replicas */
  public Router(RoutingConfig config, SharedThrottles shared) {
    this.config = config;
    this.shared = java.util.Objects.requireNonNull(shared, "shared");
  }

  public RoutingConfig config() {
    return config;
  }

  /**
   * @param pool the model's pool
   * @param cycle this request's cycle
   * @param nowNanos ticker reading
   * @param random source for weighted picks
   */
  public RouteDecision choose(Pool pool, AttemptCycle cycle, long nowNanos, RandomGenerator random) {
    Station station = pool.stationOrNull();
    if (nowNanos - cycle.deadlineNanos() >= 0) {
      leaveStation(station, cycle);
      return exhausted(pool, nowNanos, true);
    }
    if (config.maxAttempts() > 0 && cycle.attempts() >= config.maxAttempts()) {
      leaveStation(station, cycle);
      return exhausted(pool, nowNanos, false);
    }
    if (cycle.boundTo() != null) {
      return bound(pool, cycle.boundTo(), cycle, nowNanos);
    }
    EjectionCap.enforce(pool, nowNanos);
    Optional<BackendState> pinned = cycle.affinityKey().flatMap(pool::pinned);
    if (pinned.isPresent() && eligible(pinned.get(), cycle, nowNanos) && pinned.get().breaker().tryAcquirePermission(nowNanos)) {
      return use(pinned.get(), cycle, nowNanos);
    }
    boolean avoidPtu = false;
    if (station != null) {
      switch (station.step(cycle, nowNanos)) {
        case Station.Step.Go go -> {
          if (go.backend().breaker().tryAcquirePermission(nowNanos)) {
            return new RouteDecision.Use(go.backend()); // the station took its cost from the drain model
          }
        }
        case Station.Step.Wait wait -> {
          return new RouteDecision.Wait(wait.nanos());
        }
        case Station.Step.Spill spill -> {
          if (cycle.paygDenied().isPresent()) {
            station.counters().countPaygRefused(cycle.priority());
            return exhausted(pool, nowNanos, false); // the PTU cannot take it and PAYG is closed to it
          }
          avoidPtu = true;
        }
        case Station.Step.Pass pass -> {}
      }
    } else {
      OptionalLong wait = FixedWait.nanos(pool, cycle, nowNanos);
      if (wait.isPresent()) {
        return new RouteDecision.Wait(wait.getAsLong());
      }
    }
    // First pass: pass over backends about to throttle (declared capacity, the drain model, predictive spill, a PTU
    // the station spilled the request from); second pass: if that leaves nothing, any backend that can take the call.
    BackendState b = select(pool, cycle, nowNanos, random, pool.model().predictiveSpill(), true, avoidPtu);
    if (b != null) {
      return use(b, cycle, nowNanos);
    }
    b = select(pool, cycle, nowNanos, random, PredictiveSpill.OFF, false, false);
    if (b != null) {
      return use(b, cycle, nowNanos);
    }
    RouteDecision.Use lastResort = azureSpillover(pool, cycle, nowNanos);
    return lastResort != null ? lastResort : exhausted(pool, nowNanos, false);
  }

  /** The decision for a request bound to {@code b}: it, a wait for it, or the end. */
  private static RouteDecision bound(Pool pool, BackendState b, AttemptCycle cycle, long nowNanos) {
    if (eligible(b, cycle, nowNanos) && b.breaker().tryAcquirePermission(nowNanos)) {
      return use(b, cycle, nowNanos);
    }
    long wait = Math.max(b.nanosUntilAvailable(nowNanos), b.breaker().nanosUntilPermitted(nowNanos));
    boolean frees = wait > 0 && wait < Long.MAX_VALUE && nowNanos + wait - cycle.deadlineNanos() < 0;
    if (frees && (!cycle.tried(b) || b.isThrottled(nowNanos))) {
      return new RouteDecision.Wait(wait); // a 429 or an open breaker: wait for it; a 5xx it gave is final
    }
    return exhausted(List.of(b), nowNanos, false);
  }

  /**
   * The last resort once nothing else can take the request: a full Azure PTU deployment that declares {@code
   * azureSpillover} is asked to pass the request to that standard deployment itself (once per request, never for a
   * request PAYG is closed to — Azure's spillover is pay-as-you-go).
   */
  private static RouteDecision.Use azureSpillover(Pool pool, AttemptCycle cycle, long nowNanos) {
    if (cycle.azureSpilloverTried() || cycle.paygDenied().isPresent()) {
      return null;
    }
    for (BackendState b : pool.backends()) {
      if (b.config().azureSpillover().isPresent() && b.breaker().tryAcquirePermission(nowNanos)) {
        cycle.azureSpilloverTried(true);
        return new RouteDecision.Use(b, true);
      }
    }
    return null;
  }

  /** The decision to send to {@code b}; a PTU's drain model takes the request's cost at once. */
  private static RouteDecision use(BackendState b, AttemptCycle cycle, long nowNanos) {
    if (b.config().tier() == Tier.PTU) {
      b.drainSent(cycle.estimatedCostTokens(), nowNanos);
    }
    return new RouteDecision.Use(b);
  }

  private static void leaveStation(Station station, AttemptCycle cycle) {
    if (station != null) {
      station.leave(cycle);
    }
  }

  /**
   * Ends a wait that {@link RouteDecision.Wait} started. With the fixed wait it frees the waiter slot and lets the
   * cycle try again the PTU backends that have freed meanwhile; the station keeps its own queue.
   *
   * @param waitedNanos how long the request actually waited
   */
  public void afterWait(Pool pool, AttemptCycle cycle, long waitedNanos, long nowNanos) {
    cycle.recordWait(waitedNanos);
    if (cycle.boundTo() != null) {
      cycle.forgetTried(cycle.boundTo()); // its own wait, outside the station and the waiter slots
      return;
    }
    if (pool.stationOrNull() != null) {
      return;
    }
    pool.leaveWait();
    for (BackendState b : pool.backends()) {
      if (b.config().tier() == Tier.PTU && b.isAvailable(nowNanos)) {
        cycle.forgetTried(b);
      }
    }
  }

  /** Gives back a waiter slot or a place in the station's queue without choosing again (the client went away). */
  public void abandonWait(Pool pool, AttemptCycle cycle) {
    if (cycle.boundTo() != null) {
      return;
    }
    Station station = pool.stationOrNull();
    if (station != null) {
      station.leave(cycle);
    } else {
      pool.leaveWait();
    }
  }

  /**
   * Carries out what one attempt showed ({@link AttemptFeedback}) on its backend and, for a PTU, lets the station
   * react: a refusal may push waiters past their budgets, an answer ends a probe.
   *
   * @param costTokens the attempt's estimated cost
   */
  public void feedback(Pool pool, BackendState backend, AttemptFeedback feedback, long costTokens, long nowNanos) {
    feedback.applyTo(backend, costTokens, nowNanos);
    feedback.throttleMillis().ifPresent(ms -> shared.throttled(backend, ms));
    feedback.authHoldMillis().ifPresent(ms -> shared.unauthorized(backend, ms));
    if (backend.config().tier() != Tier.PTU) {
      return;
    }
    boolean answered = feedback.breaker() != AttemptFeedback.BreakerVerdict.NONE || feedback.throttleMillis().isPresent();
    if (answered || backend.probeInFlight()) {
      backend.probeAnswered();
    }
    Station station = pool.stationOrNull();
    if (station != null) {
      station.backendChanged(nowNanos);
    }
  }

  /**
   * Records a 429 from {@code backend}: it stays unavailable for the delay the backend asked for,
   * or the configured default when it gave none, capped at the configured maximum.
   *
   * @param requestedDelayMillis what the backend's retry headers said, if anything
   * @return the delay applied, in milliseconds
   */
  public long onThrottled(BackendState backend, OptionalLong requestedDelayMillis, long nowNanos) {
    long delayMillis = AttemptFeedback.throttleMillis(config, requestedDelayMillis);
    backend.throttleUntil(nowNanos + delayMillis * 1_000_000L);
    shared.throttled(backend, delayMillis);
    return delayMillis;
  }

  /** Picks and takes a breaker permit, or returns null when no backend qualifies. */
  private BackendState select(
      Pool pool,
      AttemptCycle cycle,
      long nowNanos,
      RandomGenerator random,
      PredictiveSpill predictive,
      boolean avoid,
      boolean avoidPtu) {
    boolean byPriority = pool.model().strategy() == RoutingStrategy.PRIORITY;
    List<BackendState> candidates = new ArrayList<>(pool.backends().size());
    // A backend whose breaker refuses the permit at the last moment (a half-open probe taken by a
    // concurrent request) is skipped and the choice made again; bounded by the pool size.
    java.util.BitSet refused = null;
    for (int round = 0; round <= pool.backends().size(); round++) {
      candidates.clear();
      int bestPriority = Integer.MAX_VALUE;
      for (BackendState b : pool.backends()) {
        if ((refused != null && refused.get(b.poolIndex()))
            || !eligible(b, cycle, nowNanos)
            || (b.config().tier() == Tier.PAYG && cycle.paygDenied().isPresent())
            || (avoid && !pacedByStation(pool, b) && b.wouldExceedCapacity(cycle.estimatedCostTokens(), nowNanos))
            || (avoid && b.config().tier() == Tier.PTU && (avoidPtu || !b.drainModel().fits(cycle.estimatedCostTokens(), nowNanos)))
            || (predictive.enabled() && aboutToThrottle(b, cycle, nowNanos, predictive))) {
          continue;
        }
        int priority = byPriority ? b.config().priority() : 0;
        if (priority < bestPriority) {
          bestPriority = priority;
          candidates.clear();
        }
        if (priority == bestPriority) {
          candidates.add(b);
        }
      }
      if (candidates.isEmpty()) {
        return null;
      }
      int group = byPriority ? bestPriority : candidates.get(0).config().priority();
      BackendState picked = candidates.get(pool.strategyFor(group).pick(candidates, random));
      if (picked.breaker().tryAcquirePermission(nowNanos)) {
        return picked;
      }
      if (refused == null) {
        refused = new java.util.BitSet();
      }
      refused.set(picked.poolIndex());
    }
    return null;
  }

  /**
   * A PTU under the station: its declared {@code tokensPerMinute} is its drain rate, which the drain model paces by.
   * The per-minute count would be wrong for it: a provisioned deployment's bucket takes a burst on top of a minute's
   * drain after a quiet spell, and the count would send that burst to PAYG.
   */
  private static boolean pacedByStation(Pool pool, BackendState b) {
    return b.config().tier() == Tier.PTU && pool.stationOrNull() != null;
  }

  static boolean eligible(BackendState b, AttemptCycle cycle, long nowNanos) {
    return !cycle.tried(b) && b.canTakeCall(nowNanos);
  }

  private static boolean aboutToThrottle(BackendState b, AttemptCycle cycle, long nowNanos, PredictiveSpill rule) {
    if (b.config().tier() == Tier.PTU) {
      OptionalDouble utilization = b.freshUtilizationPercent(nowNanos);
      return utilization.isPresent() && utilization.getAsDouble() >= rule.ptuUtilizationPercent();
    }
    if (!rule.paygRemainingTokens() || cycle.estimatedCostTokens() <= 0) {
      return false;
    }
    OptionalLong remaining = b.freshRemainingTokens(nowNanos);
    return remaining.isPresent() && remaining.getAsLong() < cycle.estimatedCostTokens();
  }

  private static RouteDecision.Exhausted exhausted(Pool pool, long nowNanos, boolean deadlinePassed) {
    return exhausted(pool.backends(), nowNanos, deadlinePassed);
  }

  private static RouteDecision.Exhausted exhausted(List<BackendState> backends, long nowNanos, boolean deadlinePassed) {
    return RouteDecision.Exhausted.of(backends, nowNanos, deadlinePassed);
  }
}
