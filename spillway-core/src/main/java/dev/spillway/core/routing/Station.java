package dev.spillway.core.routing;

import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.config.PtuStation;
import dev.spillway.core.routing.station.DemandMeter;
import dev.spillway.core.routing.station.DrainModel;
import dev.spillway.core.routing.station.SpillReason;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The PTU station of one pool: where a request that finds every PTU backend full may wait for one, when that wait
 * will pay.
 *
 * <h2>Who waits</h2>
 *
 * A request meets the station when no PTU can take it now, or when others are already waiting ahead of it (nobody
 * jumps the queue). It joins the queue only if all of these hold, and otherwise spills to PAYG at once:
 *
 * <ol>
 *   <li>its class has a wait budget ({@code batch} has none by default);
 *   <li>the pool is not under a sustained overload: the tokens offered by its class and the classes above, averaged
 *       over the demand window, are below the PTUs' drain rate. Under sustained overload the PTU is kept full by
 *       arrivals anyway, and a queue would only add latency ({@link DemandMeter});
 *   <li>its <em>expected admission time</em> — the tokens queued ahead of it plus its own, less the room the PTUs
 *       have, over their drain rate ({@link DrainModel}) — is within its budget (and its deadline).
 * </ol>
 *
 * <h2>How the queue moves</h2>
 *
 * The queue is ordered by class, then arrival. Only the head may leave for a PTU, and only when the drain model says
 * it fits: releases are paced by the PTU's own drain, so waiters do not all wake at the instant a throttle ends and
 * find it full again. Where the drain rate is not known yet, at most one request is in flight to a throttled PTU
 * (a probe); its answer brings the next exact retry hint. Whenever the head changes, or a refusal pushes expected
 * times later, the station wakes the waiters concerned: the new head to try, and every waiter whose wait now
 * outgrows its budget to leave for PAYG immediately.
 *
 * <p>Every decision is a function of (queue, the backends' state, now); the station never reads a clock or sleeps. It
 * is shared by the pool's requests on every event loop: methods are synchronized, and wake hooks run after the lock
 * is released.
 */
public final class Station {
  private final Pool pool;
  private final PtuStation config;
  private final DemandMeter demand;
  private final TreeSet<AttemptCycle> queue =
      new TreeSet<>(Comparator.comparingInt((AttemptCycle c) -> c.priority().ordinal()).thenComparingLong(AttemptCycle::stationSeq));
  private final StationCounters counters = new StationCounters();
  private final PtuCapacity ptus;
  private long nextSeq;

  Station(Pool pool, PtuStation config) {
    this.pool = pool;
    this.config = config;
    this.ptus = new PtuCapacity(pool, config);
    long window = config.demandWindow().toNanos();
    this.demand = new DemandMeter(window, Math.min(window, 10_000_000_000L));
  }

  public PtuStation config() {
    return config;
  }

  /** Counts and gauges for metrics and the dashboard. */
  public StationCounters counters() {
    return counters;
  }

  /** What the station says to one request. */
  sealed interface Step {
    /** The station has no say: choose among the backends as usual (a PTU may take the request). */
    record Pass() implements Step {}

    /** The head of the queue may go to {@code backend} now. */
    record Go(BackendState backend) implements Step {}

    /** Wait at most {@code nanos} (a wake may come sooner), then ask again. */
    record Wait(long nanos) implements Step {}

    /** Do not wait for PTU: go elsewhere now. */
    record Spill(SpillReason reason) implements Step {}
  }

  static final Step PASS = new Step.Pass();

  Step step(AttemptCycle cycle, long nowNanos) {
    List<AttemptCycle> wake = new ArrayList<>();
    Step step;
    synchronized (this) {
      step = decide(cycle, nowNanos, wake);
    }
    wakeAll(wake);
    return step;
  }

  private Step decide(AttemptCycle c, long now, List<AttemptCycle> wake) {
    if (c.inStationQueue()) {
      return poll(c, now, wake);
    }
    if (!c.metStation()) {
      c.metStation(nextSeq++, now + budgetNanos(c, now));
      demand.record(c.priority(), c.estimatedCostTokens(), now);
    } else if (c.stationDone()) {
      return PASS; // the station had its say (a spill, or a PTU that failed otherwise than full): retries choose as usual
    }
    boolean released = c.releasedByStation();
    if (c.attempts() > 0 && !ptus.refusedByFull(c, now)) {
      c.releasedByStation(false);
      c.stationDone(true);
      return PASS;
    }
    BackendState free = nothingAhead(c) ? ptus.open(c, now, true) : null;
    if (free != null) {
      return released ? go(c, free, now) : PASS;
    }
    long budget = c.stationBudgetEndNanos() - now;
    if (config.budget(c.priority()).isZero() || budget <= 0) {
      return spill(c, released ? SpillReason.WAIT_OUTGREW : SpillReason.NO_BUDGET);
    }
    if (!released && ptus.aboveReserveMark(c, now)) {
      return spill(c, SpillReason.RESERVED);
    }
    double rate = ptus.drainRate(now);
    double offered = demand.tokensPerNano(c.priority(), now) * ptus.costScale(); // in what the PTU charges
    if (!released && rate > 0 && offered >= rate) {
      return spill(c, SpillReason.OVERLOAD);
    }
    long expected = ptus.expectedNanos(tokensAhead(c) + c.estimatedCostTokens(), now, queue.isEmpty());
    counters.expectedWait(expected);
    c.expectedWaitNanos(expected == Long.MAX_VALUE ? -1 : expected);
    if (expected > budget) {
      return spill(c, released ? SpillReason.WAIT_OUTGREW : SpillReason.OVER_BUDGET);
    }
    if (queue.size() >= pool.model().maxPtuWaiters()) {
      return spill(c, SpillReason.QUEUE_FULL);
    }
    queue.add(c);
    c.inStationQueue(true);
    c.releasedByStation(false);
    counters.countEnqueued(c.priority());
    outgrown(now, wake);
    return new Step.Wait(queue.first() == c ? Math.max(1_000_000, expected) : budget);
  }

  /** A waiter asks again (its timer fired or it was woken). */
  private Step poll(AttemptCycle c, long now, List<AttemptCycle> wake) {
    long budget = c.stationBudgetEndNanos() - now;
    if (queue.first() == c) {
      BackendState b = ptus.open(c, now, false);
      if (b != null) {
        remove(c, wake);
        return go(c, b, now);
      }
      long expected = ptus.expectedNanos(c.estimatedCostTokens(), now, true);
      if (budget <= 0 || expected > budget) {
        remove(c, wake);
        return spill(c, SpillReason.WAIT_OUTGREW);
      }
      return new Step.Wait(Math.max(1_000_000, Math.min(expected, budget)));
    }
    if (budget <= 0 || ptus.expectedNanos(tokensAhead(c) + c.estimatedCostTokens(), now, false) > budget) {
      remove(c, wake);
      return spill(c, SpillReason.WAIT_OUTGREW);
    }
    return new Step.Wait(budget); // woken when it becomes the head, or when its wait outgrows its budget
  }

  /** The request leaves without a decision (it ran out of time, or its client went away). */
  void leave(AttemptCycle cycle) {
    List<AttemptCycle> wake = new ArrayList<>();
    synchronized (this) {
      if (cycle.inStationQueue()) {
        remove(cycle, wake);
      }
    }
    wakeAll(wake);
  }

  /**
   * A PTU backend's state changed (a refusal, an answer, a probe's end): wakes the head, and every waiter whose wait
   * now outgrows its budget.
   */
  void backendChanged(long nowNanos) {
    List<AttemptCycle> wake = new ArrayList<>();
    synchronized (this) {
      if (!queue.isEmpty()) {
        wake.add(queue.first());
        outgrown(nowNanos, wake);
      }
    }
    wakeAll(wake);
  }

  /** Requests waiting now, by class (index = {@link PriorityClass#ordinal()}). */
  public synchronized int[] waitingByClass() {
    int[] n = new int[PriorityClass.values().length];
    for (AttemptCycle c : queue) {
      n[c.priority().ordinal()]++;
    }
    return n;
  }

  public synchronized int waiting() {
    return queue.size();
  }

  /** The PTUs' combined drain rate as the station knows it, tokens per minute (0 = not known yet). */
  public double drainTokensPerMinute(long nowNanos) {
    return ptus.drainRate(nowNanos) * 60e9;
  }

  /** The offered load of {@code priority} and above over the demand window, tokens per minute (-1 = too little history). */
  public synchronized double offeredTokensPerMinute(PriorityClass priority, long nowNanos) {
    double rate = demand.tokensPerNano(priority, nowNanos);
    return rate < 0 ? -1 : rate * 60e9;
  }

  /** Lets {@code c} go to {@code b}: its cost leaves the drain model's room at once, so the next waiter is paced. */
  private static Step go(AttemptCycle c, BackendState b, long now) {
    c.releasedByStation(true);
    if (!b.drainModel().hasRate()) {
      b.probeSent();
    }
    b.drainSent(c.estimatedCostTokens(), now);
    return new Step.Go(b);
  }

  private Step spill(AttemptCycle c, SpillReason reason) {
    c.releasedByStation(false);
    c.stationDone(true);
    c.spilledBy(reason);
    counters.countSpilled(c.priority(), reason);
    return new Step.Spill(reason);
  }

  private void remove(AttemptCycle c, List<AttemptCycle> wake) {
    boolean wasHead = queue.first() == c;
    queue.remove(c);
    c.inStationQueue(false);
    if (wasHead && !queue.isEmpty()) {
      wake.add(queue.first());
    }
  }

  /** Every waiter whose expected admission is now past its budget: woken so it leaves at once. */
  private void outgrown(long now, List<AttemptCycle> wake) {
    long ahead = 0;
    for (AttemptCycle w : queue) {
      ahead += w.estimatedCostTokens();
      if (ptus.expectedNanos(ahead, now, false) > w.stationBudgetEndNanos() - now && !wake.contains(w)) {
        wake.add(w);
      }
    }
  }

  private boolean nothingAhead(AttemptCycle c) {
    return queue.isEmpty() || queue.comparator().compare(queue.first(), c) > 0;
  }

  private long tokensAhead(AttemptCycle c) {
    long tokens = 0;
    for (AttemptCycle w : queue.headSet(c, false)) {
      tokens += w.estimatedCostTokens();
    }
    return tokens;
  }

  private long budgetNanos(AttemptCycle c, long now) {
    return Math.min(config.budget(c.priority()).toNanos(), Math.max(0, c.deadlineNanos() - now));
  }

  private static void wakeAll(List<AttemptCycle> wake) {
    for (AttemptCycle c : wake) {
      c.wake();
    }
  }
}
