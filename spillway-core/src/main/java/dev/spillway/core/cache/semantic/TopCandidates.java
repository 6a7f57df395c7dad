package dev.spillway.core.cache.semantic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.util.VectorUtil;

/**
 * Gathers the entries at least {@code threshold} similar to a query, each once, and gives the {@code k} most similar.
 * The similarity is always the dot product of the entry's own vector with the query, whichever search proposed it.
 * Not thread-safe: one per lookup.
 */
final class TopCandidates {
  /** An entry and its similarity to the query. */
  record Candidate(IndexedEntry indexed, double similarity) {
    SemanticEntry entry() {
      return indexed.entry();
    }
  }

  private static final Comparator<Candidate> MOST_SIMILAR_FIRST =
      Comparator.comparingDouble(Candidate::similarity).reversed().thenComparingLong(c -> c.indexed().serial());

  private final float[] query;
  private final double threshold;
  private final List<Candidate> found = new ArrayList<>();
  private final Set<Long> seen = new HashSet<>();

  TopCandidates(float[] query, double threshold) {
    this.query = query;
    this.threshold = threshold;
  }

  void offer(IndexedEntry e) {
    float[] v = e.entry().vector();
    if (v.length != query.length || !seen.add(e.serial())) {
      return;
    }
    double similarity = VectorUtil.dotProduct(query, v);
    if (similarity >= threshold) {
      found.add(new Candidate(e, similarity));
    }
  }

  void offerAll(Iterable<IndexedEntry> entries) {
    for (IndexedEntry e : entries) {
      offer(e);
    }
  }

  /** The {@code k} most similar, most similar first (ties: the earlier stored first). */
  List<Candidate> top(int k) {
    found.sort(MOST_SIMILAR_FIRST);
    return found.size() <= k ? found : found.subList(0, k);
  }
}
