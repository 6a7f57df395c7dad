package dev.spillway.core.spend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spend counters of one replica, in memory: the default, seeded at start from the ledger so a restart keeps the
 * period's spend. Additions are atomic ({@link AtomicLong#addAndGet}), so concurrent event loops never lose one.
 * When a counter of a new period appears, counters whose period ended before it began are dropped, so memory stays at
 * one counter per owner and period. Thread-safe; every stage is already complete when returned.
 */
public final class InMemorySpendStore implements SpendStore {
  private final Map<SpendCounter, AtomicLong> counters = new ConcurrentHashMap<>();

  @Override
  public CompletionStage<List<Long>> spent(List<SpendCounter> wanted) {
    List<Long> totals = new ArrayList<>(wanted.size());
    for (SpendCounter c : wanted) {
      AtomicLong total = counters.get(c);
      totals.add(total == null ? 0L : total.get());
    }
    return CompletableFuture.completedFuture(totals);
  }

  @Override
  public CompletionStage<List<Long>> add(List<SpendCounter> targets, long micros) {
    SpendCounter.requireDistinct(targets);
    if (micros < 0) {
      throw new IllegalArgumentException("micros must be >= 0, got " + micros);
    }
    List<Long> totals = new ArrayList<>(targets.size());
    for (SpendCounter c : targets) {
      totals.add(counter(c).addAndGet(micros));
    }
    return CompletableFuture.completedFuture(totals);
  }

  @Override
  public CompletionStage<Void> seed(SpendCounter counter, long micros) {
    if (micros < 0) {
      throw new IllegalArgumentException("micros must be >= 0, got " + micros);
    }
    if (!counters.containsKey(counter)) {
      forgetEndedBefore(counter);
      counters.putIfAbsent(counter, new AtomicLong(micros));
    }
    return CompletableFuture.completedFuture(null);
  }

  private AtomicLong counter(SpendCounter c) {
    AtomicLong existing = counters.get(c);
    if (existing != null) {
      return existing;
    }
    forgetEndedBefore(c);
    return counters.computeIfAbsent(c, k -> new AtomicLong());
  }

  /** Drops counters whose period was over when {@code newer}'s began. */
  private void forgetEndedBefore(SpendCounter newer) {
    counters.keySet().removeIf(c -> c.window().endEpochMillis() <= newer.window().startEpochMillis());
  }
}
