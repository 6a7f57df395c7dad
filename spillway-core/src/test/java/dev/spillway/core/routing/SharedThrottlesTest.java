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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Two replicas' routers joined through an {@link InMemoryBackendFacts} hub: what a 429 teaches one, the other applies
 * (only extending, never shortening, ignoring what is over); what is not a throttle is never shared. Each replica has
 * its own ticker (their readings differ, as different processes' do) and both share one wall clock that follows the
 * first ticker.
 */
class SharedThrottlesTest {
  private static final long EPOCH_MILLIS = 1_780_000_000_000L;
  private final ManualTicker tickerA = new ManualTicker(5_000_000_000L);
  private final ManualTicker tickerB = new ManualTicker(77_000_000_000L);
  private final Clock clock = new TickerClock(tickerA);
  private final SplittableRandom random = new SplittableRandom(3);

  /** A replica: its pool, its router, its shared throttles and what it published. */
  private final class Replica {
    final Pool pool = pool();
    final SharedThrottles throttles;
    final Router router;
    final ManualTicker ticker;
    final List<BackendFact> sent = new ArrayList<>();

    Replica(ManualTicker ticker, InMemoryBackendFacts hub) {
      this.ticker = ticker;
      this.throttles = new SharedThrottles(Map.of("gpt-4o", pool), ticker, clock, RoutingConfig.DEFAULTS.maxRetryAfter());
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
      this.router = new Router(RoutingConfig.DEFAULTS, throttles);
    }

    BackendState ptu() {
      return pool.backend("ptu").orElseThrow();
    }

    /** The backend answered 429 asking for {@code retryMillis}, as the edge reports it. */
    void answered429(long retryMillis) {
      router.feedback(pool, ptu(),
          AttemptFeedback.ofResponseHead(429, name -> null, OptionalLong.of(retryMillis), RoutingConfig.DEFAULTS), 100,
          ticker.read());
    }

    String choose() {
      RouteDecision d = router.choose(pool, pool.newCycle(), ticker.read(), random);
      return d instanceof RouteDecision.Use use ? use.backend().id() : d.toString();
    }
  }

  private static BackendConfig backend(String id, Tier tier, int priority) {
    return BackendConfig.builder().id(id).type(BackendType.AZURE).url(URI.create("http://127.0.0.1:1")).deployment(id)
        .tier(tier).priority(priority).weight(1).region("r").build();
  }

  private static Pool pool() {
    return new Pool(ModelConfig.builder().name("gpt-4o").strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backend("ptu", Tier.PTU, 1), backend("payg", Tier.PAYG, 2))).build());
  }

  private void advanceBoth(long millis) {
    tickerA.advanceMillis(millis);
    tickerB.advanceMillis(millis);
  }

  @Test
  void aThrottleOneReplicaLearnsFromA429SendsTheOtherToPaygUntilItEnds() {
    InMemoryBackendFacts hub = new InMemoryBackendFacts(clock);
    Replica a = new Replica(tickerA, hub);
    Replica b = new Replica(tickerB, hub);
    assertThat(b.choose()).isEqualTo("ptu");

    a.answered429(4_000);

    assertThat(a.sent).containsExactly(BackendFact.throttled(SharedThrottles.sharedName(a.ptu().config()), EPOCH_MILLIS + 4_000));
    assertThat(b.ptu().nanosUntilAvailable(tickerB.read())).isEqualTo(4_000_000_000L);
    assertThat(b.choose()).isEqualTo("payg");
    advanceBoth(3_999);
    assertThat(b.choose()).isEqualTo("payg");
    advanceBoth(1);
    assertThat(b.choose()).isEqualTo("ptu");
    assertThat(b.throttles.applied()).isEqualTo(1);
    assertThat(a.throttles.published()).isEqualTo(1);
  }

  @Test
  void aThrottleInsideOneAlreadySharedIsNotSentAgainAndALongerOneIs() {
    InMemoryBackendFacts hub = new InMemoryBackendFacts(clock);
    Replica a = new Replica(tickerA, hub);
    Replica b = new Replica(tickerB, hub);
    a.answered429(4_000);
    a.answered429(1_000); // a concurrent request's 429 naming an earlier end
    b.answered429(2_000); // b's own 429 inside what a shared
    assertThat(a.sent).hasSize(1);
    assertThat(b.sent).isEmpty();

    a.answered429(9_000);
    assertThat(a.sent).hasSize(2);
    assertThat(b.ptu().nanosUntilAvailable(tickerB.read())).isEqualTo(9_000_000_000L);
  }

  @Test
  void aFactNeverShortensAThrottleHoldsNoLongerThanAny429AndOneOverOrForAnotherDeploymentIsIgnored() {
    Replica b = new Replica(tickerB, new InMemoryBackendFacts(clock));
    String name = SharedThrottles.sharedName(b.ptu().config());
    b.throttles.accept(BackendFact.throttled(name, EPOCH_MILLIS + 6_000));
    b.throttles.accept(BackendFact.throttled(name, EPOCH_MILLIS + 2_000));
    assertThat(b.ptu().nanosUntilAvailable(tickerB.read())).isEqualTo(6_000_000_000L);

    b.throttles.accept(BackendFact.throttled(name, EPOCH_MILLIS + 3_600_000)); // a clock an hour ahead
    assertThat(b.ptu().nanosUntilAvailable(tickerB.read())).as("no longer than routing.maxRetryAfter")
        .isEqualTo(60_000_000_000L);

    Replica c = new Replica(tickerB, new InMemoryBackendFacts(clock));
    c.throttles.accept(BackendFact.throttled(name, EPOCH_MILLIS - 1));
    c.throttles.accept(BackendFact.throttled(name, EPOCH_MILLIS));
    c.throttles.accept(BackendFact.throttled("ptu@000000000000", EPOCH_MILLIS + 6_000));
    assertThat(c.ptu().isAvailable(tickerB.read())).isTrue();
    assertThat(c.throttles.applied()).isZero();
  }

  @Test
  void breakerFailuresConnectionErrorsAndTimeoutsAreNotShared() {
    InMemoryBackendFacts hub = new InMemoryBackendFacts(clock);
    Replica a = new Replica(tickerA, hub);
    Replica b = new Replica(tickerB, hub);
    for (AttemptResult local : List.of(AttemptResult.CONNECT_ERROR, AttemptResult.TIMEOUT, AttemptResult.SERVER_ERROR,
        AttemptResult.STREAM_INTERRUPTED, AttemptResult.CREDENTIAL_ERROR)) {
      // A refused credential (UPSTREAM_AUTH_FAILED) is shared, as an auth hold: AuthHoldTest. The gateway failing to
      // get its own credential (CREDENTIAL_ERROR: its token endpoint, its secret file) is its own business.
      for (int i = 0; i < 10; i++) {
        a.router.feedback(a.pool, a.ptu(), AttemptFeedback.ofEnd(local, 503, OptionalLong.of(30_000),
            RoutingConfig.DEFAULTS), 100, tickerA.read());
      }
    }
    assertThat(a.ptu().breaker().isCallPermitted(tickerA.read())).as("a's breaker tripped").isFalse();
    assertThat(a.sent).isEmpty();
    assertThat(b.ptu().canTakeCall(tickerB.read())).isTrue();
    assertThat(b.choose()).isEqualTo("ptu");
  }

  @Test
  void aReplicaThatJoinsLateHearsTheThrottlesThatStillHold() {
    InMemoryBackendFacts hub = new InMemoryBackendFacts(clock);
    Replica a = new Replica(tickerA, hub);
    a.answered429(5_000);
    advanceBoth(2_000);
    Replica late = new Replica(tickerB, hub);
    assertThat(late.ptu().nanosUntilAvailable(tickerB.read())).isEqualTo(3_000_000_000L);
    advanceBoth(3_000);
    Replica later = new Replica(tickerB, hub);
    assertThat(later.ptu().isAvailable(tickerB.read())).isTrue();
    assertThat(later.throttles.applied()).isZero();
  }

  @Test
  void theSharedNameFollowsTheDeploymentNotOnlyTheId() {
    BackendConfig one = backend("ptu", Tier.PTU, 1);
    BackendConfig sameDeployment = backend("ptu", Tier.PTU, 3);
    BackendConfig elsewhere = one.toBuilder().url(URI.create("http://127.0.0.1:2")).build();
    assertThat(SharedThrottles.sharedName(one)).startsWith("ptu@").hasSize("ptu@".length() + 12)
        .isEqualTo(SharedThrottles.sharedName(sameDeployment)).isNotEqualTo(SharedThrottles.sharedName(elsewhere));
  }

  @Test
  void aFactTurnsIntoEachReplicasOwnTickerReading() {
    BackendFact fact = BackendFact.throttled("ptu@x", 10_500);
    assertThat(fact.untilNanos(3_000, 10_000)).hasValue(3_000 + 500_000_000L);
    assertThat(fact.untilNanos(3_000, 10_500)).isEmpty();
    assertThat(fact.remainingMillis(10_200)).isEqualTo(300);
    assertThat(fact.remainingMillis(11_000)).isZero();
  }

  /** Wall time that moves with a ticker. */
  private static final class TickerClock extends Clock {
    private final ManualTicker ticker;
    private final long startNanos;

    TickerClock(ManualTicker ticker) {
      this.ticker = ticker;
      this.startNanos = ticker.read();
    }

    @Override
    public long millis() {
      return EPOCH_MILLIS + (ticker.read() - startNanos) / 1_000_000;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
