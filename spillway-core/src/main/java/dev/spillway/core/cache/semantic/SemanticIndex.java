package dev.spillway.core.cache.semantic;

import dev.spillway.core.cache.CacheScope;
import java.util.Optional;

/**
 * The semantic layer's entries, searched within one partition at a time (a partition is a hard filter: an entry of
 * another is never returned, however similar). Bounded by entry count and bytes (least recently used dropped first),
 * each entry until its answer's expiry. Thread-safe; every method is fast enough for the event loop except {@link
 * #nearest} on a large partition, which the gateway calls off it.
 */
public interface SemanticIndex {

  /**
   * The entry of {@code partition} whose vector is most similar to {@code vector}, at least {@code threshold}, and
   * whose question {@code guard} lets stand in for {@code question}; empty when there is none.
   */
  Optional<SemanticMatch> nearest(
      String partition, String question, float[] vector, double threshold, LexicalGuard guard, long nowMillis);

  /** Stores {@code entry} (replacing one of the same id), dropping others to stay within bounds. */
  void put(SemanticEntry entry, long nowMillis);

  /** Removes the entries in {@code scope}; returns how many. */
  long invalidate(CacheScope scope);

  /** Entries held. */
  int size();

  /** Bytes held, as {@link SemanticEntry#weight} counts them. */
  long bytes();
}
