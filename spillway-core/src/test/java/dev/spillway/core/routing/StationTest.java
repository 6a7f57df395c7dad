package dev.spillway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendCapacity;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.config.PtuStation;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.station.SpillReason;
import dev.spillway.core.time.ManualTicker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The station's decisions through the router, on a manual ticker: who waits, who spills and why, the order the queue
 * moves in, and its pace. One PTU drains 60,000 tokens a minute (1,000 a second); every request costs 500 tokens, so
 * the PTU takes one every half second once it is saturated.
 */
class StationTest {
  private static final long COST = 500;
  private static final long MS = 1_000_000L;
  private final ManualTicker ticker = new ManualTicker(5_000_000_000L);
  private final Router router = new Router(RoutingConfig.DEFAULTS);
  private final SplittableRandom random = new SplittableRandom(3);

  private static BackendConfig backend(String id, Tier tier, int priority, OptionalLong tpm) {
    return BackendConfig.builder()
        .id(id)
        .type(BackendType.AZURE)
        .url(URI.create("http://127.0.0.1:1"))
        .deployment(id)
        .tier(tier)
        .priority(priority)
        .region("r")
        .capacity(new BackendCapacity(tpm, OptionalLong.empty()))
        .build();
  }

  private static Pool pool(PtuStation station, OptionalLong ptuTpm) {
    return new Pool(
        ModelConfig.builder()
            .name("gpt-4o")
            .strategy(RoutingStrategy.PRIORITY)
            .backends(
                List.of(
                    backend("ptu", Tier.PTU, 1, ptuTpm), backend("payg", Tier.PAYG, 2, OptionalLong.empty())))
            .ptuStation(station)
            .build());
  }

  private static Pool pool(Duration standardBudget) {
    return pool(PtuStation.ofBudget(PtuStation.Mode.STATION, standardBudget), OptionalLong.of(60_000));
  }

  private AttemptCycle cycle(Pool pool, PriorityClass priority, List<String> woken, String name) {
    AttemptCycle c = pool.newCycle(Long.MAX_VALUE, COST, Optional.empty(), priority);
    c.onWake(() -> woken.add(name));
    return c;
  }

  private RouteDecision choose(Pool pool, AttemptCycle c) {
    return router.choose(pool, c, ticker.read(), random);
  }

  /** The PTU refuses {@code c}'s attempt with {@code retry-after-ms}. */
  private void refuse(Pool pool, AttemptCycle c, long retryMillis) {
    BackendState ptu = pool.backend("ptu").orElseThrow();
    c.record(ptu);
    AttemptFeedback head =
        AttemptFeedback.ofResponseHead(429, h -> null, OptionalLong.of(retryMillis), router.config());
    router.feedback(pool, ptu, head, COST, ticker.read());
  }

  private static String used(RouteDecision d) {
    assertThat(d).isInstanceOf(RouteDecision.Use.class);
    return ((RouteDecision.Use) d).backend().id();
  }

  private static long waitNanos(RouteDecision d) {
    assertThat(d).isInstanceOf(RouteDecision.Wait.class);
    return ((RouteDecision.Wait) d).nanos();
  }

  @Test
  void aRequestWaitsWhenThePtuWillTakeItWithinItsBudgetAndGoesWhenItFits() {
    Pool pool = pool(Duration.ofMillis(1500));
    List<String> woken = new ArrayList<>();
    AttemptCycle first = cycle(pool, PriorityClass.STANDARD, woken, "first");
    assertThat(used(choose(pool, first))).isEqualTo("ptu");
    refuse(pool, first, 400);

    long wait = waitNanos(choose(pool, first));
    assertThat(wait).isEqualTo(400 * MS);
    assertThat(pool.ptuWaiters()).isEqualTo(1);

    ticker.advance(Duration.ofNanos(wait));
    router.afterWait(pool, first, wait, ticker.read());
    assertThat(used(choose(pool, first))).isEqualTo("ptu");
    assertThat(pool.ptuWaiters()).isZero();
  }

