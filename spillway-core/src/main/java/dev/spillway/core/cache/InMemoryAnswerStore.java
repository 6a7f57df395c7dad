package dev.spillway.core.cache;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The exact layer's answers in this process: at most {@code maxEntries} and {@code maxBytes}, least recently used
 * dropped first, each until its expiry. Stages are complete when returned.
 */
public final class InMemoryAnswerStore implements AnswerStore {
  private final BoundedLru<CachedAnswer> entries;

  public InMemoryAnswerStore(long maxEntries, long maxBytes) {
    this.entries = new BoundedLru<>(maxEntries, maxBytes, CachedAnswer::weight, CachedAnswer::expiresAtMillis);
  }

  @Override
  public CompletionStage<Optional<CachedAnswer>> get(String key, long nowMillis) {
    return CompletableFuture.completedFuture(entries.get(key, nowMillis));
  }

  @Override
  public CompletionStage<Void> put(CachedAnswer answer, long nowMillis) {
    entries.put(answer.key(), answer, nowMillis);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Long> invalidate(CacheScope scope) {
    if (!scope.key().isEmpty()) {
      long n = entries.get(scope.key(), Long.MIN_VALUE).filter(scope::matches).flatMap(a -> entries.remove(a.key())).isPresent() ? 1 : 0;
      return CompletableFuture.completedFuture(n);
    }
    return CompletableFuture.completedFuture((long) entries.removeIf(scope::matches).size());
  }

  /** Entries held now. */
  public int size() {
    return entries.size();
  }

  /** Bytes held now, as {@link CachedAnswer#weight} counts them. */
  public long bytes() {
    return entries.bytes();
  }
}
