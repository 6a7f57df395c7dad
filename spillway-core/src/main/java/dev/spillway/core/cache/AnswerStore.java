package dev.spillway.core.cache;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where the exact layer keeps its answers: {@link InMemoryAnswerStore} in the process (the default), or Redis to share
 * them between replicas. Every implementation passes the same contract suite ({@code AnswerStoreContract}).
 *
 * <p>Implementations are thread-safe. Their stages never fail: a store that cannot be reached answers "not there" to
 * {@link #get} and drops a {@link #put}, so a broken cache costs a backend call, never a request.
 */
public interface AnswerStore {

  /** The answer stored under {@code key}, unless it expired by {@code nowMillis}. */
  CompletionStage<Optional<CachedAnswer>> get(String key, long nowMillis);

  /** Stores {@code answer} under its key until its expiry, replacing any; may drop others to stay within bounds. */
  CompletionStage<Void> put(CachedAnswer answer, long nowMillis);

  /**
   * Removes every answer in {@code scope}; completes with how many were removed. The one stage that may fail: with
   * {@link CacheUnavailableException} when a shared store cannot be reached, since the answers are then still there.
   */
  CompletionStage<Long> invalidate(CacheScope scope);
}
