package dev.spillway.gateway.spend;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigProblem;
import dev.spillway.core.config.LimitsConfig;
import dev.spillway.core.config.PipelineConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.spend.InMemorySpendStore;
import dev.spillway.core.spend.SpendBook;
import dev.spillway.core.spend.SpendStore;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.ledger.Ledgers;
import dev.spillway.gateway.store.redis.RedisLimitOptions;
import dev.spillway.gateway.store.redis.RedisSpendStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The PAYG spend book the config asks for, and its start: counters in Redis when the limits are there ({@code
 * limits.store: redis}, so replicas share spend as they share limits), else in memory; seeded from the ledger before
 * the gateway serves, so a restart keeps the period's spend.
 */
public final class SpendBooks {
  private static final Logger LOG = System.getLogger("spillway.spend");

  private SpendBooks() {}

  /** A book over the store the config asks for. Contacts nothing yet. */
  public static SpendBook open(Vertx vertx, SpillwayConfig config, Ticker ticker) {
    if (!SpendBook.restrictsAny(config)) {
      return new SpendBook(new InMemorySpendStore(), config); // nothing to count: never touches its store
    }
    return new SpendBook(store(vertx, config.limits(), ticker), config);
  }

  /**
   * @throws ConfigException when consumers or teams limit PAYG but an explicit {@code pipeline:} leaves out {@code
   *     spillRights}: their rules would silently not apply
   */
  public static void requireStage(SpillwayConfig config) {
    PipelineConfig pipeline = config.pipeline();
    if (!SpendBook.restrictsAny(config) || pipeline.isDefault()
        || pipeline.stages().stream().anyMatch(s -> s.name().equals("spillRights"))) {
      return;
    }
    String source = pipeline.source().isEmpty() ? "config" : pipeline.source();
    throw new ConfigException(List.of(new ConfigProblem(source, pipeline.stages().getFirst().line(), "pipeline",
        "consumers or teams set payg or paygBudget, but the pipeline leaves out spillRights, so those rules would not"
            + " apply; add spillRights after limits")));
  }

  /**
   * Brings the ledger's spend of the current periods into {@code book}, off the event loop. Never fails: a ledger
   * that cannot be read is logged and spend is counted from zero.
   */
  public static Future<Void> seed(Vertx vertx, SpendBook book, SpillwayConfig config, Clock clock) {
    if (!book.enforces() || book.configuredBudgets().isEmpty()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      Optional<LedgerReader> reader = Ledgers.openReader(config.ledger());
      try {
        book.seed(reader, clock.millis());
      } catch (LedgerUnavailableException e) {
        LOG.log(Level.WARNING, "PAYG budgets: the ledger could not be read, so this period's spend counts from zero: "
            + e.getMessage());
      } finally {
        reader.ifPresent(LedgerReader::close);
      }
      return null;
    }, false);
  }

  private static SpendStore store(Vertx vertx, LimitsConfig limits, Ticker ticker) {
    if (limits.store() != LimitsConfig.Store.REDIS) {
      return new InMemorySpendStore();
    }
    RedisLimitOptions options = RedisLimitOptions.builder().connectionString(limits.redisUrl()).build();
    return RedisSpendStore.create(vertx, options, ticker);
  }
}
