package dev.spillway.core.spend;

import dev.spillway.core.config.BudgetPeriod;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.CostsConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.config.SpillRights;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.TeamConfig;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.limits.Window;
import dev.spillway.core.usage.TokenUsage;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * Spill rights at work: says whether a caller may be served by PAYG now ({@link #closure}), counts what each PAYG
 * answer cost against its consumer's and team's budgets ({@link #record}), and brings in the period's spend from the
 * ledger when the gateway starts ({@link #seed}). The rules are {@link PaygRights}; the counters live in a {@link
 * SpendStore}.
 *
 * <p><b>When the store fails</b> spill rights fail open: the request may use PAYG (a {@code payg: deny} still holds,
 * it needs no store), the failure is counted by operation ({@link #failures}) and logged once per outage. Refusing
 * PAYG because a counter cannot be read would turn a Redis outage into 429s for everyone.
 *
 * <p>It also keeps the spend it last read or wrote per counter ({@link #seenMicros}), for metrics: a scrape cannot
 * wait for Redis. Thread-safe: called from every event loop; nothing here blocks except {@link #seed}.
 */
public final class SpendBook {
  private static final Logger LOG = System.getLogger("spillway.spend");
  private static final CompletionStage<Optional<String>> OPEN = CompletableFuture.completedFuture(Optional.empty());

  /** What the store was asked to do, for failure counts. */
  public enum Operation {
    CHECK,
    ADD,
    SEED;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final SpendStore store;
  private final Map<String, TeamConfig> teams;
  private final CostsConfig costs;
  private final List<PaygBudget> configuredBudgets;
  private final boolean enforces;
  private final Map<SpendCounter, Long> seen = new ConcurrentHashMap<>();
  private final Map<Operation, LongAdder> failures = new EnumMap<>(Operation.class);
  private final AtomicBoolean failing = new AtomicBoolean();

  /** Over {@code config}'s consumers, teams and PAYG prices, counting in {@code store}. */
  public SpendBook(SpendStore store, SpillwayConfig config) {
    this.store = store;
    this.teams = config.teams();
    this.costs = config.costs();
    List<PaygBudget> budgets = new ArrayList<>();
    for (ConsumerConfig c : config.consumers()) {
      budgets.addAll(new PaygRights(c.id(), c.spillRights(), c.team(), SpillRights.NONE).budgets());
    }
    for (TeamConfig t : config.teams().values()) {
      budgets.addAll(new PaygRights("", SpillRights.NONE, t.name(), t.spillRights()).budgets());
    }
    this.configuredBudgets = List.copyOf(budgets);
    this.enforces = restrictsAny(config);
    for (Operation op : Operation.values()) {
      failures.put(op, new LongAdder());
    }
  }

  /** True when some consumer or team of {@code config} limits PAYG ({@code payg: deny} or a budget). */
  public static boolean restrictsAny(SpillwayConfig config) {
    return config.consumers().stream().anyMatch(c -> c.spillRights().restricts())
        || config.teams().values().stream().anyMatch(t -> t.spillRights().restricts());
  }

  /** True when some consumer or team of the config limits PAYG; otherwise every call here is a no-op. */
  public boolean enforces() {
    return enforces;
  }

  /** {@code costs.currency}, the unit of every amount. */
  public String currency() {
    return costs.currency();
  }

  /**
   * Why PAYG is closed to {@code consumer} now, or empty when it is open. Never fails: an unreachable store leaves PAYG
   * open. Completes at once unless a budget has to be read from the store.
   */
  public CompletionStage<Optional<String>> closure(ConsumerConfig consumer, long nowEpochMillis) {
    PaygRights rights = rightsOf(consumer);
    if (!rights.restricts()) {
      return OPEN;
    }
    Optional<String> rule = rights.closedByRule();
    if (rule.isPresent()) {
      return CompletableFuture.completedFuture(rule);
    }
    List<PaygBudget> budgets = rights.budgets();
    List<SpendCounter> counters = budgets.stream().map(b -> b.counterAt(nowEpochMillis)).toList();
    return store.spent(counters).handle((spent, error) -> {
      if (error != null) {
        failed(Operation.CHECK, error);
        return Optional.empty();
      }
      answered();
      remember(counters, spent);
      return PaygRights.closedByBudget(budgets, spent, costs.currency());
    });
  }

  /**
   * Counts a request that a PAYG deployment answered: its cost at {@code model}'s PAYG price is added to every budget
   * of its consumer and team for the current period. Does nothing without a budget or a price. Returns at once.
   */
  public void record(ConsumerConfig consumer, String model, TokenUsage usage, long nowEpochMillis) {
    List<PaygBudget> budgets = rightsOf(consumer).budgets();
    Optional<PaygPrice> price = costs.paygPrice(model);
    if (budgets.isEmpty() || price.isEmpty()) {
      return;
    }
    long micros = Micros.of(price.get().cost(usage.promptTokens(), usage.cachedTokens(), usage.completionTokens()));
    if (micros <= 0) {
      return;
    }
    List<SpendCounter> counters = budgets.stream().map(b -> b.counterAt(nowEpochMillis)).toList();
    store.add(counters, micros).whenComplete((totals, error) -> {
      if (error != null) {
        failed(Operation.ADD, error);
      } else {
        answered();
        remember(counters, totals);
      }
    });
  }

  /**
   * Brings in the spend of the current periods that {@code ledger} recorded, for every budget of the config, and reads
   * back what the store holds. A counter the store already holds (another replica's, or this store kept it) is left
   * as it is. Blocking: call it off the event loop, before serving. A store that fails is counted, not thrown.
   *
   * @param ledger the usage ledger, when the gateway keeps one
   * @throws LedgerUnavailableException when the ledger cannot be read (nothing was seeded)
   */
  public void seed(Optional<LedgerReader> ledger, long nowEpochMillis) throws LedgerUnavailableException {
    if (configuredBudgets.isEmpty()) {
      return;
    }
    if (ledger.isPresent()) {
      Map<BudgetPeriod, Map<String, BigDecimal>> byPeriod = new EnumMap<>(BudgetPeriod.class);
      for (PaygBudget b : configuredBudgets) {
        if (!byPeriod.containsKey(b.period())) {
          Window w = b.period().windowAt(nowEpochMillis);
          byPeriod.put(b.period(), LedgerSpend.byOwner(
              ledger.get().totals(Instant.ofEpochMilli(w.startEpochMillis()), Instant.ofEpochMilli(w.endEpochMillis())),
              costs));
        }
        long micros = Micros.of(byPeriod.get(b.period()).getOrDefault(b.ownerKey(), BigDecimal.ZERO));
        join(Operation.SEED, store.seed(b.counterAt(nowEpochMillis), micros));
      }
    }
    List<SpendCounter> counters = configuredBudgets.stream().map(b -> b.counterAt(nowEpochMillis)).toList();
    join(Operation.SEED, store.spent(counters)).ifPresent(spent -> remember(counters, spent));
  }

  /** The configured budgets (each consumer's and team's of the config, by period), for metrics. */
  public List<PaygBudget> configuredBudgets() {
    return configuredBudgets;
  }

  /** The spend of {@code budget}'s current period as this replica last read or wrote it; 0 when it has not yet. */
  public long seenMicros(PaygBudget budget, long nowEpochMillis) {
    return seen.getOrDefault(budget.counterAt(nowEpochMillis), 0L);
  }

  /** How often {@code operation} failed on the store since start (PAYG was left open for each failed check). */
  public long failures(Operation operation) {
    return failures.get(operation).sum();
  }

  /** Releases the store's connections, when it holds any. */
  public void close() {
    if (store instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing the PAYG spend store failed: " + e.getClass().getSimpleName());
      }
    }
  }

  private PaygRights rightsOf(ConsumerConfig consumer) {
    return PaygRights.of(consumer, Optional.ofNullable(teams.get(consumer.team())));
  }

  /** Keeps the highest total seen per counter (spend only grows within a period), dropping ended periods. */
  private void remember(List<SpendCounter> counters, List<Long> totals) {
    for (int i = 0; i < counters.size(); i++) {
      SpendCounter c = counters.get(i);
      if (!seen.containsKey(c)) {
        seen.keySet().removeIf(old -> old.window().endEpochMillis() <= c.window().startEpochMillis());
      }
      seen.merge(c, totals.get(i), Math::max);
    }
  }

  private <T> Optional<T> join(Operation op, CompletionStage<T> stage) {
    try {
      T value = stage.toCompletableFuture().join();
      answered();
      return Optional.ofNullable(value);
    } catch (CompletionException e) {
      failed(op, e);
      return Optional.empty();
    }
  }

  private void failed(Operation op, Throwable error) {
    failures.get(op).increment();
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (failing.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "PAYG spend could not be counted ({0} failed: {1}); spill rights leave PAYG open until "
          + "the spend store answers again", op.id(), cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
  }

  private void answered() {
    if (failing.compareAndSet(true, false)) {
      LOG.log(Level.INFO, "PAYG spend store answers again; budgets are enforced");
    }
  }
}
