package dev.spillway.core.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The contract with every partition searched exhaustively (none reaches {@code exactSearchBelow}). */
class InMemorySemanticIndexExactTest extends SemanticIndexContract {
  private final List<InMemorySemanticIndex> made = new ArrayList<>();

  @Override
  SemanticIndex index(long maxEntries, long maxBytes) {
    InMemorySemanticIndex index = new InMemorySemanticIndex(maxEntries, maxBytes, 1_000_000, Runnable::run);
    made.add(index);
    return index;
  }

  @AfterEach
  void noPartitionBuiltAGraph() {
    for (InMemorySemanticIndex index : made) {
      for (String p : List.of(P, "p0", "p1", "p2", "p3", "p4", "other", "elsewhere", "moved")) {
        SemanticPartition partition = index.partition(p);
        assertThat(partition == null || partition.graph() == null).isTrue();
      }
    }
  }
}
