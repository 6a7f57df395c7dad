package dev.spillway.core.cache.semantic;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One partition's entries. While it holds fewer than {@code exactSearchBelow} a lookup compares the query with every
 * one (exact, and faster than a graph at that size); from there on its vectors are also in an {@link HnswVectors},
 * which proposes the candidates. It goes back to exhaustive search once it shrinks below half that, so a partition
 * near the limit does not build and drop graphs back and forth.
 *
 * <p>Changed only under the index's lock; read by lookups without one (its maps are concurrent, its graph volatile).
 */
final class SemanticPartition {
  private final int dimensions;
  private final int exactSearchBelow;
  private final int graphBatch;
  private final ConcurrentHashMap<String, IndexedEntry> byId = new ConcurrentHashMap<>();
  private volatile HnswVectors graph;

  SemanticPartition(int dimensions, int exactSearchBelow, int graphBatch) {
    this.dimensions = dimensions;
    this.exactSearchBelow = exactSearchBelow;
    this.graphBatch = graphBatch;
  }

  int dimensions() {
    return dimensions;
  }

  /** Adds {@code e} (in place of any entry of its id); a graph that now has maintenance due is added to {@code due}. */
  void add(IndexedEntry e, List<HnswVectors> due) {
    IndexedEntry previous = byId.put(e.entry().id(), e);
    HnswVectors g = graph;
    if (g != null && previous != null) {
      g.remove(previous);
    }
    if (g == null && byId.size() >= exactSearchBelow) {
      g = new HnswVectors(graphBatch);
      for (IndexedEntry held : byId.values()) {
        g.add(held);
      }
      graph = g;
    } else if (g != null) {
      g.add(e);
    }
    if (g != null && g.claimMaintenance(false)) {
      due.add(g);
    }
  }

  /** Removes {@code entry} if this partition holds that very entry; returns whether it did. */
  boolean remove(SemanticEntry entry, List<HnswVectors> due) {
    IndexedEntry held = byId.get(entry.id());
    if (held == null || held.entry() != entry) {
      return false;
    }
    byId.remove(entry.id());
    HnswVectors g = graph;
    if (g == null) {
      return true;
    }
    if (byId.size() < exactSearchBelow / 2 || byId.isEmpty()) {
      graph = null;
      g.retire();
      if (g.claimMaintenance(true)) {
        due.add(g);
      }
    } else {
      g.remove(held);
      if (g.claimMaintenance(false)) {
        due.add(g);
      }
    }
    return true;
  }

  /** The entry held under {@code id}, or null. */
  SemanticEntry entry(String id) {
    IndexedEntry held = byId.get(id);
    return held == null ? null : held.entry();
  }

  boolean isEmpty() {
    return byId.isEmpty();
  }

  int size() {
    return byId.size();
  }

  /** The {@code k} entries most similar to {@code query}, at least {@code threshold}, most similar first. */
  List<TopCandidates.Candidate> candidates(float[] query, double threshold, int k) {
    TopCandidates top = new TopCandidates(query, threshold);
    HnswVectors g = graph;
    if (g == null) {
      top.offerAll(byId.values());
    } else {
      g.candidates(top, query, Math.max(k, HnswVectors.SEARCH_BEAM));
    }
    return top.top(k);
  }

  /** The graph, or null while the partition is searched exhaustively (for tests). */
  HnswVectors graph() {
    return graph;
  }
}
