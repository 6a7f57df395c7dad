package dev.spillway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.BreakerConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.breaker.BreakerState;
import dev.spillway.core.time.ManualTicker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pool's cap on what its breakers may hold out ({@code routing.breaker.maxEjectedPercent}): a pool is never dark
 * because of its breakers alone, the backend put on trial gets a trickle, and throttles and forced-open backends are
 * not its business. On the manual ticker; the breakers trip on one failure unless a test says otherwise.
 */
class EjectionCapTest {
  private static final Duration TRIP = Duration.ofSeconds(30);
  private static final BreakerConfig ONE_FAILURE_TRIPS = new BreakerConfig(
      true, 1, 0, 1, Duration.ofSeconds(30), TRIP, true, 1, java.util.Set.of(500, 502, 503, 504));

  private final ManualTicker ticker = new ManualTicker(7_000_000_000L);
  private final Router router = new Router(RoutingConfig.DEFAULTS);
  private final SplittableRandom random = new SplittableRandom(3);

  private static BackendConfig backend(String id, Tier tier, int priority) {
    return BackendConfig.builder()
        .id(id)
        .type(BackendType.AZURE)
        .url(URI.create("http://127.0.0.1:1"))
        .deployment(id)
        .tier(tier)
        .priority(priority)
        .region("r")
        .build();
  }

