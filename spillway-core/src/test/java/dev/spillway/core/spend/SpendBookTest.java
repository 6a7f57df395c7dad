package dev.spillway.core.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BudgetPeriod;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.CostsConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillRights;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.TeamConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.RecordedRequest;
import dev.spillway.core.ledger.UsageTotals;
import dev.spillway.core.usage.TokenUsage;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The spend book over the in-memory store: budgets filled by PAYG answers close PAYG, a new period starts from zero,
 * the ledger seeds a restart, and a store that fails leaves PAYG open and is counted.
 *
 * <p>Prices: gpt-4o at 1 per 1k input and 2 per 1k output tokens, so 100 prompt + 50 completion tokens cost 0.2.
 */
class SpendBookTest {
  private static final long NOW = Instant.parse("2026-12-03T15:30:00Z").toEpochMilli();
  private static final long TOMORROW = Instant.parse("2026-12-04T00:00:01Z").toEpochMilli();
  private static final TokenUsage USAGE = TokenUsage.of(100, 50);
  private static final CostsConfig COSTS =
      new CostsConfig("USD", Map.of(), Map.of("gpt-4o", new PaygPrice(BigDecimal.ONE, new BigDecimal("2"), null)), Optional.empty());

  private static final ConsumerConfig REPORTS = ConsumerConfig.builder().id("reports").team("finance").models(List.of("*"))
      .spillRights(SpillRights.budget(Map.of(BudgetPeriod.DAY, new BigDecimal("0.3")))).build();
  private static final ConsumerConfig LEDGERS = ConsumerConfig.builder().id("ledgers").team("finance").models(List.of("*")).build();
  private static final ConsumerConfig SEARCH = ConsumerConfig.builder().id("search").team("retail").models(List.of("*")).build();
  private static final ConsumerConfig BOT = ConsumerConfig.builder().id("bot").team("retail").models(List.of("*"))
      .spillRights(SpillRights.denied()).build();
  private static final TeamConfig FINANCE = new TeamConfig("finance", SpillRights.budget(Map.of(BudgetPeriod.MONTH, new BigDecimal("0.5"))));

  private static SpendBook book(SpendStore store) {
    SpillwayConfig config = SpillwayConfig.builder()
        .server(ServerConfig.builder().port(0).build())
        .routing(RoutingConfig.DEFAULTS)
        .models(Map.of("gpt-4o", ModelConfig.builder().name("gpt-4o").backends(List.of(BackendConfig.builder()
            .id("payg-a").url(URI.create("https://a.example")).deployment("d").tier(Tier.PAYG).build())).build()))
        .consumers(List.of(REPORTS, LEDGERS, SEARCH, BOT))
        .teams(List.of(FINANCE))
        .costs(COSTS)
        .build();
    return new SpendBook(store, config);
  }

  private static Optional<String> closure(SpendBook book, ConsumerConfig consumer, long now) {
    return book.closure(consumer, now).toCompletableFuture().join();
  }

  @Test
  void aTeamsBudgetIsSharedByItsConsumersAndClosesPaygOnceUsedUp() {
    SpendBook book = book(new InMemorySpendStore());
    assertThat(book.enforces()).isTrue();
    book.record(LEDGERS, "gpt-4o", USAGE, NOW);
    book.record(LEDGERS, "gpt-4o", USAGE, NOW);
    assertThat(closure(book, REPORTS, NOW)).isEmpty(); // 0.4 of the team's 0.5
    book.record(REPORTS, "gpt-4o", USAGE, NOW);

    assertThat(closure(book, LEDGERS, NOW)).contains("team finance has used its PAYG budget for this month (0.50 USD)");
    // reports' own day budget (0.3) is not used up: 0.2 of it
    PaygBudget team = book.configuredBudgets().stream().filter(PaygBudget::team).findFirst().orElseThrow();
    assertThat(Micros.toAmount(book.seenMicros(team, NOW))).isEqualByComparingTo("0.6");
  }

  @Test
  void aConsumersOwnBudgetHoldsForItAloneAndANewPeriodStartsFromZero() {
    SpendBook book = book(new InMemorySpendStore());
    book.record(REPORTS, "gpt-4o", TokenUsage.of(200, 50), NOW); // 0.3: reports' whole day
    assertThat(closure(book, REPORTS, NOW)).contains("consumer reports has used its PAYG budget for today (0.30 USD)");
    assertThat(closure(book, LEDGERS, NOW)).isEmpty();

    assertThat(closure(book, REPORTS, TOMORROW)).isEmpty();
  }

  @Test
  void aDenyNeedsNoStoreAndCallersWithoutRulesAreNotLookedUp() {
    UnreachableStore store = new UnreachableStore();
    SpendBook book = book(store);
    assertThat(closure(book, BOT, NOW)).contains("consumer bot may not use pay-as-you-go (payg: deny)");
    assertThat(closure(book, SEARCH, NOW)).isEmpty();
    book.record(SEARCH, "gpt-4o", USAGE, NOW);
    assertThat(store.calls).isZero();
  }