  @Test
  void theQueueIsReleasedAtThePtusPaceNotAllAtOnce() {
    Pool pool = pool(Duration.ofMillis(1500));
    List<String> woken = new ArrayList<>();
    AttemptCycle a = cycle(pool, PriorityClass.STANDARD, woken, "a");
    choose(pool, a);
    refuse(pool, a, 200);
    AttemptCycle b = cycle(pool, PriorityClass.STANDARD, woken, "b");
    AttemptCycle c = cycle(pool, PriorityClass.STANDARD, woken, "c");
    assertThat(waitNanos(choose(pool, a))).isEqualTo(200 * MS);
    // b arrives with a ahead: 500 tokens ahead + its own 500, less the room the PTU has in 200 ms: 700 ms.
    assertThat(choose(pool, b)).isInstanceOf(RouteDecision.Wait.class);
    assertThat(pool.station().orElseThrow().counters().lastExpectedWaitNanos()).isEqualTo(700 * MS);
    assertThat(choose(pool, c)).isInstanceOf(RouteDecision.Wait.class);
    assertThat(pool.station().orElseThrow().counters().lastExpectedWaitNanos()).isEqualTo(1200 * MS);

    ticker.advanceMillis(200);
    assertThat(used(choose(pool, a))).isEqualTo("ptu");
    assertThat(woken).containsExactly("b"); // b is the head now, and asks at once
    // The PTU took a's 500 tokens: b fits half a second later, not now.
    assertThat(waitNanos(choose(pool, b))).isEqualTo(500 * MS);
    ticker.advanceMillis(499);
    assertThat(choose(pool, b)).isInstanceOf(RouteDecision.Wait.class);
    ticker.advanceMillis(1);
    assertThat(used(choose(pool, b))).isEqualTo("ptu");
    assertThat(woken).containsExactly("b", "c");
  }

  @Test
  void aRequestWhoseExpectedAdmissionIsBeyondItsBudgetSpillsAtOnce() {
    Pool pool = pool(Duration.ofMillis(600));
    List<String> woken = new ArrayList<>();
    AttemptCycle a = cycle(pool, PriorityClass.STANDARD, woken, "a");
    choose(pool, a);
    refuse(pool, a, 400);
    assertThat(choose(pool, a)).isInstanceOf(RouteDecision.Wait.class);

    AttemptCycle b = cycle(pool, PriorityClass.STANDARD, woken, "b"); // would fit after 900 ms
    assertThat(used(choose(pool, b))).isEqualTo("payg");
    assertThat(b.spilledBy()).contains(SpillReason.OVER_BUDGET);
    assertThat(pool.station().orElseThrow().counters().spilled(PriorityClass.STANDARD, SpillReason.OVER_BUDGET))
        .isEqualTo(1);
  }

  @Test
  void batchHasNoBudgetAndCriticalWaitsTwiceAsLong() {
    Pool pool = pool(Duration.ofMillis(500));
    List<String> woken = new ArrayList<>();
    AttemptCycle a = cycle(pool, PriorityClass.STANDARD, woken, "a");
    choose(pool, a);
    refuse(pool, a, 800);
    AttemptCycle batch = cycle(pool, PriorityClass.BATCH, woken, "batch");
    assertThat(used(choose(pool, batch))).isEqualTo("payg");
    assertThat(batch.spilledBy()).contains(SpillReason.NO_BUDGET);
    assertThat(used(choose(pool, a))).isEqualTo("payg"); // 800 ms > standard's 500 ms
    AttemptCycle critical = cycle(pool, PriorityClass.CRITICAL, woken, "critical");
    assertThat(waitNanos(choose(pool, critical))).isEqualTo(800 * MS); // within critical's 1 s
  }

  @Test
  void criticalGoesAheadOfStandardAndAStandardPushedPastItsBudgetLeavesAtOnce() {
    Pool pool = pool(Duration.ofMillis(1000));
    List<String> woken = new ArrayList<>();
    AttemptCycle s1 = cycle(pool, PriorityClass.STANDARD, woken, "s1");
    choose(pool, s1);
    refuse(pool, s1, 300);
    assertThat(choose(pool, s1)).isInstanceOf(RouteDecision.Wait.class); // fits after 300 ms
    AttemptCycle s2 = cycle(pool, PriorityClass.STANDARD, woken, "s2");
    assertThat(choose(pool, s2)).isInstanceOf(RouteDecision.Wait.class); // after 800 ms
    woken.clear();

    AttemptCycle critical = cycle(pool, PriorityClass.CRITICAL, woken, "critical");
    assertThat(waitNanos(choose(pool, critical))).isEqualTo(300 * MS);
    // s2 now has 1,000 tokens ahead: 1,300 ms > its 1 s budget. It is woken and spills without waiting out its timer.
    assertThat(woken).containsExactly("s2");
    assertThat(used(choose(pool, s2))).isEqualTo("payg");
    assertThat(s2.spilledBy()).contains(SpillReason.WAIT_OUTGREW);

    ticker.advanceMillis(300);
    assertThat(choose(pool, s1)).isInstanceOf(RouteDecision.Wait.class); // not the head: critical goes first
    assertThat(used(choose(pool, critical))).isEqualTo("ptu");
    assertThat(woken).contains("s1");
  }

