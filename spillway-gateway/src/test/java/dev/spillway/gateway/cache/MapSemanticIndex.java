package dev.spillway.gateway.cache;

import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.semantic.LexicalGuard;
import dev.spillway.core.cache.semantic.SemanticEntry;
import dev.spillway.core.cache.semantic.SemanticIndex;
import dev.spillway.core.cache.semantic.SemanticMatch;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A semantic index without bounds that searches exhaustively: enough to see what sharing puts into a replica's index
 * and takes out of it, without the production index's graphs and eviction.
 */
final class MapSemanticIndex implements SemanticIndex {
  private final ConcurrentHashMap<String, SemanticEntry> entries = new ConcurrentHashMap<>();

  @Override
  public Optional<SemanticMatch> nearest(
      String partition, String question, float[] vector, double threshold, LexicalGuard guard, long nowMillis) {
    SemanticMatch best = null;
    for (SemanticEntry e : entries.values()) {
      if (!e.partition().equals(partition) || e.answer().expired(nowMillis)
          || guard.refuse(question, e.question()).isPresent()) {
        continue;
      }
      double similarity = 0;
      for (int i = 0; i < vector.length; i++) {
        similarity += vector[i] * e.vector()[i];
      }
      if (similarity >= threshold && (best == null || similarity > best.similarity())) {
        best = new SemanticMatch(e, similarity);
      }
    }
    return Optional.ofNullable(best);
  }

  @Override
  public void put(SemanticEntry entry, long nowMillis) {
    entries.put(entry.id(), entry);
  }

  @Override
  public long invalidate(CacheScope scope) {
    long removed = 0;
    for (SemanticEntry e : entries.values()) {
      if (scope.matches(e.answer()) && entries.remove(e.id(), e)) {
        removed++;
      }
    }
    return removed;
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public long bytes() {
    return entries.values().stream().mapToLong(SemanticEntry::weight).sum();
  }

  boolean holds(String id) {
    return entries.containsKey(id);
  }
}
