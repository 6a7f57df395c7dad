package dev.spillway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.BreakerConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PredictiveSpill;
import dev.spillway.core.config.PtuStation;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.SessionAffinity;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.breaker.BreakerState;
import dev.spillway.core.time.ManualTicker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The router's decisions beyond plain priority: the fixed PTU wait ({@code ptuWait: fixed}; the station has its own
 * test), breakers, deadline, predictive spill, affinity, strategies.
 */
class RouterDecisionsTest {
  private static final Duration BUDGET = Duration.ofMillis(1500);
  private final ManualTicker ticker = new ManualTicker(5_000_000_000L);
  private final Router router = new Router(RoutingConfig.DEFAULTS);
  private final SplittableRandom random = new SplittableRandom(11);

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

  private static ModelConfig model(ModelConfig base, Duration wait, int waiters, PredictiveSpill predictive, SessionAffinity affinity) {
    ModelConfig.Builder model =
        base.toBuilder()
            .ptuWait(PtuStation.Mode.FIXED)
            .maxWaitForPtu(wait)
            .maxPtuWaiters(waiters)
            .predictiveSpill(predictive);
    if (affinity != null) {
      model.affinity(affinity);
    }
    return model.build();
  }

  private static ModelConfig ptuAndPayg() {
    return ModelConfig.builder()
        .name("gpt-4o")
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backend("ptu-a", Tier.PTU, 1), backend("ptu-b", Tier.PTU, 1), backend("payg", Tier.PAYG, 2)))
        .build();
  }

  private Pool poolWithBudget(Duration budget, int waiters) {
    return new Pool(model(ptuAndPayg(), budget, waiters, PredictiveSpill.OFF, null));
  }

  private void throttle(Pool pool, String id, long millis) {
    router.onThrottled(pool.backend(id).orElseThrow(), OptionalLong.of(millis), ticker.read());
  }

  private RouteDecision choose(Pool pool, AttemptCycle cycle) {
    return router.choose(pool, cycle, ticker.read(), random);
  }

  private static String used(RouteDecision d) {
    assertThat(d).isInstanceOf(RouteDecision.Use.class);
    return ((RouteDecision.Use) d).backend().id();
  }

  @Test
  void waitsForAPtuThatFreesJustInsideTheBudget() {
    Pool pool = poolWithBudget(BUDGET, 10);
    throttle(pool, "ptu-a", 1500);
    throttle(pool, "ptu-b", 4000);

    RouteDecision d = choose(pool, pool.newCycle());

    assertThat(d).isEqualTo(new RouteDecision.Wait(Duration.ofMillis(1500).toNanos()));
    assertThat(pool.ptuWaiters()).isEqualTo(1);
  }

  @Test
  void spillsAtOnceWhenThePtuFreesJustOutsideTheBudget() {
    Pool pool = poolWithBudget(BUDGET, 10);
    throttle(pool, "ptu-a", 1501);
    throttle(pool, "ptu-b", 4000);

    assertThat(used(choose(pool, pool.newCycle()))).isEqualTo("payg");
    assertThat(pool.ptuWaiters()).isZero();
  }

  @Test
  void afterWaitingTheThrottledPtuIsTriedAgainEvenThoughThisCycleTriedIt() {
    Pool pool = poolWithBudget(BUDGET, 10);
    AttemptCycle cycle = pool.newCycle();
    // The request tried both PTUs and both answered 429.
    for (int i = 0; i < 2; i++) {
      BackendState b = ((RouteDecision.Use) choose(pool, cycle)).backend();
      cycle.record(b);
      router.onThrottled(b, OptionalLong.of(b.id().equals("ptu-a") ? 400 : 5000), ticker.read());
    }
    RouteDecision wait = choose(pool, cycle);
    assertThat(wait).isInstanceOf(RouteDecision.Wait.class);

    ticker.advanceMillis(400);
    router.afterWait(pool, cycle, Duration.ofMillis(400).toNanos(), ticker.read());

    assertThat(used(choose(pool, cycle))).isEqualTo("ptu-a");
    assertThat(pool.ptuWaiters()).isZero();
    assertThat(cycle.waitedNanos()).isEqualTo(Duration.ofMillis(400).toNanos());
  }

  @Test
  void aRequestWaitsForPtuAtMostOnce() {
    Pool pool = poolWithBudget(BUDGET, 10);
    AttemptCycle cycle = pool.newCycle();
    throttle(pool, "ptu-a", 200);
    throttle(pool, "ptu-b", 200);
    assertThat(choose(pool, cycle)).isInstanceOf(RouteDecision.Wait.class);
    ticker.advanceMillis(200);
    router.afterWait(pool, cycle, Duration.ofMillis(200).toNanos(), ticker.read());
    // Other waiters took the freed capacity: both PTUs throttle again for 200 ms. Plenty of budget
    // is left, but a second wait would only repeat the stampede: the request spills.
    throttle(pool, "ptu-a", 200);
    throttle(pool, "ptu-b", 200);
    assertThat(used(choose(pool, cycle))).isEqualTo("payg");
  }

  @Test
  void waitersAreBoundedAndTheRestSpill() {
    Pool pool = poolWithBudget(BUDGET, 2);
    throttle(pool, "ptu-a", 500);
    throttle(pool, "ptu-b", 500);
    assertThat(choose(pool, pool.newCycle())).isInstanceOf(RouteDecision.Wait.class);
    assertThat(choose(pool, pool.newCycle())).isInstanceOf(RouteDecision.Wait.class);
    assertThat(used(choose(pool, pool.newCycle()))).isEqualTo("payg");
    router.abandonWait(pool, pool.newCycle());
    assertThat(choose(pool, pool.newCycle())).isInstanceOf(RouteDecision.Wait.class);
  }

  @Test
  void noWaitWhileAnyPtuCanTakeTheCall() {
    Pool pool = poolWithBudget(BUDGET, 10);
    throttle(pool, "ptu-a", 500);
    assertThat(used(choose(pool, pool.newCycle()))).isEqualTo("ptu-b");
  }

  @Test
  void zeroBudgetNeverWaits() {
    Pool pool = poolWithBudget(Duration.ZERO, 10);
    throttle(pool, "ptu-a", 1);
    throttle(pool, "ptu-b", 1);
    assertThat(used(choose(pool, pool.newCycle()))).isEqualTo("payg");
  }

  @Test
  void theWaitNeverOutlastsTheRequestDeadline() {
    Pool pool = poolWithBudget(BUDGET, 10);
    throttle(pool, "ptu-a", 1000);
    throttle(pool, "ptu-b", 1000);
    AttemptCycle cycle = pool.newCycle(ticker.read() + Duration.ofMillis(800).toNanos(), 0, Optional.empty());
    assertThat(used(choose(pool, cycle))).isEqualTo("payg");
  }

  @Test
  void pastTheDeadlineTheRequestIsExhausted() {
    Pool pool = poolWithBudget(BUDGET, 10);
    AttemptCycle cycle = pool.newCycle(ticker.read() + 1_000, 0, Optional.empty());
    ticker.advanceMillis(1);
    assertThat(choose(pool, cycle)).isInstanceOfSatisfying(RouteDecision.Exhausted.class,
        e -> assertThat(e.deadlinePassed()).isTrue());
  }

  @Test
  void anOpenBreakerTakesTheBackendOutAndTellsWhenItPermitsAgain() {
    // At 100 % the breakers may hold out the whole pool; the default would keep the only backend on trial (EjectionCapTest).
    BreakerConfig tight = new BreakerConfig(true, 2, 0, 2, Duration.ofSeconds(30), Duration.ofSeconds(20), true, 1, Set.of(500))
        .withMaxEjectedPercent(100);
    Pool pool = new Pool(ModelConfig.builder()
        .name("m")
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backend("only", Tier.PAYG, 1)))
        .build(), tight);
    BackendState only = pool.backend("only").orElseThrow();
    only.breaker().onFailure(ticker.read(), OptionalLong.empty());
    only.breaker().onFailure(ticker.read(), OptionalLong.empty());
    assertThat(only.breaker().state(ticker.read())).isEqualTo(BreakerState.OPEN);

    RouteDecision d = choose(pool, pool.newCycle());

    assertThat(d).isInstanceOfSatisfying(RouteDecision.Exhausted.class, e -> {
      assertThat(e.nanosUntilThrottleEnds()).isEmpty();
      assertThat(e.nanosUntilBreakerPermits()).hasValue(Duration.ofSeconds(20).toNanos());
    });
    ticker.advance(Duration.ofSeconds(20));
    assertThat(used(choose(pool, pool.newCycle()))).isEqualTo("only");
    // Half-open allows one probe at a time.
    assertThat(choose(pool, pool.newCycle())).isInstanceOf(RouteDecision.Exhausted.class);
  }

  @Test
  void aForcedOpenBackendIsNeverChosenAndGivesNoRetryTime() {
    Pool pool = poolWithBudget(Duration.ZERO, 10);
    for (BackendState b : pool.backends()) {
      b.breaker().forceOpen(ticker.read());
    }
    assertThat(choose(pool, pool.newCycle())).isInstanceOfSatisfying(RouteDecision.Exhausted.class,
        e -> assertThat(e.nanosUntilSoonestFree()).isEmpty());
  }

  @Test
  void predictiveSpillPassesOverABusyPtuWhileAnotherBackendQualifies() {
    Pool pool = new Pool(model(ptuAndPayg(), Duration.ZERO, 10, new PredictiveSpill(true, 90, true), null));
    pool.backend("ptu-a").orElseThrow().reportUtilization(93.5, ticker.read());
    pool.backend("ptu-b").orElseThrow().reportUtilization(90.0, ticker.read());
    assertThat(used(choose(pool, pool.newCycle()))).isEqualTo("payg");

    pool.backend("ptu-b").orElseThrow().reportUtilization(70, ticker.read());
    assertThat(used(choose(pool, pool.newCycle()))).isEqualTo("ptu-b");
  }

  @Test
  void aBusyPtuIsProbedAgainOnceItsReportIsHalfASecondOld() {
    Pool pool = new Pool(model(ptuAndPayg(), Duration.ZERO, 10, new PredictiveSpill(true, 90, true), null));
    pool.backends().stream().filter(b -> b.config().tier() == Tier.PTU).forEach(b -> b.reportUtilization(99, ticker.read()));
    ticker.advance(Duration.ofMillis(499));
    assertThat(used(choose(pool, pool.newCycle()))).isEqualTo("payg");

    ticker.advance(Duration.ofMillis(2));

    assertThat(used(choose(pool, pool.newCycle()))).startsWith("ptu-");
  }

  @Test
  void predictiveSpillStillUsesABusyBackendWhenNothingElseQualifies() {
    Pool pool = new Pool(model(ptuAndPayg(), Duration.ZERO, 10, new PredictiveSpill(true, 90, true), null));
    pool.backends().forEach(b -> b.reportUtilization(99, ticker.read()));
    pool.backend("payg").orElseThrow().reportRemainingTokens(10, ticker.read());
    AttemptCycle cycle = pool.newCycle(Long.MAX_VALUE, 500, Optional.empty());
    assertThat(used(choose(pool, cycle))).startsWith("ptu-");
  }

  @Test
  void predictiveSpillSkipsPaygWithLessRemainingThanTheEstimate() {
    ModelConfig twoPayg = ModelConfig.builder()
        .name("m")
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backend("payg-1", Tier.PAYG, 1), backend("payg-2", Tier.PAYG, 2)))
        .build();
    Pool pool = new Pool(model(twoPayg, Duration.ZERO, 10, new PredictiveSpill(true, 90, true), null));
    pool.backend("payg-1").orElseThrow().reportRemainingTokens(400, ticker.read());
    assertThat(used(choose(pool, pool.newCycle(Long.MAX_VALUE, 500, Optional.empty())))).isEqualTo("payg-2");
    assertThat(used(choose(pool, pool.newCycle(Long.MAX_VALUE, 300, Optional.empty())))).isEqualTo("payg-1");
    // Reports go stale: after half a second the old figure no longer steers.
    ticker.advance(Duration.ofMillis(501));
    assertThat(used(choose(pool, pool.newCycle(Long.MAX_VALUE, 500, Optional.empty())))).isEqualTo("payg-1");
  }

  @Test
  void aPinnedSessionStaysOnItsBackendWhileItIsAvailable() {
    ModelConfig same = ModelConfig.builder()
        .name("m")
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backend("a", Tier.PTU, 1), backend("b", Tier.PTU, 1), backend("c", Tier.PTU, 1)))
        .build();
    Pool pool = new Pool(model(same, Duration.ZERO, 10, PredictiveSpill.OFF, new SessionAffinity(SessionAffinity.Source.HEADER, "x-session")));
    pool.pin("s-1", pool.backend("c").orElseThrow());
    for (int i = 0; i < 50; i++) {
      assertThat(used(choose(pool, pool.newCycle(Long.MAX_VALUE, 0, Optional.of("s-1"))))).isEqualTo("c");
    }
    throttle(pool, "c", 1000);
    assertThat(used(choose(pool, pool.newCycle(Long.MAX_VALUE, 0, Optional.of("s-1"))))).isNotEqualTo("c");
  }

  @Test
  void aBackendIsPassedOverWhileARequestWouldSurelyExceedItsDeclaredCapacity() {
    // A PTU under the fixed wait (under the station its capacity is the drain model's rate instead, StationTest).
    BackendConfig small = BackendConfig.builder()
        .id("small-ptu")
        .type(BackendType.AZURE)
        .url(URI.create("http://127.0.0.1:1"))
        .deployment("d")
        .tier(Tier.PTU)
        .priority(1)
        .region("r")
        .capacity(new dev.spillway.core.config.BackendCapacity(java.util.OptionalLong.of(1000), java.util.OptionalLong.empty()))
        .build();
    Pool pool = new Pool(ModelConfig.builder()
        .name("m")
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(small, backend("payg", Tier.PAYG, 2)))
        .ptuWait(PtuStation.Mode.FIXED)
        .build());
    BackendState ptu = pool.backend("small-ptu").orElseThrow();
    for (int i = 0; i < 2; i++) {
      AttemptCycle cycle = pool.newCycle(Long.MAX_VALUE, 400, Optional.empty());
      assertThat(used(choose(pool, cycle))).isEqualTo("small-ptu");
      ptu.recordSent(400, ticker.read());
    }
    // 800 sent this minute: another 400 would pass the declared 1000.
    assertThat(used(choose(pool, pool.newCycle(Long.MAX_VALUE, 400, Optional.empty())))).isEqualTo("payg");
    assertThat(used(choose(pool, pool.newCycle(Long.MAX_VALUE, 150, Optional.empty())))).isEqualTo("small-ptu");
    // A new minute starts from zero.
    ticker.advance(Duration.ofSeconds(60));
    assertThat(used(choose(pool, pool.newCycle(Long.MAX_VALUE, 400, Optional.empty())))).isEqualTo("small-ptu");
  }

  @Test
  void aBackendOverItsCapacityIsStillUsedWhenNothingElseCanTakeTheCall() {
    BackendConfig only = BackendConfig.builder()
        .id("only")
        .type(BackendType.AZURE)
        .url(URI.create("http://127.0.0.1:1"))
        .deployment("d")
        .tier(Tier.PAYG)
        .priority(1)
        .region("r")
        .capacity(new dev.spillway.core.config.BackendCapacity(java.util.OptionalLong.empty(), java.util.OptionalLong.of(1)))
        .build();
    Pool pool = new Pool(ModelConfig.builder()
        .name("m")
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(only))
        .build());
    pool.backend("only").orElseThrow().recordSent(10, ticker.read());
    assertThat(used(choose(pool, pool.newCycle(Long.MAX_VALUE, 10, Optional.empty())))).isEqualTo("only");
  }

  @Test
  void nonPriorityStrategiesIgnorePriorities() {
    ModelConfig rr = ModelConfig.builder()
        .name("m")
        .strategy(RoutingStrategy.ROUND_ROBIN)
        .backends(List.of(backend("a", Tier.PTU, 1), backend("b", Tier.PAYG, 2), backend("c", Tier.PAYG, 3)))
        .build();
    Pool pool = new Pool(rr);
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      picks.add(used(choose(pool, pool.newCycle())));
    }
    assertThat(picks).containsExactly("a", "b", "c", "a", "b", "c");
  }

  @Test
  void priorityGroupsUseTheirGroupStrategy() {
    ModelConfig grouped = ModelConfig.builder()
        .name("m")
        .strategy(RoutingStrategy.PRIORITY)
        .groupStrategy(RoutingStrategy.ROUND_ROBIN)
        .backends(List.of(backend("a", Tier.PTU, 1), backend("b", Tier.PTU, 1), backend("c", Tier.PAYG, 2)))
        .build();
    Pool pool = new Pool(grouped);
    List<String> picks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picks.add(used(choose(pool, pool.newCycle())));
    }
    assertThat(picks).containsExactly("a", "b", "a", "b");
  }
}
