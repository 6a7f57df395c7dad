package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.limits.Admission;
import dev.spillway.core.limits.LimitCheck;
import dev.spillway.core.limits.LimitKind;
import dev.spillway.core.limits.LimitRule;
import dev.spillway.core.limits.LimitStore;
import dev.spillway.core.limits.Remaining;
import dev.spillway.core.limits.Window;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What every {@link LimitStore} guarantees; each store's test extends this class.
 *
 * <p>Time is a fake clock passed as {@code now}: the Redis store under test is built with {@link
 * RedisLimitOptions#trustCallerClock()} so its script uses that instead of Redis {@code TIME}.
 * Every test uses counter keys of its own, so stores sharing one Redis never see each other's counts.
 *
 * <p>This suite lives in the gateway module because core publishes no test jar: the gateway sees
 * {@code InMemoryLimitStore} and {@code RedisLimitStore}, core sees only the first.
 */
abstract class LimitStoreContract {

  /** Monday 2025-03-10 12:00:00 UTC. */
  static final long T0 = Instant.parse("2025-03-10T12:00:00Z").toEpochMilli();

  private LimitStore store;
  private String scope;
  private int requests;

  /** A store with no counters of the keys this test uses; called before every test. */
  protected abstract LimitStore newStore();

  @BeforeEach
  void setUpStore() {
    store = newStore();
    scope = UUID.randomUUID().toString().substring(0, 8);
  }

  // ---- helpers -------------------------------------------------------------------------------------

  LimitCheck check(String name, LimitKind kind, long limit) {
    return new LimitCheck("test=" + scope + "|c=" + name, new LimitRule(kind, limit));
  }

  LimitCheck tpm(String name, long limit) {
    return check(name, LimitKind.TOKENS_PER_MINUTE, limit);
  }

  String nextRequestId() {
    return scope + "-r" + (++requests);
  }

  Admission reserve(String requestId, List<LimitCheck> checks, long tokens, long now) {
    return await(store.reserve(requestId, checks, tokens, now).toCompletableFuture());
  }

  Admission reserve(List<LimitCheck> checks, long tokens, long now) {
    return reserve(nextRequestId(), checks, tokens, now);
  }

  void settle(String requestId, List<LimitCheck> checks, long reserved, long actual, long now) {
    await(store.settle(requestId, checks, reserved, actual, now).toCompletableFuture());
  }

  static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("store call failed", e);
    }
  }

  static Admission.Allowed allowed(Admission admission) {
    assertThat(admission).isInstanceOf(Admission.Allowed.class);
    return (Admission.Allowed) admission;
  }

  static Admission.Denied denied(Admission admission) {
    assertThat(admission).isInstanceOf(Admission.Denied.class);
    return (Admission.Denied) admission;
  }

  /** Room left on {@code check}, observed by reserving nothing against it. */
  long roomLeft(LimitCheck check, long now) {
    Admission probe = reserve(List.of(check), 0, now);
    return probe instanceof Admission.Allowed a ? a.remaining().getFirst().remaining() : 0;
  }

  static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  // ---- admission -----------------------------------------------------------------------------------

  @Test
  void allowsUpToTheLimitThenDeniesUntilTheMinuteEnds() {
    LimitCheck tpm = tpm("a", 100);
    Remaining first = allowed(reserve(List.of(tpm), 60, T0 + 10_000)).remaining().getFirst();
    assertThat(first).isEqualTo(new Remaining(tpm, 100, 40, T0 + 60_000));
    assertThat(allowed(reserve(List.of(tpm), 40, T0 + 20_000)).remaining().getFirst().remaining()).isZero();

    Admission.Denied denied = denied(reserve(List.of(tpm), 1, T0 + 45_000));
    assertThat(denied.check()).isEqualTo(tpm);
    assertThat(denied.quota()).isFalse();
    assertThat(denied.retryAfterMillis()).isEqualTo(15_000);
    assertThat(denied.resetEpochMillis()).isEqualTo(T0 + 60_000);
    assertThat(denied.exceedsWholeLimit()).isFalse();
  }

  @Test
  void countsOneRequestPerReservationAgainstRequestRules() {
    LimitCheck rpm = check("a", LimitKind.REQUESTS_PER_MINUTE, 2);
    assertThat(allowed(reserve(List.of(rpm), 5_000, T0)).remaining().getFirst().remaining()).isEqualTo(1);
    assertThat(allowed(reserve(List.of(rpm), 5_000, T0)).remaining().getFirst().remaining()).isZero();
    Admission.Denied denied = denied(reserve(List.of(rpm), 1, T0));
    assertThat(denied.requested()).isEqualTo(1);
    assertThat(denied.quota()).isFalse();
  }

  @Test
  void countsNothingWhenAnyCheckRefuses() {
    LimitCheck wide = tpm("wide", 100);
    LimitCheck narrow = tpm("narrow", 50);
    LimitCheck requests = check("req", LimitKind.REQUESTS_PER_MINUTE, 100);
    List<LimitCheck> all = List.of(wide, narrow, requests);
    allowed(reserve(all, 40, T0));

    assertThat(denied(reserve(all, 20, T0)).check()).isEqualTo(narrow);

    // Had the refused 20 been counted anywhere, these numbers would be 20 (or 1) lower.
    List<Remaining> after = allowed(reserve(all, 10, T0)).remaining();
    assertThat(after).extracting(Remaining::remaining).containsExactly(50L, 0L, 98L);
  }

  @Test
  void reportsTheRefusalThatLastsLongestAsAQuota() {
    LimitCheck tpm = tpm("a", 100);
    LimitCheck day = check("a", LimitKind.TOKENS_PER_DAY, 100);
    allowed(reserve(List.of(tpm, day), 100, T0));

    Admission.Denied denied = denied(reserve(List.of(tpm, day), 10, T0 + 1_000));
    assertThat(denied.check()).isEqualTo(day);
    assertThat(denied.quota()).isTrue();
    assertThat(denied.resetEpochMillis()).isEqualTo(at("2025-03-11T00:00:00Z"));
    assertThat(denied.retryAfterMillis()).isEqualTo(at("2025-03-11T00:00:00Z") - (T0 + 1_000));
  }

  @Test
  void deniesAReservationLargerThanTheWholeLimitAtOnceAndCountsNothing() {
    LimitCheck tpm = tpm("a", 100);
    LimitCheck day = check("a", LimitKind.TOKENS_PER_DAY, 1_000_000);
    Admission.Denied denied = denied(reserve(List.of(day, tpm), 101, T0));
    assertThat(denied.check()).isEqualTo(tpm);
    assertThat(denied.exceedsWholeLimit()).isTrue();
    assertThat(denied.requested()).isEqualTo(101);
    assertThat(denied.message()).contains("more than the whole limit");
    assertThat(roomLeft(tpm, T0)).isEqualTo(100);
    assertThat(roomLeft(day, T0)).isEqualTo(1_000_000);
  }

  @Test
  void anEmptyListOfChecksIsAlwaysAllowed() {
    assertThat(allowed(reserve(List.of(), 1_000_000, T0)).remaining()).isEmpty();
  }

  @Test
  void aZeroLimitDeniesEvenAnEmptyReservationOfRequests() {
    LimitCheck rpm = check("a", LimitKind.REQUESTS_PER_MINUTE, 0);
    assertThat(denied(reserve(List.of(rpm), 0, T0)).exceedsWholeLimit()).isTrue();
  }

  // ---- settling ------------------------------------------------------------------------------------

  @Test
  void settleRefundsWhatTheResponseDidNotUse() {
    LimitCheck tpm = tpm("a", 100);
    String id = nextRequestId();
    allowed(reserve(id, List.of(tpm), 80, T0));
    settle(id, List.of(tpm), 80, 30, T0 + 5_000);
    assertThat(allowed(reserve(List.of(tpm), 70, T0 + 6_000)).remaining().getFirst().remaining()).isZero();
    denied(reserve(List.of(tpm), 1, T0 + 7_000));
  }

  @Test
  void settleChargesAnOverdraftThatDeniesUntilTheWindowEnds() {
    LimitCheck tpm = tpm("a", 100);
    String id = nextRequestId();
    allowed(reserve(id, List.of(tpm), 50, T0));
    settle(id, List.of(tpm), 50, 130, T0 + 5_000);

    Admission.Denied denied = denied(reserve(List.of(tpm), 0, T0 + 10_000));
    assertThat(denied.retryAfterMillis()).isEqualTo(50_000);
    allowed(reserve(List.of(tpm), 100, T0 + 60_000));
  }

  @Test
  void aRefundNeverTakesACounterBelowZero() {
    LimitCheck tpm = tpm("a", 100);
    String id = nextRequestId();
    allowed(reserve(id, List.of(tpm), 10, T0));
    // The caller claims more was reserved than was: the counter stops at zero, it does not owe 40.
    settle(id, List.of(tpm), 50, 0, T0);
    assertThat(roomLeft(tpm, T0)).isEqualTo(100);
    allowed(reserve(List.of(tpm), 100, T0));
    denied(reserve(List.of(tpm), 1, T0));
  }

  @Test
  void settlingTwiceCountsOnce() {
    LimitCheck tpm = tpm("a", 1_000);
    LimitCheck day = check("a", LimitKind.TOKENS_PER_DAY, 10_000);
    String refunded = nextRequestId();
    String overdrawn = nextRequestId();
    allowed(reserve(refunded, List.of(tpm, day), 300, T0));
    allowed(reserve(overdrawn, List.of(tpm, day), 100, T0));
    for (int i = 0; i < 3; i++) {
      settle(refunded, List.of(tpm, day), 300, 100, T0 + 1_000);
      settle(overdrawn, List.of(tpm, day), 100, 250, T0 + 1_000);
    }
    // 100 + 250 used.
    assertThat(roomLeft(tpm, T0 + 2_000)).isEqualTo(650);
    assertThat(roomLeft(day, T0 + 2_000)).isEqualTo(9_650);
  }

  @Test
  void settlingAnUnknownRequestDoesNothing() {
    LimitCheck tpm = tpm("a", 100);
    allowed(reserve(List.of(tpm), 50, T0));
    settle(scope + "-never-reserved", List.of(tpm), 50, 0, T0);
    assertThat(roomLeft(tpm, T0)).isEqualTo(50);
  }

  @Test
  void settleAdjustsTheWindowTheReservationWasMadeIn() {
    LimitCheck tpm = tpm("a", 100);
    LimitCheck day = check("a", LimitKind.TOKENS_PER_DAY, 1_000);
    String id = nextRequestId();
    allowed(reserve(id, List.of(tpm, day), 80, T0 + 59_000));
    allowed(reserve(List.of(tpm), 100, T0 + 61_000)); // the next minute is full

    // The response ends in the next minute: the refund goes to the minute it was reserved in (over
    // now, so it changes nothing) and to today's quota, never to the new minute.
    settle(id, List.of(tpm, day), 80, 20, T0 + 62_000);
    denied(reserve(List.of(tpm), 1, T0 + 63_000));
    assertThat(roomLeft(day, T0 + 63_000)).isEqualTo(980);
  }

  @Test
  void settleLeavesRequestCountersAlone() {
    LimitCheck rpm = check("a", LimitKind.REQUESTS_PER_MINUTE, 2);
    String id = nextRequestId();
    allowed(reserve(id, List.of(rpm), 500, T0));
    settle(id, List.of(rpm), 500, 0, T0);
    assertThat(allowed(reserve(List.of(rpm), 500, T0)).remaining().getFirst().remaining()).isZero();
  }

  // ---- windows -------------------------------------------------------------------------------------

  @ParameterizedTest(name = "{0} rolls over at {2}")
  @CsvSource({
    "TOKENS_PER_MINUTE,   2025-03-10T12:00:59.999Z, 2025-03-10T12:01:00Z, 2025-03-10T12:02:00Z",
    "REQUESTS_PER_MINUTE, 2025-03-10T23:59:59.999Z, 2025-03-11T00:00:00Z, 2025-03-11T00:01:00Z",
    "TOKENS_PER_HOUR,     2025-03-10T12:59:59.999Z, 2025-03-10T13:00:00Z, 2025-03-10T14:00:00Z",
    "TOKENS_PER_DAY,      2024-02-28T23:59:59.999Z, 2024-02-29T00:00:00Z, 2024-03-01T00:00:00Z",
    "TOKENS_PER_WEEK,     2025-03-16T23:59:59.999Z, 2025-03-17T00:00:00Z, 2025-03-24T00:00:00Z",
    "TOKENS_PER_MONTH,    2024-02-29T23:59:59.999Z, 2024-03-01T00:00:00Z, 2024-04-01T00:00:00Z",
    "TOKENS_PER_MONTH,    2025-04-30T23:59:59.999Z, 2025-05-01T00:00:00Z, 2025-06-01T00:00:00Z",
    "TOKENS_PER_YEAR,     2024-12-31T23:59:59.999Z, 2025-01-01T00:00:00Z, 2026-01-01T00:00:00Z",
  })
  void rollsOverAtTheUtcBoundary(LimitKind kind, String lastMillisecond, String boundary, String nextBoundary) {
    LimitCheck check = check("a", kind, kind.cost(3)); // full after one reservation of 3 tokens
    long last = at(lastMillisecond);
    Remaining filled = allowed(reserve(List.of(check), 3, last)).remaining().getFirst();
    assertThat(filled.resetEpochMillis()).isEqualTo(at(boundary));

    Admission.Denied denied = denied(reserve(List.of(check), 3, last));
    assertThat(denied.quota()).isEqualTo(kind.quota());
    assertThat(denied.retryAfterMillis()).isEqualTo(1);
    assertThat(denied.resetEpochMillis()).isEqualTo(at(boundary));

    Remaining fresh = allowed(reserve(List.of(check), 3, at(boundary))).remaining().getFirst();
    assertThat(fresh.remaining()).isZero();
    assertThat(fresh.resetEpochMillis()).isEqualTo(at(nextBoundary));
  }

  @Test
  void reportsTheEndOfEachKindsUtcWindow() {
    long now = at("2024-02-29T13:14:15.926Z");
    List<LimitCheck> checks = new ArrayList<>();
    for (LimitKind kind : LimitKind.values()) {
      checks.add(check("all", kind, 1_000));
    }
    List<Remaining> remaining = allowed(reserve(checks, 10, now)).remaining();
    for (int i = 0; i < checks.size(); i++) {
      LimitKind kind = checks.get(i).kind();
      assertThat(remaining.get(i).resetEpochMillis()).as("%s", kind).isEqualTo(Window.of(kind, now).endEpochMillis());
      assertThat(remaining.get(i).remaining()).isEqualTo(kind.countsRequests() ? 999 : 990);
    }
  }

  // ---- concurrency ---------------------------------------------------------------------------------

  static final int THREADS = 32;
  static final int LIMIT = 10_000;
  static final int MAX_RESERVATION = 50;
  static final long LEDGER_LIMIT = 1_000_000_000L;

  /** Reservations per thread; enough that the demand is several times the limit. */
  protected int attemptsPerThread() {
    return 200;
  }

  @Test
  void aHammerOnOneKeyNeverAdmitsMoreThanTheLimit() throws Exception {
    LimitCheck tpm = tpm("hot", LIMIT);
    AtomicLong admitted = new AtomicLong();
    hammer(
        (random, thread, attempt) -> {
          long tokens = 1 + random.nextInt(MAX_RESERVATION);
          if (reserve(scope + "-" + thread + "-" + attempt, List.of(tpm), tokens, T0 + 1_000)
              instanceof Admission.Allowed) {
            admitted.addAndGet(tokens);
          }
        });
    // Demand is far above the limit, so the last refusal came within one reservation of it.
    assertThat(admitted.get()).isLessThanOrEqualTo(LIMIT).isGreaterThan(LIMIT - MAX_RESERVATION);
  }

  @Test
  void aHammerWithSettlesOvershootsByAtMostTheInFlightReservationsAndLosesNoUpdate() throws Exception {
    LimitCheck tpm = tpm("hot", LIMIT);
    // A second counter no reservation can fill records every token counted: settles, rollbacks and
    // all. It comes first, so the in-memory store must roll it back whenever the minute refuses.
    LimitCheck ledger = check("ledger", LimitKind.TOKENS_PER_DAY, LEDGER_LIMIT);
    List<LimitCheck> checks = List.of(ledger, tpm);
    AtomicLong used = new AtomicLong();
    hammer(
        (random, thread, attempt) -> {
          String id = scope + "-" + thread + "-" + attempt;
          long tokens = 1 + random.nextInt(MAX_RESERVATION);
          if (reserve(id, checks, tokens, T0 + 1_000) instanceof Admission.Allowed) {
            long actual = random.nextLong(2 * tokens + 1); // refunds and overdrafts
            settle(id, checks, tokens, actual, T0 + 2_000);
            used.addAndGet(actual);
          }
        });
    // Each admission left the counter within the limit; only settles of reservations in flight at the
    // last admission (one per thread at most) can add to it, each by at most its own size.
    assertThat(used.get()).isLessThanOrEqualTo(LIMIT + (long) THREADS * MAX_RESERVATION);
    assertThat(LEDGER_LIMIT - roomLeft(ledger, T0 + 3_000)).isEqualTo(used.get());
  }

  interface Step {
    void run(SplittableRandom random, int thread, int attempt) throws Exception;
  }

  private void hammer(Step step) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  SplittableRandom random = new SplittableRandom(thread);
                  start.await();
                  for (int attempt = 0; attempt < attemptsPerThread(); attempt++) {
                    step.run(random, thread, attempt);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