  @Test
  void nobodyJumpsTheQueue() {
    Pool pool = pool(Duration.ofMillis(2000));
    List<String> woken = new ArrayList<>();
    AttemptCycle a = cycle(pool, PriorityClass.STANDARD, woken, "a");
    choose(pool, a);
    refuse(pool, a, 100);
    assertThat(choose(pool, a)).isInstanceOf(RouteDecision.Wait.class);
    ticker.advanceMillis(150); // the PTU has room now, but a has not asked yet
    AttemptCycle late = cycle(pool, PriorityClass.STANDARD, woken, "late");
    assertThat(choose(pool, late)).isInstanceOf(RouteDecision.Wait.class);
    assertThat(used(choose(pool, a))).isEqualTo("ptu");
  }

  @Test
  void underASustainedOverloadNobodyWaits() {
    Pool pool = pool(Duration.ofMillis(1500));
    List<String> woken = new ArrayList<>();
    // 1.2 x capacity for 20 s: 2.4 requests of 500 tokens a second against 2 a second.
    int served = 0;
    int queued = 0;
    for (int i = 0; i < 48; i++) {
      AttemptCycle c = cycle(pool, PriorityClass.STANDARD, woken, "r" + i);
      RouteDecision d = choose(pool, c);
      if (d instanceof RouteDecision.Wait) {
        queued++;
        pool.stationOrNull().leave(c);
      } else if (used(d).equals("ptu")) {
        served++;
        if (i == 0) {
          refuse(pool, c, 500);
        }
      }
      ticker.advanceMillis(417);
    }
    AttemptCycle c = cycle(pool, PriorityClass.STANDARD, woken, "last");
    BackendState ptu = pool.backend("ptu").orElseThrow();
    ptu.throttleUntil(ticker.read() + 200 * MS);
    ptu.drainThrottled(COST, 200 * MS, ticker.read());
    assertThat(used(choose(pool, c))).isEqualTo("payg");
    assertThat(c.spilledBy()).contains(SpillReason.OVERLOAD);
    assertThat(served + queued).isPositive();
  }

  @Test
  void withoutAKnownRateOnlyOneProbeIsInFlight() {
    Pool pool = pool(PtuStation.ofBudget(PtuStation.Mode.STATION, Duration.ofMillis(1500)), OptionalLong.empty());
    List<String> woken = new ArrayList<>();
    AttemptCycle a = cycle(pool, PriorityClass.STANDARD, woken, "a");
    choose(pool, a);
    refuse(pool, a, 300);
    assertThat(waitNanos(choose(pool, a))).isEqualTo(300 * MS);
    // Without a rate nothing behind a waiter can be timed: b spills.
    AttemptCycle b = cycle(pool, PriorityClass.STANDARD, woken, "b");
    assertThat(used(choose(pool, b))).isEqualTo("payg");
    ticker.advanceMillis(300);
    assertThat(used(choose(pool, a))).isEqualTo("ptu");
    // a is the probe: while it is out, a newcomer waits for its answer instead of going too.
    AttemptCycle c = cycle(pool, PriorityClass.STANDARD, woken, "c");
    assertThat(choose(pool, c)).isInstanceOf(RouteDecision.Wait.class);
    woken.clear();
    router.feedback(
        pool,
        pool.backend("ptu").orElseThrow(),
        AttemptFeedback.ofResponseHead(200, h -> null, OptionalLong.empty(), router.config()),
        COST,
        ticker.read());
    assertThat(woken).containsExactly("c");
    assertThat(used(choose(pool, c))).isEqualTo("ptu");
  }