  @Test
  void anUnreachableStoreLeavesPaygOpenAndEveryFailureIsCounted() {
    SpendBook book = book(new UnreachableStore());
    assertThat(closure(book, REPORTS, NOW)).isEmpty();
    book.record(REPORTS, "gpt-4o", USAGE, NOW);
    assertThat(book.failures(SpendBook.Operation.CHECK)).isEqualTo(1);
    assertThat(book.failures(SpendBook.Operation.ADD)).isEqualTo(1);
  }

  @Test
  void unpricedModelsAndEmptyUsageCostNothing() {
    SpendBook book = book(new InMemorySpendStore());
    book.record(LEDGERS, "mini", TokenUsage.of(100_000, 100_000), NOW);
    book.record(LEDGERS, "gpt-4o", TokenUsage.of(0, 0), NOW);
    assertThat(closure(book, LEDGERS, NOW)).isEmpty();
    assertThat(book.configuredBudgets()).allSatisfy(b -> assertThat(book.seenMicros(b, NOW)).isZero());
  }

  @Test
  void theLedgerSeedsThePeriodsPaygSpendPricedLikeTheChargeback() throws Exception {
    // Month so far: 0.4 of finance PAYG (0.2 of it by reports, today), PTU rows and an unpriced model that cost nothing.
    List<UsageTotals> month = List.of(
        new UsageTotals("reports", "finance", "gpt-4o", "payg-a", "payg", "chat", 1, 0, 100, 50, 0, 0),
        new UsageTotals("ledgers", "finance", "gpt-4o", "payg-a", "payg", "chat", 1, 0, 100, 50, 0, 0),
        new UsageTotals("ledgers", "finance", "gpt-4o", "ptu-a", "ptu", "chat", 9, 0, 90_000, 9_000, 0, 0),
        new UsageTotals("ledgers", "finance", "mini", "payg-b", "payg", "chat", 9, 0, 90_000, 9_000, 0, 0));
    List<UsageTotals> today = List.of(month.get(0));
    SpendBook book = book(new InMemorySpendStore());
    book.seed(Optional.of(new FixedLedger(Map.of(
        BudgetPeriod.MONTH.windowAt(NOW).startEpochMillis(), month,
        BudgetPeriod.DAY.windowAt(NOW).startEpochMillis(), today))), NOW);

    PaygBudget team = book.configuredBudgets().stream().filter(PaygBudget::team).findFirst().orElseThrow();
    PaygBudget own = book.configuredBudgets().stream().filter(b -> !b.team()).findFirst().orElseThrow();
    assertThat(Micros.toAmount(book.seenMicros(team, NOW))).isEqualByComparingTo("0.4");
    assertThat(Micros.toAmount(book.seenMicros(own, NOW))).isEqualByComparingTo("0.2");
    book.record(LEDGERS, "gpt-4o", USAGE, NOW);
    assertThat(closure(book, LEDGERS, NOW)).contains("team finance has used its PAYG budget for this month (0.50 USD)");
  }

  @Test
  void seedingLeavesACounterTheStoreAlreadyHolds() throws Exception {
    InMemorySpendStore store = new InMemorySpendStore();
    SpendCounter teamMonth = new SpendCounter("team:finance", BudgetPeriod.MONTH.windowAt(NOW));
    store.add(List.of(teamMonth), 450_000).toCompletableFuture().join();
    SpendBook book = book(store);
    book.seed(Optional.of(new FixedLedger(Map.of())), NOW);
    assertThat(store.spent(List.of(teamMonth)).toCompletableFuture().join()).containsExactly(450_000L);
  }

  /** A ledger holding fixed sums per period start; any other period is empty. */
  private record FixedLedger(Map<Long, List<UsageTotals>> byStart) implements LedgerReader {
    @Override
    public List<UsageTotals> totals(Instant from, Instant to) {
      return byStart.getOrDefault(from.toEpochMilli(), List.of());
    }

    @Override
    public long requests(Instant from, Instant to, Consumer<RecordedRequest> each) {
      return 0;
    }
  }

  /** A store whose backing service never answers: every stage fails as the Redis store's does. */
  private static final class UnreachableStore implements SpendStore {
    int calls;

    private <T> CompletionStage<T> fail() {
      calls++;
      return CompletableFuture.failedFuture(new SpendStoreUnavailableException("spend store at 127.0.0.1:9 is unavailable", null));
    }

    @Override
    public CompletionStage<List<Long>> spent(List<SpendCounter> counters) {
      return fail();
    }

    @Override
    public CompletionStage<List<Long>> add(List<SpendCounter> counters, long micros) {
      return fail();
    }

    @Override
    public CompletionStage<Void> seed(SpendCounter counter, long micros) {
      return fail();
    }
  }
}
