package dev.spillway.core.limits;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The default {@link LimitStore}: counters in this process, lock-free, with time taken from the
 * caller (tests pass a fake clock).
 *
 * <h2>Design</h2>
 *
 * <p>Each (counter key, kind) pair owns an {@link AtomicReference} to an immutable {@code
 * Counter(windowStart, windowEnd, used)}. Counting is a compare-and-set of a new value computed from
 * the one read; a counter whose window has ended is replaced by a fresh one of the current window in
 * the same CAS, so a window rolls over without a timer and without a lock. Nothing is ever
 * read-modify-written outside a CAS.
 *
 * <p><b>All or nothing.</b> {@link #reserve} first reads every counter: if any lacks room, it
 * reports the most lasting denial and counts nothing. Otherwise it counts check by check with CAS,
 * each CAS re-checking the limit. If a concurrent request took the last room meanwhile, the checks
 * already counted are rolled back (a CAS subtracting the same amount, only in the same window) and
 * the request is denied. Between the count and the rollback another request may see the extra units
 * and be denied too: under contention this store errs towards denying, never towards admitting more
 * than a limit. We chose this over striped locks per key set because a request's checks overlap
 * other requests' checks arbitrarily (consumer, team, model...) and no stripe order would stay
 * simple.
 *
 * <p><b>Reservations.</b> An admitted request with a token check is remembered as {@code requestId ->
 * reservedAt}; {@link
 * #settle} removes that entry atomically (so only the first settle counts) and adjusts the token
 * counters of the windows containing {@code reservedAt}, if those windows are still the counters'
 * current ones. A reservation never settled is forgotten after {@code reservationTtl} and keeps its
 * estimate.
 *
 * <p><b>Eviction.</b> At most once per minute of caller time, the caller that notices it is due
 * sweeps counters whose window has ended and expired reservations. An ended counter is first CASed
 * to a tombstone, then removed, so a request that still holds its reference retries against a fresh
 * counter instead of counting into a removed one. The sweep is O(counters) on that caller's thread.
 */
public final class InMemoryLimitStore implements LimitStore {

  /** How long an unsettled reservation is remembered by default. */
  public static final Duration DEFAULT_RESERVATION_TTL = Duration.ofHours(1);

  private static final long SWEEP_INTERVAL_MILLIS = 60_000;
  private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  private record CounterId(String counterKey, LimitKind kind) {
    CounterId(LimitCheck check) {
      this(check.counterKey(), check.kind());
    }
  }

  private record Counter(long windowStart, long windowEnd, long used) {}

  /** A slot that was never counted into: any window replaces it. */
  private static final Counter FRESH = new Counter(Long.MIN_VALUE, Long.MIN_VALUE, 0);

  /** Marks a slot that is being removed; compared by identity only. */
  private static final Counter EVICTED = new Counter(Long.MIN_VALUE, Long.MIN_VALUE, -1);

  private final ConcurrentHashMap<CounterId, AtomicReference<Counter>> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Long> reservedAtByRequest = new ConcurrentHashMap<>();
  private final AtomicLong nextSweepAt = new AtomicLong(Long.MIN_VALUE);
  private final long reservationTtlMillis;

  public InMemoryLimitStore() {
    this(DEFAULT_RESERVATION_TTL);
  }

  /** @param reservationTtl how long an unsettled reservation can still be settled */
  public InMemoryLimitStore(Duration reservationTtl) {
    if (reservationTtl.isNegative() || reservationTtl.isZero()) {
      throw new IllegalArgumentException("reservationTtl must be positive, got " + reservationTtl);
    }
    this.reservationTtlMillis = reservationTtl.toMillis();
  }

  @Override
  public CompletionStage<Admission> reserve(
      String requestId, List<LimitCheck> checks, long tokens, long nowEpochMillis) {
    Objects.requireNonNull(requestId, "requestId");
    LimitCheck.requireDistinct(checks);
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
    }
    sweepIfDue(nowEpochMillis);
    Admission.Denied denied = firstLook(checks, tokens, nowEpochMillis);
    if (denied != null) {
      return CompletableFuture.completedFuture(denied);
    }
    List<Attempt> counted = new ArrayList<>(checks.size());
    for (LimitCheck check : checks) {
      long cost = check.kind().cost(tokens);
      Attempt attempt = tryAdd(new CounterId(check), Window.of(check.kind(), nowEpochMillis), cost, check.limit());
      if (!attempt.counted()) {
        counted.forEach(this::rollBack);
        return CompletableFuture.completedFuture(
            Admission.Denied.of(check, cost, attempt.windowEnd(), nowEpochMillis));
      }
      counted.add(attempt);
    }
    if (countsTokens(checks)) {
      reservedAtByRequest.put(requestId, nowEpochMillis); // only token counters are ever settled
    }
    List<Remaining> remaining = new ArrayList<>(checks.size());
    for (int i = 0; i < checks.size(); i++) {
      LimitCheck check = checks.get(i);
      Attempt attempt = counted.get(i);
      remaining.add(new Remaining(check, check.limit(), check.limit() - attempt.used(), attempt.windowEnd()));
    }
    return CompletableFuture.completedFuture(new Admission.Allowed(remaining));
  }

  @Override
  public CompletionStage<Void> settle(
      String requestId, List<LimitCheck> checks, long reservedTokens, long actualTokens, long nowEpochMillis) {
    Objects.requireNonNull(requestId, "requestId");
    LimitCheck.requireDistinct(checks);
    if (reservedTokens < 0 || actualTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must be >= 0, got reserved " + reservedTokens + ", actual " + actualTokens);
    }
    sweepIfDue(nowEpochMillis);
    Long reservedAt = reservedAtByRequest.remove(requestId);
    long delta = actualTokens - reservedTokens;
    if (reservedAt == null || delta == 0) {
      return DONE;
    }
    for (LimitCheck check : checks) {
      if (!check.kind().countsRequests()) {
        add(new CounterId(check), Window.of(check.kind(), reservedAt).startEpochMillis(), delta);
      }
    }
    return DONE;
  }

  /** Number of live counters; for tests of eviction. */
  int counterCount() {
    return counters.size();
  }

  /** Number of reservations not yet settled or expired; for tests of eviction. */
  int pendingReservations() {
    return reservedAtByRequest.size();
  }

  /** The most lasting denial if some check is already full, else null; counts nothing. */
  private Admission.Denied firstLook(List<LimitCheck> checks, long tokens, long now) {
    Admission.Denied worst = null;
    for (LimitCheck check : checks) {
      long cost = check.kind().cost(tokens);
      Window window = Window.of(check.kind(), now);
      AtomicReference<Counter> slot = counters.get(new CounterId(check));
      Counter seen = slot == null ? FRESH : slot.get();
      long used = seen.windowStart() >= window.startEpochMillis() ? seen.used() : 0;
      long end = seen.windowStart() > window.startEpochMillis() ? seen.windowEnd() : window.endEpochMillis();
      if (used + cost > check.limit()) {
        Admission.Denied denied = Admission.Denied.of(check, cost, end, now);
        if (worst == null || denied.outranks(worst)) {
          worst = denied;
        }
      }
    }
    return worst;
  }

  /**
   * One check's try to count: {@code used} is the counter after counting, or as seen when the cost
   * did not fit.
   */
  private record Attempt(CounterId id, boolean counted, long cost, long windowStart, long windowEnd, long used) {}

  /** Adds {@code cost} to the counter if it fits under {@code limit}. */
  private Attempt tryAdd(CounterId id, Window window, long cost, long limit) {
    while (true) {
      AtomicReference<Counter> slot = counters.computeIfAbsent(id, k -> new AtomicReference<>(FRESH));
      Counter seen = slot.get();
      if (seen == EVICTED) {
        counters.remove(id, slot);
        continue;
      }
      // A counter of a later window (a caller whose clock is behind) is counted into as it is.
      Counter base = seen.windowStart() >= window.startEpochMillis()
          ? seen
          : new Counter(window.startEpochMillis(), window.endEpochMillis(), 0);
      if (base.used() + cost > limit) {
        return new Attempt(id, false, cost, base.windowStart(), base.windowEnd(), base.used());
      }
      Counter next = new Counter(base.windowStart(), base.windowEnd(), base.used() + cost);
      if (slot.compareAndSet(seen, next)) {
        return new Attempt(id, true, cost, next.windowStart(), next.windowEnd(), next.used());
      }
    }
  }

  private void rollBack(Attempt counted) {
    add(counted.id(), counted.windowStart(), -counted.cost());
  }

  /** Adds {@code delta} (floored at zero) if the counter is still in the window starting at {@code windowStart}. */
  private void add(CounterId id, long windowStart, long delta) {
    AtomicReference<Counter> slot = counters.get(id);
    if (slot == null) {
      return;
    }
    while (true) {
      Counter seen = slot.get();
      if (seen == EVICTED || seen.windowStart() != windowStart) {
        return; // that window is over: nothing left to adjust
      }
      Counter next = new Counter(seen.windowStart(), seen.windowEnd(), Math.max(0, seen.used() + delta));
      if (slot.compareAndSet(seen, next)) {
        return;
      }
    }
  }

  private void sweepIfDue(long now) {
    long due = nextSweepAt.get();
    if (now < due || !nextSweepAt.compareAndSet(due, now + SWEEP_INTERVAL_MILLIS)) {
      return;
    }
    counters.forEach(
        (id, slot) -> {
          Counter seen = slot.get();
          if (seen != EVICTED && seen.windowEnd() <= now && slot.compareAndSet(seen, EVICTED)) {
            counters.remove(id, slot);
          }
        });
    reservedAtByRequest.entrySet().removeIf(e -> e.getValue() + reservationTtlMillis <= now);
  }

  @Override
  public String toString() {
    return "InMemoryLimitStore[" + counters.size() + " counters, " + reservedAtByRequest.size() + " pending]";
  }

  private static boolean countsTokens(List<LimitCheck> checks) {
    for (LimitCheck c : checks) {
      if (!c.kind().countsRequests()) {
        return true;
      }
    }
    return false;
  }
}
