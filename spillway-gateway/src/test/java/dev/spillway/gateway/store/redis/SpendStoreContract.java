package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.BudgetPeriod;
import dev.spillway.core.spend.SpendCounter;
import dev.spillway.core.spend.SpendStore;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SpendStore} guarantees; each store's test extends this class. Every test uses owners of its own,
 * so stores sharing one Redis never see each other's spend. Lives beside {@code LimitStoreContract}, in the gateway,
 * because core publishes no test jar.
 */
abstract class SpendStoreContract {
  /**
   * Now, by the wall clock: a shared store lets a counter expire after its period by Redis's own clock, so the periods
   * a test counts in must be current ones.
   */
  static final long NOW = System.currentTimeMillis();

  static final int THREADS = 8;

  private SpendStore store;
  private String scope;

  /** A store without counters of the owners this test uses; called before every test. */
  protected abstract SpendStore newStore();

  /** Additions per thread in the concurrency test. */
  protected abstract int addsPerThread();

  @BeforeEach
  void setUpStore() {
    store = newStore();
    scope = UUID.randomUUID().toString().substring(0, 8);
  }

  SpendCounter counter(String owner, BudgetPeriod period, long now) {
    return new SpendCounter(SpendCounter.team(scope + "-" + owner), period.windowAt(now));
  }

  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aCounterNeverAddedToHoldsZero() {
    assertThat(await(store.spent(List.of(counter("a", BudgetPeriod.MONTH, NOW), counter("b", BudgetPeriod.DAY, NOW)))))
        .containsExactly(0L, 0L);
    assertThat(await(store.spent(List.of()))).isEmpty();
  }

  @Test
  void addReturnsTheNewTotalsAndSpentReadsThemInOrder() {
    SpendCounter month = counter("a", BudgetPeriod.MONTH, NOW);
    SpendCounter day = counter("a", BudgetPeriod.DAY, NOW);
    assertThat(await(store.add(List.of(month, day), 250_000))).containsExactly(250_000L, 250_000L);
    assertThat(await(store.add(List.of(month), 1))).containsExactly(250_001L);
    assertThat(await(store.spent(List.of(day, month)))).containsExactly(250_000L, 250_001L);
  }

  @Test
  void ownersAndPeriodsAreCountedApart() {
    SpendCounter today = counter("a", BudgetPeriod.DAY, NOW);
    SpendCounter tomorrow = counter("a", BudgetPeriod.DAY, NOW + 86_400_000L);
    SpendCounter other = counter("b", BudgetPeriod.DAY, NOW);
    await(store.add(List.of(today), 7));
    assertThat(await(store.spent(List.of(today, tomorrow, other)))).containsExactly(7L, 0L, 0L);
    // A new period is a new counter: the old one's spend does not carry over.
    assertThat(await(store.add(List.of(tomorrow), 3))).containsExactly(3L);
  }

  @Test
  void aSeedSetsAnAbsentCounterAndLeavesOneThatHoldsAValue() {
    SpendCounter fresh = counter("fresh", BudgetPeriod.WEEK, NOW);
    SpendCounter counted = counter("counted", BudgetPeriod.WEEK, NOW);
    await(store.add(List.of(counted), 5));
    await(store.seed(fresh, 1_000));
    await(store.seed(counted, 1_000));
    await(store.seed(fresh, 2_000));
    assertThat(await(store.spent(List.of(fresh, counted)))).containsExactly(1_000L, 5L);
    assertThat(await(store.add(List.of(fresh), 1))).containsExactly(1_001L);
  }

  @Test
  void concurrentAdditionsAllCount() throws Exception {
    SpendCounter team = counter("busy", BudgetPeriod.MONTH, NOW);
    SpendCounter own = counter("busy-own", BudgetPeriod.DAY, NOW);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < addsPerThread(); i++) {
            await(store.add(List.of(team, own), 3));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    long expected = 3L * THREADS * addsPerThread();
    assertThat(await(store.spent(List.of(team, own)))).containsExactly(expected, expected);
  }

  @Test
  void invalidArgumentsAreBugsAndThrowAtOnce() {
    SpendCounter c = counter("a", BudgetPeriod.DAY, NOW);
    assertThatThrownBy(() -> store.add(List.of(c, c), 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.add(List.of(c), -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.seed(c, -1)).isInstanceOf(IllegalArgumentException.class);
  }
}