  /** PAYG backends {@code ids}, in priority order (the first is preferred). */
  private static Pool pool(BreakerConfig breaker, String... ids) {
    List<BackendConfig> backends = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      backends.add(backend(ids[i], Tier.PAYG, i + 1));
    }
    return new Pool(ModelConfig.builder().name("m").strategy(RoutingStrategy.PRIORITY).backends(backends).build(), breaker);
  }

  private BackendState trip(Pool pool, String id) {
    BackendState b = pool.backend(id).orElseThrow();
    b.breaker().onFailure(ticker.read(), OptionalLong.empty());
    assertThat(b.breaker().state(ticker.read())).isEqualTo(BreakerState.OPEN);
    return b;
  }

  private RouteDecision choose(Pool pool) {
    return router.choose(pool, pool.newCycle(), ticker.read(), random);
  }

  private static String used(RouteDecision d) {
    assertThat(d).isInstanceOf(RouteDecision.Use.class);
    return ((RouteDecision.Use) d).backend().id();
  }

  private void answer(Pool pool, RouteDecision d, AttemptResult result, int status) {
    BackendState b = ((RouteDecision.Use) d).backend();
    router.feedback(pool, b, AttemptFeedback.ofEnd(result, status, OptionalLong.empty(), router.config()), 0, ticker.read());
  }

  private BreakerState state(Pool pool, String id) {
    return pool.backend(id).orElseThrow().breaker().state(ticker.read());
  }

  @Test
  void whenEveryBreakerOfAPoolIsOpenTheOneOpenedFirstStillGetsATrickle() {
    Pool pool = pool(ONE_FAILURE_TRIPS, "a", "b");
    trip(pool, "b"); // b opened first: its open time ends first, although a is preferred
    ticker.advance(Duration.ofSeconds(1));
    trip(pool, "a");

    RouteDecision trial = choose(pool);

    assertThat(used(trial)).isEqualTo("b");
    assertThat(state(pool, "a")).isEqualTo(BreakerState.OPEN); // one on trial is enough
    // While the trial call is in flight everyone else is refused fast, as a half-open breaker refuses them.
    assertThat(choose(pool)).isInstanceOfSatisfying(RouteDecision.Exhausted.class,
        e -> assertThat(e.nanosUntilBreakerPermits()).isPresent());
    answer(pool, trial, AttemptResult.OK, 200);
    assertThat(state(pool, "b")).isEqualTo(BreakerState.CLOSED);
    for (int i = 0; i < 5; i++) {
      RouteDecision d = choose(pool);
      assertThat(used(d)).isEqualTo("b"); // traffic flows again; a waits out its own open time
      answer(pool, d, AttemptResult.OK, 200);
    }
    assertThat(state(pool, "a")).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void aFailedTrialReopensThatBackendForAWholeTripAndTheNextOneGoesOnTrial() {
    Pool pool = pool(ONE_FAILURE_TRIPS, "a", "b");
    trip(pool, "a");
    ticker.advance(Duration.ofSeconds(1));
    trip(pool, "b");

    RouteDecision first = choose(pool);
    assertThat(used(first)).isEqualTo("a");
    ticker.advanceMillis(100);
    answer(pool, first, AttemptResult.SERVER_ERROR, 500);
    assertThat(pool.backend("a").orElseThrow().breaker().nanosUntilPermitted(ticker.read())).isEqualTo(TRIP.toNanos());

    RouteDecision second = choose(pool);
    assertThat(used(second)).isEqualTo("b"); // now b's open time ends first
    ticker.advanceMillis(100);
    answer(pool, second, AttemptResult.CONNECT_ERROR, 0);
    assertThat(used(choose(pool))).isEqualTo("a");
  }

  @Test
  void aFullTieGoesToTheEarlierInConfig() {
    Pool pool = pool(ONE_FAILURE_TRIPS, "a", "b");
    trip(pool, "b");
    trip(pool, "a"); // the same reading, one failure each

    assertThat(used(choose(pool))).isEqualTo("a");
  }

  @Test
  void theLeastFailedWinsWhenBothOpenTimesEndTogether() {
    BreakerConfig rate = new BreakerConfig(true, 0, 50, 2, Duration.ofSeconds(30), TRIP, true, 1, java.util.Set.of(500));
    Pool pool = pool(rate, "a", "b");
    BackendState a = pool.backend("a").orElseThrow();
    BackendState b = pool.backend("b").orElseThrow();
    for (int i = 0; i < 4; i++) {
      a.breaker().onSuccess(ticker.read());
    }
    for (int i = 0; i < 4; i++) {
      a.breaker().onFailure(ticker.read(), OptionalLong.empty()); // 4 of 8 opens a
    }
    b.breaker().onSuccess(ticker.read());
    b.breaker().onFailure(ticker.read(), OptionalLong.empty()); // 1 of 2 opens b at the same reading

    assertThat(used(choose(pool))).isEqualTo("b");
  }

  @Test
  void theCapHoldsOutNoMoreThanItsShareOfAPool() {
    Pool pool = pool(ONE_FAILURE_TRIPS.withMaxEjectedPercent(50), "a", "b", "c", "d");
    trip(pool, "c");
    ticker.advance(Duration.ofSeconds(1));
    trip(pool, "a");
    ticker.advance(Duration.ofSeconds(1));
    trip(pool, "b");

    // 3 of 4 open, 2 allowed: c (the first to open) is put on trial although d could take the call; on trial it
    // ranks by its priority like any backend, so it gets this call, and the next goes to d.
    assertThat(used(choose(pool))).isEqualTo("c");
    assertThat(state(pool, "c")).isEqualTo(BreakerState.HALF_OPEN);
    assertThat(pool.backend("c").orElseThrow().breaker().snapshot(ticker.read()).halfOpenEarly()).isTrue();
    assertThat(state(pool, "a")).isEqualTo(BreakerState.OPEN);
    assertThat(state(pool, "b")).isEqualTo(BreakerState.OPEN);
    assertThat(used(choose(pool))).isEqualTo("d");
  }

  @Test
  void atAHundredPercentTheBreakersMayHoldOutTheWholePool() {
    Pool pool = pool(ONE_FAILURE_TRIPS.withMaxEjectedPercent(100), "a", "b");
    trip(pool, "a");
    trip(pool, "b");

    assertThat(choose(pool)).isInstanceOfSatisfying(RouteDecision.Exhausted.class,
        e -> assertThat(e.nanosUntilBreakerPermits()).hasValue(TRIP.toNanos()));
  }

  @Test
  void byDefaultTheOnlyBackendOfAPoolIsNeverHeldOut() {
    Pool pool = pool(ONE_FAILURE_TRIPS, "only");
    trip(pool, "only");

    RouteDecision trial = choose(pool);

    assertThat(used(trial)).isEqualTo("only");
    assertThat(choose(pool)).isInstanceOf(RouteDecision.Exhausted.class); // one call at a time
  }

  @Test
  void aForcedOpenBackendCountsAsHeldOutButIsNeverPutOnTrial() {
    Pool pool = pool(ONE_FAILURE_TRIPS, "a", "b");
    pool.backend("a").orElseThrow().breaker().forceOpen(ticker.read());
    ticker.advance(Duration.ofSeconds(1));
    trip(pool, "b");

    assertThat(used(choose(pool))).isEqualTo("b"); // a's breaker and b's would otherwise hold out both
    assertThat(state(pool, "a")).isEqualTo(BreakerState.FORCED_OPEN);

    Pool forced = pool(ONE_FAILURE_TRIPS, "a", "b");
    forced.backends().forEach(b -> b.breaker().forceOpen(ticker.read()));
    assertThat(choose(forced)).isInstanceOf(RouteDecision.Exhausted.class); // the operator's decision stands
    assertThat(state(forced, "a")).isEqualTo(BreakerState.FORCED_OPEN);
    assertThat(state(forced, "b")).isEqualTo(BreakerState.FORCED_OPEN);
  }

  @Test
  void throttledBackendsAreNotEjectionsAndStillGetTheThrottleAnswer() {
    Pool pool = pool(ONE_FAILURE_TRIPS, "a", "b");
    router.onThrottled(pool.backend("a").orElseThrow(), OptionalLong.of(4_000), ticker.read());
    router.onThrottled(pool.backend("b").orElseThrow(), OptionalLong.of(2_000), ticker.read());

    assertThat(choose(pool)).isInstanceOfSatisfying(RouteDecision.Exhausted.class, e -> {
      assertThat(e.nanosUntilThrottleEnds()).hasValue(Duration.ofSeconds(2).toNanos());
      assertThat(e.nanosUntilBreakerPermits()).isEmpty();
    });

    // One throttled, one open: only one is held out by its breaker, which the cap allows; the pool answers 429.
    Pool mixed = pool(ONE_FAILURE_TRIPS, "a", "b");
    router.onThrottled(mixed.backend("a").orElseThrow(), OptionalLong.of(2_000), ticker.read());
    trip(mixed, "b");
    assertThat(choose(mixed)).isInstanceOfSatisfying(RouteDecision.Exhausted.class,
        e -> assertThat(e.nanosUntilThrottleEnds()).isPresent());
    assertThat(state(mixed, "b")).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void anOpenBackendThatIsAlsoThrottledIsPutOnTrialOnlyAfterOneThatIsNot() {
    Pool pool = pool(ONE_FAILURE_TRIPS, "a", "b");
    trip(pool, "a");
    router.onThrottled(pool.backend("a").orElseThrow(), OptionalLong.of(50_000), ticker.read());
    ticker.advance(Duration.ofSeconds(1));
    trip(pool, "b");

    assertThat(used(choose(pool))).isEqualTo("b");
    assertThat(state(pool, "a")).isEqualTo(BreakerState.OPEN);
  }

  @Test
  void afterARestartFailuresInFreshWindowsDoNotDarkenThePool() {
    // The default breaker: 3 fast failures before the first successes trip a fresh window (CircuitBreakerTest).
    Pool pool = pool(BreakerConfig.DEFAULTS, "a", "b");
    for (BackendState b : pool.backends()) {
      for (int i = 0; i < 3; i++) {
        b.breaker().onFailure(ticker.read(), OptionalLong.empty());
      }
      b.breaker().onSuccess(ticker.read());
      b.breaker().onSuccess(ticker.read());
      assertThat(b.breaker().state(ticker.read())).isEqualTo(BreakerState.OPEN);
      ticker.advanceMillis(10);
    }

    RouteDecision trial = choose(pool);
    assertThat(used(trial)).isEqualTo("a");
    answer(pool, trial, AttemptResult.OK, 200);

    for (int i = 0; i < 20; i++) {
      RouteDecision d = choose(pool);
      assertThat(used(d)).isEqualTo("a");
      answer(pool, d, AttemptResult.OK, 200);
      ticker.advanceMillis(50);
    }
  }
}
