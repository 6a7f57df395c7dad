package dev.spillway.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spillway.core.config.BackendCapacity;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.station.DrainEstimate;
import dev.spillway.core.routing.station.DrainRateStore;
import dev.spillway.core.routing.station.DrainSharing;
import dev.spillway.core.routing.station.InMemoryDrainRateStore;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * Replicas sharing drain rates through one {@link InMemoryDrainRateStore}: a replica that learned publishes, a cold
 * one starts from the others' share, and nothing replaces what a replica measured itself. One wall clock, moved by
 * hand; the drain models are driven with their own ticker readings (each replica its own, as processes have).
 */
class SharedDrainRatesTest {
  private static final long S = 1_000_000_000L;
  private final MovableClock clock = new MovableClock(1_780_000_000_000L);
  private final InMemoryDrainRateStore store = new InMemoryDrainRateStore();

  private static BackendConfig backend(String id, Tier tier, int priority, OptionalLong tpm) {
    return BackendConfig.builder().id(id).type(BackendType.AZURE).url(URI.create("http://127.0.0.1:1")).deployment(id)
        .tier(tier).priority(priority).region("r").capacity(new BackendCapacity(tpm, OptionalLong.empty())).build();
  }

  private static Pool pool(OptionalLong ptuTpm) {
    return new Pool(ModelConfig.builder().name("gpt-4o").strategy(RoutingStrategy.PRIORITY)
        .backends(List.of(backend("ptu", Tier.PTU, 1, ptuTpm), backend("payg", Tier.PAYG, 2, OptionalLong.empty())))
        .build());
  }

  private record Replica(Pool pool, SharedDrainRates rates) {
    BackendState ptu() {
      return pool.backend("ptu").orElseThrow();
    }
  }

  private Replica replica(OptionalLong ptuTpm) {
    Pool pool = pool(ptuTpm);
    return new Replica(pool, new SharedDrainRates(Map.of("gpt-4o", pool), store, clock));
  }

  private Replica replica() {
    return replica(OptionalLong.empty());
  }

  /** The PTU drains 1,000 tokens a second as {@code b} sees it: {@code measurements} measurements of it. */
  private static void learn(BackendState b, int measurements) {
    b.drainSent(500, 0);
    b.drainThrottled(500, 200_000_000L, 0);
    long freeAt = 200_000_000L;
    for (int k = 0; k < measurements; k++) {
      for (int i = 0; i < 4; i++) {
        b.drainSent(500, freeAt + 100_000_000L + i * 10_000_000L);
      }
      long t = freeAt + 200_000_000L;
      b.drainSent(500, t);
      b.drainThrottled(500, freeAt + 2 * S - t, t);
      freeAt += 2 * S;
    }
  }

  @Test
  void aReplicaThatStartsColdTakesItsShareOfWhatTheOthersLearned() {
    Replica a = replica();
    learn(a.ptu(), 2);
    assertThat(a.ptu().drainModel().tokensPerMinute()).isEqualTo(60_000, within(1.0));
    a.rates().tick();
    assertThat(a.rates().published()).isEqualTo(1);

    Replica b = replica();
    assertThat(b.ptu().drainModel().hasRate()).isFalse();
    b.rates().tick();
    assertThat(b.rates().seeded()).isEqualTo(1);
    // a alone measured the whole 60,000 a minute; from now on two replicas share it
    assertThat(b.ptu().drainModel().tokensPerMinute()).isEqualTo(30_000, within(1.0));
    assertThat(b.ptu().drainModel().rateSamples()).isZero();

    clock.advance(DrainSharing.REPUBLISH_MILLIS * 2);
    b.rates().tick();
    assertThat(b.rates().published()).as("a seed is not published back").isZero();
    assertThat(b.rates().seeded()).isEqualTo(1);
  }

