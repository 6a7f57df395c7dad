package dev.spillway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.BreakerConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.breaker.BreakerState;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a backend's live state does across a config reload ({@link Pool#reconfigured}). */
class PoolReconfiguredTest {
  private static final long NOW = 1_000_000_000L;
  private static final long SECOND = 1_000_000_000L;

  private static BackendConfig backend(String id, String url, int weight) {
    return BackendConfig.builder().id(id).type(BackendType.AZURE).url(URI.create(url)).deployment("d-" + id)
        .tier(Tier.PAYG).weight(weight).build();
  }

  private static ModelConfig model(BackendConfig... backends) {
    return ModelConfig.builder().name("gpt-4o").strategy(RoutingStrategy.PRIORITY).backends(List.of(backends)).build();
  }

  private static void tripBreaker(BackendState b) {
    for (int i = 0; i < 10; i++) {
      b.breaker().onFailure(NOW, java.util.OptionalLong.empty());
    }
  }

  @Test
  void aBackendThatStaysKeepsItsThrottleBreakerAndInFlightCountEvenWhenItMovesInTheList() {
    Pool before = new Pool(model(backend("a", "http://127.0.0.1:1", 1), backend("b", "http://127.0.0.1:2", 1)));
    BackendState a = before.backend("a").orElseThrow();
    a.throttleUntil(NOW + 30 * SECOND);
    tripBreaker(a);
    a.callStarted();
    a.reportUtilization(87.5, NOW);

    Pool after = Pool.reconfigured(
        model(backend("new", "http://127.0.0.1:3", 1), backend("a", "http://127.0.0.1:1", 5)), BreakerConfig.DEFAULTS,
        before);

    BackendState kept = after.backend("a").orElseThrow();
    assertThat(kept.poolIndex()).isEqualTo(1);
    assertThat(kept.weight()).isEqualTo(5);
    assertThat(kept.isThrottled(NOW + 29 * SECOND)).isTrue();
    assertThat(kept.breaker().state(NOW)).isEqualTo(BreakerState.OPEN);
    assertThat(kept.inFlight()).isEqualTo(1);
    assertThat(kept.lastUtilizationPercent()).hasValue(87.5);
    assertThat(after.backend("new").orElseThrow().canTakeCall(NOW)).isTrue();
    assertThat(after.backend("b")).isEmpty();
  }

  @Test
  void aCallEndingOnTheOldGenerationIsSeenByTheNewOne() {
    Pool before = new Pool(model(backend("a", "http://127.0.0.1:1", 1)));
    BackendState old = before.backend("a").orElseThrow();
    old.callStarted();
    Pool after = Pool.reconfigured(model(backend("a", "http://127.0.0.1:1", 1)), BreakerConfig.DEFAULTS, before);

    old.callEnded();
    old.throttleUntil(NOW + SECOND);

    BackendState kept = after.backend("a").orElseThrow();
    assertThat(kept.inFlight()).isZero();
    assertThat(kept.isThrottled(NOW)).isTrue();
  }

  @Test
  void aBackendWhoseUrlOrDeploymentChangedIsANewDeploymentAndStartsFresh() {
    Pool before = new Pool(model(backend("a", "http://127.0.0.1:1", 1), backend("b", "http://127.0.0.1:2", 1)));
    before.backends().forEach(b -> b.throttleUntil(NOW + 30 * SECOND));
    BackendConfig movedA = backend("a", "http://127.0.0.1:9", 1);
    BackendConfig b = backend("b", "http://127.0.0.1:2", 1);
    BackendConfig renamedB = BackendConfig.builder().id("b").type(BackendType.AZURE).url(b.url()).deployment("other")
        .tier(Tier.PAYG).build();

    Pool after = Pool.reconfigured(model(movedA, renamedB), BreakerConfig.DEFAULTS, before);

    assertThat(after.backend("a").orElseThrow().isThrottled(NOW)).isFalse();
    assertThat(after.backend("b").orElseThrow().isThrottled(NOW)).isFalse();
    assertThat(Pool.sameDeployment(b, renamedB)).isFalse();
    assertThat(Pool.sameDeployment(b, backend("b", "http://127.0.0.1:2", 7))).isTrue();
  }

  @Test
  void changedBreakerSettingsGiveAFreshBreakerButKeepTheThrottle() {
    Pool before = new Pool(model(backend("a", "http://127.0.0.1:1", 1)));
    BackendState a = before.backend("a").orElseThrow();
    tripBreaker(a);
    a.throttleUntil(NOW + 30 * SECOND);
    BreakerConfig other = BreakerConfig.DEFAULTS.withMaxEjectedPercent(50);

    Pool after = Pool.reconfigured(model(backend("a", "http://127.0.0.1:1", 1)), other, before);

    BackendState kept = after.backend("a").orElseThrow();
    assertThat(kept.breaker().state(NOW)).isEqualTo(BreakerState.CLOSED);
    assertThat(kept.isThrottled(NOW)).isTrue();
    assertThat(after.breakerConfig()).isEqualTo(other);
  }
}
