package dev.spillway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.ManualTicker;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RouterTest {
  private final ManualTicker ticker = new ManualTicker(1_000_000_000L);
  private final Router router = new Router(RoutingConfig.DEFAULTS);
  private final SplittableRandom random = new SplittableRandom(7);

  private static BackendConfig backend(String id, Tier tier, int priority, int weight) {
    return BackendConfig.builder()
        .id(id)
        .type(BackendType.AZURE)
        .url(URI.create("http://127.0.0.1:1"))
        .deployment(id)
        .tier(tier)
        .priority(priority)
        .weight(weight)
        .region("r")
        .build();
  }

  private static Pool pool(BackendConfig... backends) {
    return new Pool(ModelConfig.builder()
        .name("gpt-4o")
        .strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backends))
        .build());
  }

  private String choose(Pool pool, AttemptCycle cycle) {
    RouteDecision d = router.choose(pool, cycle, ticker.read(), random);
    if (d instanceof RouteDecision.Use use) {
      cycle.record(use.backend());
      return use.backend().id();
    }
    return "exhausted";
  }

  @Test
  void prefersThePtuPriorityGroupWhileItIsAvailable() {
    Pool pool = pool(backend("payg", Tier.PAYG, 2, 1), backend("ptu", Tier.PTU, 1, 1));
    for (int i = 0; i < 100; i++) {
      assertThat(choose(pool, pool.newCycle())).isEqualTo("ptu");
    }
  }

  @Test
  void spillsToTheNextPriorityWhileThePtuIsThrottledAndReturnsWhenItFrees() {
    Pool pool = pool(backend("ptu", Tier.PTU, 1, 1), backend("payg", Tier.PAYG, 2, 1));
    BackendState ptu = pool.backend("ptu").orElseThrow();
    long applied = router.onThrottled(ptu, OptionalLong.of(1500), ticker.read());
    assertThat(applied).isEqualTo(1500);

    assertThat(choose(pool, pool.newCycle())).isEqualTo("payg");
    ticker.advanceMillis(1499);
    assertThat(choose(pool, pool.newCycle())).isEqualTo("payg");
    ticker.advanceMillis(1);
    assertThat(choose(pool, pool.newCycle())).isEqualTo("ptu");
  }

  @Test
  void neverTriesTheSameBackendTwiceInOneCycle() {
    Pool pool = pool(backend("a", Tier.PTU, 1, 1), backend("b", Tier.PTU, 1, 1), backend("c", Tier.PAYG, 2, 1));
    AttemptCycle cycle = pool.newCycle();
    List<String> order = List.of(choose(pool, cycle), choose(pool, cycle), choose(pool, cycle));
    assertThat(order).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(order.get(2)).isEqualTo("c");
    assertThat(choose(pool, cycle)).isEqualTo("exhausted");
  }

  @Test
  void exhaustedReportsTheSoonestFreeingBackend() {
    Pool pool = pool(backend("a", Tier.PTU, 1, 1), backend("b", Tier.PAYG, 2, 1));
    router.onThrottled(pool.backend("a").orElseThrow(), OptionalLong.of(9_000), ticker.read());
    router.onThrottled(pool.backend("b").orElseThrow(), OptionalLong.of(2_500), ticker.read());

    RouteDecision d = router.choose(pool, pool.newCycle(), ticker.read(), random);

    assertThat(d).isInstanceOfSatisfying(RouteDecision.Exhausted.class,
        e -> assertThat(e.nanosUntilSoonestFree()).hasValue(Duration.ofMillis(2_500).toNanos()));
  }

  @Test
  void exhaustedWithoutThrottlesHasNoRetryTime() {
    Pool pool = pool(backend("a", Tier.PTU, 1, 1));
    AttemptCycle cycle = pool.newCycle();
    choose(pool, cycle);
    RouteDecision d = router.choose(pool, cycle, ticker.read(), random);
    assertThat(d).isInstanceOfSatisfying(RouteDecision.Exhausted.class, e -> assertThat(e.nanosUntilSoonestFree()).isEmpty());
  }

  @Test
  void throttleDelayDefaultsWhenAbsentAndIsCapped() {
    Pool pool = pool(backend("a", Tier.PTU, 1, 1));
    BackendState a = pool.backend("a").orElseThrow();
    assertThat(router.onThrottled(a, OptionalLong.empty(), ticker.read())).isEqualTo(10_000);
    assertThat(router.onThrottled(a, OptionalLong.of(86_400_000), ticker.read())).isEqualTo(60_000);
    assertThat(a.nanosUntilAvailable(ticker.read())).isEqualTo(Duration.ofSeconds(60).toNanos());
  }

  @Test
  void aShorterLateThrottleNeverShortensALongerOne() {
    Pool pool = pool(backend("a", Tier.PTU, 1, 1));
    BackendState a = pool.backend("a").orElseThrow();
    router.onThrottled(a, OptionalLong.of(5_000), ticker.read());
    router.onThrottled(a, OptionalLong.of(1_000), ticker.read());
    assertThat(a.nanosUntilAvailable(ticker.read())).isEqualTo(Duration.ofSeconds(5).toNanos());
  }

  @Test
  void weightedPicksFollowTheWeightsWithinFivePercent() {
    Pool pool = pool(backend("w1", Tier.PTU, 1, 1), backend("w3", Tier.PTU, 1, 3), backend("w6", Tier.PTU, 1, 6));
    Map<String, Integer> counts = new HashMap<>();
    int draws = 10_000;
    for (int i = 0; i < draws; i++) {
      counts.merge(choose(pool, pool.newCycle()), 1, Integer::sum);
    }
    assertThat(counts.get("w1") / (double) draws).isCloseTo(0.1, org.assertj.core.data.Offset.offset(0.1 * 0.05 + 0.01));
    assertThat(counts.get("w3") / (double) draws).isCloseTo(0.3, org.assertj.core.data.Offset.offset(0.3 * 0.05));
    assertThat(counts.get("w6") / (double) draws).isCloseTo(0.6, org.assertj.core.data.Offset.offset(0.6 * 0.05));
  }

  @Test
  void maxAttemptsBoundsTheCycle() {
    Router oneTry = new Router(RoutingConfig.builder().maxAttempts(1).build());
    Pool pool = pool(backend("a", Tier.PTU, 1, 1), backend("b", Tier.PAYG, 2, 1));
    AttemptCycle cycle = pool.newCycle();
    RouteDecision first = oneTry.choose(pool, cycle, ticker.read(), random);
    cycle.record(((RouteDecision.Use) first).backend());
    assertThat(oneTry.choose(pool, cycle, ticker.read(), random)).isInstanceOf(RouteDecision.Exhausted.class);
  }
}
