package dev.spillway.core.spend;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where PAYG spend per consumer and team per period is counted: {@link InMemorySpendStore} for one replica, the Redis
 * store of the gateway to share it between replicas. Every implementation passes the same contract suite ({@code
 * SpendStoreContract}).
 *
 * <p>Amounts are whole millionths of the currency ({@link Micros}). A counter that was never added to holds 0. Once a
 * counter's period is over a store may forget it (it is never read again: the next period has counters of its own).
 *
 * <p>Implementations are thread-safe. Stages complete on an implementation-defined thread (an event loop for Redis);
 * they fail only with {@link SpendStoreUnavailableException}. Invalid arguments are bugs and throw at once.
 */
public interface SpendStore {

  /** The spend so far of each of {@code counters}, in the same order. */
  CompletionStage<List<Long>> spent(List<SpendCounter> counters);

  /**
   * Adds {@code micros} ({@code >= 0}) to each of {@code counters} and returns their new totals, in the same order.
   * Each addition is atomic on its counter (concurrent additions from any number of replicas all count).
   *
   * @param counters distinct counters
   */
  CompletionStage<List<Long>> add(List<SpendCounter> counters, long micros);

  /**
   * Sets {@code counter} to {@code micros} unless it already holds a value: how spend found in the ledger at start is
   * brought in without counting it twice when another replica (or this one) already counts the period.
   */
  CompletionStage<Void> seed(SpendCounter counter, long micros);
}
