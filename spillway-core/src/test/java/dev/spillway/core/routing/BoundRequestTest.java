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
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A request bound to one backend (it continues or reads a stored response only that backend holds): it goes there or
 * waits for it, and never spills, whatever the pool's priorities, station or free backends say.
 */
class BoundRequestTest {
  private static final Duration DEADLINE = Duration.ofMillis(1500);
  private final ManualTicker ticker = new ManualTicker(9_000_000_000L);
  private final Router router = new Router(RoutingConfig.DEFAULTS);
  private final SplittableRandom random = new SplittableRandom(3);
  private final Pool pool = new Pool(ModelConfig.builder()
      .name("gpt-4o")
      .strategy(RoutingStrategy.PRIORITY)
      .backends(List.of(backend("ptu", Tier.PTU, 1), backend("payg", Tier.PAYG, 2)))
      .build());

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

  private AttemptCycle boundTo(String id) {
    AttemptCycle cycle = pool.newCycle(ticker.read() + DEADLINE.toNanos(), 100, Optional.empty());
    cycle.bindTo(pool.backend(id).orElseThrow());
    return cycle;
  }

  private RouteDecision choose(AttemptCycle cycle) {
    return router.choose(pool, cycle, ticker.read(), random);
  }

  private static String used(RouteDecision d) {
    assertThat(d).isInstanceOf(RouteDecision.Use.class);
    return ((RouteDecision.Use) d).backend().id();
  }

  @Test
  void goesToItsBackendWhileAPtuIsFree() {
    assertThat(used(choose(pool.newCycle()))).isEqualTo("ptu"); // unbound: PTU first
    assertThat(used(choose(boundTo("payg")))).isEqualTo("payg");
  }

  @Test
  void waitsForItsThrottledBackendInsteadOfSpilling() {
    AttemptCycle cycle = boundTo("ptu");
    BackendState ptu = pool.backend("ptu").orElseThrow();
    assertThat(used(choose(cycle))).isEqualTo("ptu");
    cycle.record(ptu);
    router.onThrottled(ptu, OptionalLong.of(800), ticker.read()); // the PTU answered 429, retry-after-ms 800

    RouteDecision d = choose(cycle);
    assertThat(d).isEqualTo(new RouteDecision.Wait(Duration.ofMillis(800).toNanos()));
    ticker.advance(Duration.ofMillis(800));
    router.afterWait(pool, cycle, Duration.ofMillis(800).toNanos(), ticker.read());
    assertThat(used(choose(cycle))).isEqualTo("ptu");
    assertThat(pool.ptuWaiters()).isZero(); // its wait took no waiter slot
  }

  @Test
  void endsWhenItsBackendFreesOnlyAfterTheDeadline() {
    AttemptCycle cycle = boundTo("ptu");
    router.onThrottled(pool.backend("ptu").orElseThrow(), OptionalLong.of(5_000), ticker.read());

    RouteDecision d = choose(cycle);
    assertThat(d).isInstanceOf(RouteDecision.Exhausted.class);
    assertThat(((RouteDecision.Exhausted) d).nanosUntilThrottleEnds()).hasValue(Duration.ofSeconds(5).toNanos());
  }

  @Test
  void aServerErrorOfItsBackendIsFinal() {
    AttemptCycle cycle = boundTo("ptu");
    assertThat(used(choose(cycle))).isEqualTo("ptu");
    cycle.record(pool.backend("ptu").orElseThrow()); // it answered 500: no other backend has the object

    assertThat(choose(cycle)).isInstanceOf(RouteDecision.Exhausted.class);
  }

  @Test
  void givingUpAWaitTouchesNoSharedCount() {
    AttemptCycle cycle = boundTo("ptu");
    router.onThrottled(pool.backend("ptu").orElseThrow(), OptionalLong.of(300), ticker.read());
    assertThat(choose(cycle)).isInstanceOf(RouteDecision.Wait.class);
    router.abandonWait(pool, cycle);
    assertThat(pool.ptuWaiters()).isZero();
  }
}