  @Test
  void whatAReplicaMeasuredOrWasDeclaredIsNeverReplaced() {
    Replica a = replica();
    learn(a.ptu(), 3);
    a.rates().tick();

    Replica own = replica();
    own.ptu().drainSent(500, 0);
    own.ptu().drainThrottled(500, 200_000_000L, 0);
    own.ptu().drainSent(1000, 300_000_000L);
    own.ptu().drainSent(500, 400_000_000L);
    own.ptu().drainThrottled(500, 1_800_000_000L, 400_000_000L); // 1,000 tokens in 2 s: its own 30,000 a minute
    double measured = own.ptu().drainModel().tokensPerMinute();
    assertThat(measured).isEqualTo(30_000, within(1.0));
    own.rates().tick();
    assertThat(own.ptu().drainModel().tokensPerMinute()).isEqualTo(measured);
    assertThat(own.rates().seeded()).isZero();

    Replica declared = replica(OptionalLong.of(6_000));
    declared.rates().tick();
    assertThat(declared.ptu().drainModel().tokensPerMinute()).isEqualTo(6_000, within(1e-6));
    assertThat(declared.rates().seeded()).isZero();
  }

  @Test
  void anEstimateNotRenewedForAMinuteNoLongerSeeds() {
    Replica a = replica();
    learn(a.ptu(), 2);
    a.rates().tick();
    clock.advance(DrainSharing.FRESH_MILLIS + 1); // a stopped: it publishes nothing more

    Replica b = replica();
    b.rates().tick();
    assertThat(b.ptu().drainModel().hasRate()).isFalse();

    a.rates().tick(); // a is back: unchanged, but its last estimate is older than the republish interval
    assertThat(a.rates().published()).isEqualTo(2);
    b.rates().tick();
    assertThat(b.ptu().drainModel().tokensPerMinute()).isEqualTo(30_000, within(1.0));
  }

  @Test
  void anUnchangedRateIsOneMessageNotOnePerTick() {
    Replica a = replica();
    learn(a.ptu(), 2);
    for (int i = 0; i < 10; i++) {
      a.rates().tick();
      clock.advance(1_000);
    }
    assertThat(a.rates().published()).isEqualTo(1);
  }

  @Test
  void aSlowStoreIsAskedOnceAtATimeAndAFailedReadSeedsNothing() {
    List<CompletableFuture<Map<String, DrainEstimate>>> reads = new ArrayList<>();
    DrainRateStore slow = new DrainRateStore() {
      @Override
      public void publish(String backend, String replica, DrainEstimate estimate) {}

      @Override
      public CompletionStage<Map<String, DrainEstimate>> read(String backend) {
        CompletableFuture<Map<String, DrainEstimate>> read = new CompletableFuture<>();
        reads.add(read);
        return read;
      }

      @Override
      public void close() {}
    };
    Pool pool = pool(OptionalLong.empty());
    SharedDrainRates rates = new SharedDrainRates(Map.of("gpt-4o", pool), slow, clock);
    rates.tick();
    rates.tick();
    assertThat(reads).as("one read in flight, not one per tick").hasSize(1);
    reads.get(0).completeExceptionally(new IllegalStateException("store out"));
    assertThat(pool.backend("ptu").orElseThrow().drainModel().hasRate()).isFalse();
    rates.tick();
    assertThat(reads).as("asked again once the read ended").hasSize(2);
    reads.get(1).complete(Map.of("a", new DrainEstimate(60_000, 1, clock.millis())));
    assertThat(pool.backend("ptu").orElseThrow().drainModel().tokensPerMinute()).isEqualTo(30_000, within(1.0));
  }

  @Test
  void withoutAStoreNothingIsPublishedOrSeeded() {
    Pool pool = pool(OptionalLong.empty());
    learn(pool.backend("ptu").orElseThrow(), 2);
    SharedDrainRates local = SharedDrainRates.local();
    local.tick();
    assertThat(local.shared()).isFalse();
    assertThat(local.published()).isZero();
  }

  /** Wall time moved by the test. */
  private static final class MovableClock extends Clock {
    private long millis;

    MovableClock(long millis) {
      this.millis = millis;
    }

    void advance(long by) {
      millis += by;
    }

    @Override
    public long millis() {
      return millis;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
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
