package dev.spillway.core.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/**
 * The contract with every partition searched through its Lucene HNSW graph from its first entry, each change written
 * and refreshed at once: a lookup finds entries through the graph, not the exhaustive scan of recent additions.
 */
class InMemorySemanticIndexHnswTest extends SemanticIndexContract {
  private final List<InMemorySemanticIndex> made = new ArrayList<>();

  @Override
  SemanticIndex index(long maxEntries, long maxBytes) {
    InMemorySemanticIndex index = new InMemorySemanticIndex(maxEntries, maxBytes, 1, Runnable::run, 1);
    made.add(index);
    return index;
  }

  /** Every removal (eviction, expiry, replacement, invalidation) reached the graph, and nothing waits to be added. */
  @AfterEach
  void eachGraphHoldsExactlyItsPartitionsEntries() {
    for (InMemorySemanticIndex index : made) {
      for (String p : List.of(P, "p0", "p1", "p2", "p3", "p4", "other", "elsewhere", "moved")) {
        SemanticPartition partition = index.partition(p);
        if (partition == null) {
          continue;
        }
        HnswVectors graph = partition.graph();
        assertThat(graph).as(p).isNotNull();
        assertThat(graph.pendingCount()).as(p).isZero();
        assertThat(graph.graphDocuments()).as(p).isEqualTo(partition.size());
        assertThat(graph.searchFailures()).as(p).isZero();
      }
    }
  }
}
