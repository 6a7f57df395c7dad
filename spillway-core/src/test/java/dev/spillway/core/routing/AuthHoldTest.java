package dev.spillway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.BreakerConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.ManualTicker;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A backend that refuses the gateway's credential (a 401 that survived one refresh) is held out of routing for {@code
 * routing.authHold}: decided from the attempt's end and the routing config, carried out on the backend's state at a
 * ticker reading, told to the other replicas under a name that carries a fingerprint of the credential. The hold is not
 * a throttle. No test sleeps: tickers are advanced by hand.
 */
class AuthHoldTest {
  private static final long EPOCH_MILLIS = 1_780_000_000_000L;
  private static final RoutingConfig ROUTING = RoutingConfig.builder().authHold(Duration.ofSeconds(60)).build();
  private final ManualTicker ticker = new ManualTicker(9_000_000_000L);
  private final SplittableRandom random = new SplittableRandom(5);

  private static BackendConfig backend(String id, Tier tier, int priority, String key) {
    return BackendConfig.builder().id(id).type(BackendType.AZURE).url(URI.create("http://127.0.0.1:1")).deployment(id)
        .tier(tier).priority(priority).weight(1).region("r").auth(BackendAuth.apiKey(key)).build();
  }

  private static ModelConfig model(String firstKey) {
    return ModelConfig.builder().name("gpt-4o").strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backend("first", Tier.PAYG, 1, firstKey), backend("second", Tier.PAYG, 2, "key-second")))
        .build();
  }

  private static void refused(Router router, Pool pool, BackendState b, long now) {
    router.feedback(pool, b, AttemptFeedback.ofEnd(AttemptResult.UPSTREAM_AUTH_FAILED, 401, OptionalLong.empty(),
        router.config()), 0, now);
  }

  private RouteDecision choose(Router router, Pool pool) {
    return router.choose(pool, pool.newCycle(), ticker.read(), random);
  }

  private static String used(RouteDecision d) {
    return d instanceof RouteDecision.Use use ? use.backend().id() : d.toString();
  }

  @Test
  void aRefusedCredentialHoldsTheBackendOutForTheConfiguredTimeAndIsNotAThrottle() {
    Pool pool = new Pool(model("key-first"));
    Router router = new Router(ROUTING);
    BackendState first = pool.backend("first").orElseThrow();

    AttemptFeedback end = AttemptFeedback.ofEnd(AttemptResult.UPSTREAM_AUTH_FAILED, 401, OptionalLong.empty(), ROUTING);
    assertThat(end.authHoldMillis()).hasValue(60_000);
    assertThat(end.throttleMillis()).isEmpty();
    assertThat(end.breaker()).isEqualTo(AttemptFeedback.BreakerVerdict.IGNORED);
    refused(router, pool, first, ticker.read());

    assertThat(first.isAuthHeld(ticker.read())).isTrue();
    assertThat(first.isThrottled(ticker.read())).as("not a throttle").isFalse();
    assertThat(first.nanosUntilAuthReleased(ticker.read())).isEqualTo(60_000_000_000L);
    assertThat(used(choose(router, pool))).isEqualTo("second");

    ticker.advanceMillis(59_999);
    assertThat(used(choose(router, pool))).isEqualTo("second");
    ticker.advanceMillis(1);
    assertThat(first.isAuthHeld(ticker.read())).isFalse();
    assertThat(used(choose(router, pool))).as("tried again once the hold is over").isEqualTo("first");
  }

  @Test
  void otherOutcomesAndAZeroHoldDoNotHold() {
    for (AttemptResult r : AttemptResult.values()) {
      if (r != AttemptResult.UPSTREAM_AUTH_FAILED) {
        assertThat(AttemptFeedback.ofEnd(r, 500, OptionalLong.empty(), ROUTING).authHoldMillis()).as(r.name()).isEmpty();
      }
    }
    RoutingConfig off = RoutingConfig.builder().authHold(Duration.ZERO).build();
    assertThat(AttemptFeedback.ofEnd(AttemptResult.UPSTREAM_AUTH_FAILED, 401, OptionalLong.empty(), off).authHoldMillis())
        .isEmpty();
    assertThat(AttemptFeedback.ofResponseHead(401, name -> null, OptionalLong.empty(), ROUTING).authHoldMillis())
        .as("the first 401 is answered by refreshing the credential, not by a hold").isEmpty();
  }

  @Test
  void aHoldIsOnlyEverExtended() {
    BackendState b = new Pool(model("k")).backend("first").orElseThrow();
    long now = ticker.read();
    b.holdForAuth(now + 10_000);
    b.holdForAuth(now + 5_000);
    assertThat(b.nanosUntilAuthReleased(now)).isEqualTo(10_000);
    b.holdForAuth(now + 20_000);
    assertThat(b.nanosUntilAuthReleased(now)).isEqualTo(20_000);
  }

  @Test
  void everyBackendHeldForItsCredentialExhaustsAsAuthOnlyButAThrottleStillSaysWait() {
    Pool pool = new Pool(model("key-first"));
    Router router = new Router(ROUTING);
    long now = ticker.read();
    refused(router, pool, pool.backend("first").orElseThrow(), now);
    refused(router, pool, pool.backend("second").orElseThrow(), now);

    RouteDecision.Exhausted onlyAuth = (RouteDecision.Exhausted) choose(router, pool);
    assertThat(onlyAuth.onlyAuthHeld()).isTrue();
    assertThat(onlyAuth.nanosUntilAuthReleased()).hasValue(60_000_000_000L);
    assertThat(onlyAuth.nanosUntilSoonestFree()).as("a hold is not a moment to come back at").isEmpty();

    pool.backend("second").orElseThrow().throttleUntil(now + 5_000_000_000L);
    RouteDecision.Exhausted mixed = (RouteDecision.Exhausted) choose(router, pool);
    assertThat(mixed.onlyAuthHeld()).isFalse();
    assertThat(mixed.nanosUntilThrottleEnds()).hasValue(5_000_000_000L);
  }

  @Test
  void aReloadThatChangesTheCredentialEndsTheHoldAndOneThatKeepsItKeepsTheHold() {
    Pool before = new Pool(model("old-key"));
    long now = ticker.read();
    before.backend("first").orElseThrow().holdForAuth(now + 60_000_000_000L);
    before.backend("first").orElseThrow().throttleUntil(now + 1_000);

    Pool sameKey = Pool.reconfigured(model("old-key"), BreakerConfig.DEFAULTS, before);
    assertThat(sameKey.backend("first").orElseThrow().isAuthHeld(now)).isTrue();

    Pool fixed = Pool.reconfigured(model("new-key"), BreakerConfig.DEFAULTS, before);
    BackendState first = fixed.backend("first").orElseThrow();
    assertThat(first.isAuthHeld(now)).isFalse();
    assertThat(first.isThrottled(now)).as("the rest of the state stays").isTrue();
  }

  @Test
  void theAuthNameFingerprintsTheCredentialWithoutHoldingIt() {
    String secret = "0123456789abcdef0123456789abcdef";
    String name = SharedThrottles.authName(backend("first", Tier.PAYG, 1, secret));
    assertThat(name).startsWith(SharedThrottles.sharedName(backend("first", Tier.PAYG, 1, secret)) + "~")
        .doesNotContain(secret).doesNotContain(secret.substring(0, 8)).hasSize(SharedThrottles.sharedName(
            backend("first", Tier.PAYG, 1, secret)).length() + 13);
    assertThat(name).isEqualTo(SharedThrottles.authName(backend("first", Tier.PAYG, 1, secret)))
        .isNotEqualTo(SharedThrottles.authName(backend("first", Tier.PAYG, 1, "another-key")));
  }

  /** A replica for the sharing tests: its pool, router, shared throttles and the facts it published. */
  private static final class Replica {
    final Pool pool;
    final Router router;
    final List<BackendFact> sent = new ArrayList<>();

    Replica(String firstKey, ManualTicker ticker, Clock clock, InMemoryBackendFacts hub, Duration authHold) {
      this.pool = new Pool(model(firstKey));
      SharedThrottles throttles = new SharedThrottles(Map.of("gpt-4o", pool), ticker, clock,
          RoutingConfig.DEFAULTS.maxRetryAfter(), authHold);
      SharedBackendFacts member = hub.join(throttles);
      throttles.connect(new SharedBackendFacts() {
        @Override
        public void publish(BackendFact fact) {
          sent.add(fact);
          member.publish(fact);
        }

        @Override
        public void close() {
          member.close();
        }
      });
      this.router = new Router(RoutingConfig.builder().authHold(authHold).build(), throttles);
    }

    BackendState first() {
      return pool.backend("first").orElseThrow();
    }
  }

  @Test
  void aHoldIsSharedWithReplicasOfTheSameCredentialOnlyAndCappedByTheirOwnHold() {
    Clock clock = Clock.fixed(Instant.ofEpochMilli(EPOCH_MILLIS), ZoneOffset.UTC);
    ManualTicker tickerB = new ManualTicker(123_000_000_000L);
    InMemoryBackendFacts hub = new InMemoryBackendFacts(clock);
    Replica a = new Replica("old-key", ticker, clock, hub, Duration.ofSeconds(60));
    Replica b = new Replica("old-key", tickerB, clock, hub, Duration.ofSeconds(30));
    Replica fixed = new Replica("new-key", new ManualTicker(0), clock, hub, Duration.ofSeconds(60));

    refused(a.router, a.pool, a.first(), ticker.read());

    assertThat(a.sent).containsExactly(
        BackendFact.unauthorized(SharedThrottles.authName(a.first().config()), EPOCH_MILLIS + 60_000));
    assertThat(b.first().isAuthHeld(tickerB.read())).isTrue();
    assertThat(b.first().isThrottled(tickerB.read())).isFalse();
    assertThat(b.first().nanosUntilAuthReleased(tickerB.read())).as("capped by b's own routing.authHold")
        .isEqualTo(30_000_000_000L);
    assertThat(fixed.first().isAuthHeld(0)).as("another credential: the refusal is not about it").isFalse();

    refused(a.router, a.pool, a.first(), ticker.read());
    assertThat(a.sent).as("the same end is not published twice").hasSize(1);

    Replica late = new Replica("old-key", new ManualTicker(0), clock, hub, Duration.ofSeconds(60));
    assertThat(late.first().isAuthHeld(0)).as("a replica that joins later hears the hold").isTrue();
    Replica lateFixed = new Replica("new-key", new ManualTicker(0), clock, hub, Duration.ofSeconds(60));
    assertThat(lateFixed.first().isAuthHeld(0)).as("a replica with the fixed credential ignores the stale hold").isFalse();
    Replica off = new Replica("old-key", new ManualTicker(0), clock, hub, Duration.ZERO);
    assertThat(off.first().isAuthHeld(0)).as("holds are off there").isFalse();
  }

  @Test
  void aPtuHeldForItsCredentialIsNotWaitedForItsRequestsSpillAtOnce() {
    ModelConfig model = ModelConfig.builder().name("gpt-4o").strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backend("ptu", Tier.PTU, 1, "k"), backend("payg", Tier.PAYG, 2, "k")))
        .ptuStation(dev.spillway.core.config.PtuStation.ofBudget(dev.spillway.core.config.PtuStation.Mode.STATION,
            Duration.ofSeconds(5)))
        .build();
    Pool pool = new Pool(model);
    assertThat(pool.stationOrNull()).as("the PTU station decides").isNotNull();
    Router router = new Router(ROUTING);
    BackendState ptu = pool.backend("ptu").orElseThrow();
    refused(router, pool, ptu, ticker.read());

    RouteDecision d = choose(router, pool);
    assertThat(used(d)).as("no wait for a PTU that will not take the call").isEqualTo("payg");

    // Compare: a throttled PTU (a 429 for 1 s) is worth waiting for.
    Pool throttled = new Pool(model);
    throttled.backend("ptu").orElseThrow().throttleUntil(ticker.read() + 1_000_000_000L);
    assertThat(choose(router, throttled)).isInstanceOf(RouteDecision.Wait.class);
  }
}