  @Test
  void aReserveKeepsStandardOffAPtuAboveItsMark() {
    Pool pool =
        pool(
            PtuStation.ofBudget(PtuStation.Mode.STATION, Duration.ofMillis(1500)).withReserveForCritical(20),
            OptionalLong.of(60_000));
    List<String> woken = new ArrayList<>();
    AttemptCycle a = cycle(pool, PriorityClass.STANDARD, woken, "a");
    choose(pool, a);
    BackendState ptu = pool.backend("ptu").orElseThrow();
    a.record(ptu);
    router.feedback(
        pool,
        ptu,
        AttemptFeedback.ofResponseHead(
            429, h -> h.equals("azure-openai-deployment-utilization") ? "92.0%" : null, OptionalLong.of(200), router.config()),
        COST,
        ticker.read());
    AttemptCycle standard = cycle(pool, PriorityClass.STANDARD, woken, "standard");
    assertThat(used(choose(pool, standard))).isEqualTo("payg");
    assertThat(standard.spilledBy()).contains(SpillReason.RESERVED);
    AttemptCycle critical = cycle(pool, PriorityClass.CRITICAL, woken, "critical");
    assertThat(choose(pool, critical)).isInstanceOf(RouteDecision.Wait.class);
  }

  @Test
  void aReleasedRequestTheFullPtuRefusesKeepsItsPlaceAtTheHead() {
    Pool pool = pool(Duration.ofMillis(1500));
    List<String> woken = new ArrayList<>();
    AttemptCycle a = cycle(pool, PriorityClass.STANDARD, woken, "a");
    choose(pool, a);
    refuse(pool, a, 100);
    choose(pool, a);
    AttemptCycle b = cycle(pool, PriorityClass.STANDARD, woken, "b");
    assertThat(choose(pool, b)).isInstanceOf(RouteDecision.Wait.class);
    ticker.advanceMillis(100);
    assertThat(used(choose(pool, a))).isEqualTo("ptu");
    refuse(pool, a, 50); // the PTU was fuller than the model thought
    assertThat(waitNanos(choose(pool, a))).isEqualTo(50 * MS);
    ticker.advanceMillis(50);
    assertThat(choose(pool, b)).isInstanceOf(RouteDecision.Wait.class);
    assertThat(used(choose(pool, a))).isEqualTo("ptu");
  }

  @Test
  void theFixedWaitHasNoStation() {
    Pool pool =
        pool(PtuStation.ofBudget(PtuStation.Mode.FIXED, Duration.ofMillis(1500)), OptionalLong.of(60_000));
    assertThat(pool.station()).isEmpty();
    assertThat(PtuStation.ofBudget(PtuStation.Mode.STATION, Duration.ofSeconds(1)).budgets())
        .isEqualTo(
            Map.of(
                PriorityClass.CRITICAL, Duration.ofSeconds(2),
                PriorityClass.STANDARD, Duration.ofSeconds(1),
                PriorityClass.BATCH, Duration.ZERO));
  }

  @Test
  void aRequestClosedToPaygEndsInsteadOfSpillingAndStillWaitsWhenTheWaitPays() {
    Pool pool = pool(Duration.ofMillis(300));
    List<String> woken = new ArrayList<>();
    AttemptCycle a = cycle(pool, PriorityClass.STANDARD, woken, "a");
    a.denyPayg("this consumer may not use PAYG");
    assertThat(used(choose(pool, a))).isEqualTo("ptu");
    refuse(pool, a, 800); // beyond the 300 ms budget
    RouteDecision d = choose(pool, a);
    assertThat(d).isInstanceOf(RouteDecision.Exhausted.class);
    assertThat(a.expectedWaitNanos()).isEqualTo(800 * MS);

    AttemptCycle b = cycle(pool, PriorityClass.STANDARD, woken, "b");
    b.denyPayg("this consumer may not use PAYG");
    ticker.advanceMillis(600); // 200 ms left: within the budget, so it waits rather than ending
    assertThat(waitNanos(choose(pool, b))).isEqualTo(200 * MS);
    ticker.advanceMillis(200);
    assertThat(used(choose(pool, b))).isEqualTo("ptu");
  }

  @Test
  void aPtusDeclaredCapacityIsItsDrainRateNotAPerMinuteCap() {
    // After a quiet spell a provisioned deployment takes a burst on top of a minute's drain: nothing but the PTU's own
    // refusal (the drain model) holds requests back, however much went to it this minute.
    Pool pool = pool(Duration.ofMillis(1500));
    BackendState ptu = pool.backend("ptu").orElseThrow();
    ptu.recordSent(59_900, ticker.read()); // the per-minute count says: full
    List<String> woken = new ArrayList<>();
    assertThat(used(choose(pool, cycle(pool, PriorityClass.STANDARD, woken, "a")))).isEqualTo("ptu");
  }
}
