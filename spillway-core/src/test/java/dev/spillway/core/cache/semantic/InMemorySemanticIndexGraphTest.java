package dev.spillway.core.cache.semantic;

import static dev.spillway.core.cache.semantic.TestVectors.entry;
import static dev.spillway.core.cache.semantic.TestVectors.near;
import static dev.spillway.core.cache.semantic.TestVectors.random;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.cache.CacheScope;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;

/** When a partition is searched through a graph, and how the graph follows the entries. */
class InMemorySemanticIndexGraphTest {
  static final long FOREVER = Long.MAX_VALUE;
  static final String P = "p";

  /** Runs the maintenance it is handed only when the test says. */
  static final class HeldExecutor implements Executor {
    final ArrayDeque<Runnable> held = new ArrayDeque<>();

    @Override
    public void execute(Runnable r) {
      held.add(r);
    }

    void runAll() {
      while (!held.isEmpty()) {
        held.poll().run();
      }
    }
  }

  static Optional<String> nearestId(InMemorySemanticIndex index, float[] v) {
    return index.nearest(P, "q", v, 0.95, LexicalGuard.NONE, 0).map(m -> m.entry().id());
  }

  @Test
  void aPartitionIsSearchedExhaustivelyBelowTheLimitAndThroughAGraphFromIt() {
    InMemorySemanticIndex index = new InMemorySemanticIndex(1_000, 1L << 30, 5, Runnable::run, 1);
    for (int i = 0; i < 4; i++) {
      index.put(entry(P, "e" + i, "q", random(i), FOREVER), 0);
    }
    assertThat(index.partition(P).graph()).isNull();
    index.put(entry(P, "e4", "q", random(4), FOREVER), 0);
    HnswVectors graph = index.partition(P).graph();
    assertThat(graph).isNotNull();
    assertThat(graph.graphDocuments()).isEqualTo(5);
    assertThat(graph.pendingCount()).isZero();
    for (int i = 0; i < 5; i++) {
      assertThat(nearestId(index, near(random(i), 0.98, 100 + i))).contains("e" + i);
    }
  }

  @Test
  void aPartitionGoesBackToExhaustiveSearchBelowHalfTheLimit() {
    InMemorySemanticIndex index = new InMemorySemanticIndex(1_000, 1L << 30, 6, Runnable::run, 1);
    for (int i = 0; i < 6; i++) {
      index.put(entry(P, "e" + i, "q", random(i), FOREVER), 0);
    }
    assertThat(index.partition(P).graph()).isNotNull();
    index.invalidate(new CacheScope("", "", "e0"));
    index.invalidate(new CacheScope("", "", "e1"));
    index.invalidate(new CacheScope("", "", "e2"));
    assertThat(index.partition(P).graph()).as("3 of a limit of 6: kept").isNotNull();
    assertThat(index.partition(P).graph().graphDocuments()).isEqualTo(3);
    HnswVectors retired = index.partition(P).graph();
    index.invalidate(new CacheScope("", "", "e3"));
    assertThat(index.partition(P).graph()).isNull();
    assertThat(retired.graphDocuments()).as("closed").isEqualTo(-1);
    assertThat(nearestId(index, random(4))).contains("e4");
    assertThat(nearestId(index, random(3))).isEmpty();
  }

  @Test
  void entriesNotYetInTheGraphAreFoundAndRemovedOnesAreNotThoughTheGraphStillHoldsThem() {
    HeldExecutor maintenance = new HeldExecutor();
    InMemorySemanticIndex index = new InMemorySemanticIndex(1_000, 1L << 30, 1, maintenance, 4);
    for (int i = 0; i < 3; i++) {
      index.put(entry(P, "e" + i, "q", random(i), FOREVER), 0);
    }
    HnswVectors graph = index.partition(P).graph();
    assertThat(maintenance.held).isEmpty();
    assertThat(graph.graphDocuments()).as("not built yet").isEqualTo(-1);
    assertThat(nearestId(index, random(1))).contains("e1");

    index.put(entry(P, "e3", "q", random(3), FOREVER), 0);
    assertThat(maintenance.held).hasSize(1);
    assertThat(graph.pendingCount()).as("the caller's thread wrote nothing").isEqualTo(4);
    maintenance.runAll();
    assertThat(graph.graphDocuments()).isEqualTo(4);
    assertThat(graph.pendingCount()).isZero();

    index.invalidate(new CacheScope("", "", "e2"));
    assertThat(maintenance.held).isEmpty();
    assertThat(graph.graphDocuments()).as("the removal is queued, not yet written").isEqualTo(4);
    assertThat(nearestId(index, random(2))).isEmpty();
    assertThat(nearestId(index, random(0))).contains("e0");

    index.put(entry(P, "e4", "q", random(4), FOREVER), 0);
    index.put(entry(P, "e5", "q", random(5), FOREVER), 0);
    index.put(entry(P, "e6", "q", random(6), FOREVER), 0);
    maintenance.runAll();
    assertThat(graph.graphDocuments()).isEqualTo(6);
    assertThat(graph.pendingCount()).isZero();
    assertThat(nearestId(index, random(2))).isEmpty();
    assertThat(nearestId(index, random(6))).contains("e6");
  }

  @Test
  void onceRemovedNodesOutnumberLiveOnesTheGraphIsRebuiltFromTheLiveEntries() {
    InMemorySemanticIndex index = new InMemorySemanticIndex(1_000, 1L << 30, 1, Runnable::run, 1);
    for (int i = 0; i < 100; i++) {
      index.put(entry(P, "e" + i, "q", random(i), FOREVER), 0);
    }
    HnswVectors graph = index.partition(P).graph();
    for (int i = 0; i < 63; i++) {
      index.invalidate(new CacheScope("", "", "e" + i));
    }
    assertThat(graph.graphNodes()).as("63 removed of 100: kept as ways through").isEqualTo(100);
    assertThat(graph.graphDocuments()).isEqualTo(37);
    index.invalidate(new CacheScope("", "", "e63"));
    assertThat(graph.graphNodes()).as("64 removed, 36 live: rebuilt").isEqualTo(36);
    assertThat(graph.graphDocuments()).isEqualTo(36);
    for (int i = 0; i < 100; i++) {
      assertThat(nearestId(index, near(random(i), 0.98, 100 + i))).as("e" + i)
          .isEqualTo(i < 64 ? Optional.empty() : Optional.of("e" + i));
    }
    index.put(entry(P, "late", "q", random(500), FOREVER), 0);
    assertThat(graph.graphNodes()).isEqualTo(37);
    assertThat(nearestId(index, random(500))).contains("late");
  }

  @Test
  void findsEachPlantedNeighbourAmongAThousandThroughTheGraph() {
    InMemorySemanticIndex index = new InMemorySemanticIndex(10_000, 1L << 30, 1, Runnable::run, 100);
    for (int i = 0; i < 1_000; i++) {
      index.put(entry(P, "e" + i, "q", random(1_000 + i), FOREVER), 0);
    }
    HnswVectors graph = index.partition(P).graph();
    assertThat(graph.graphDocuments()).isEqualTo(1_000);
    int found = 0;
    for (int i = 0; i < 1_000; i += 5) {
      if (nearestId(index, near(random(1_000 + i), 0.97, 5_000 + i)).equals(Optional.of("e" + i))) {
        found++;
      }
    }
    assertThat(found).isEqualTo(200);
    assertThat(graph.searchFailures()).isZero();
  }

  /**
   * Regression: Lucene's graph walks neighbours through a cursor of its own, so searches at once moved each other's
   * (a search then stepped onto a level its node is not on: an assertion error, or with assertions off a wrong walk).
   */
  @Test
  void lookupsAtOnceOnOneGraphEachFindTheirOwnNeighbour() throws Exception {
    InMemorySemanticIndex index = new InMemorySemanticIndex(10_000, 1L << 30, 1, Runnable::run, 100);
    for (int i = 0; i < 2_000; i++) {
      index.put(entry(P, "e" + i, "q", random(i), FOREVER), 0);
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      java.util.List<java.util.concurrent.Callable<Integer>> jobs = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        jobs.add(() -> {
          int found = 0;
          for (int round = 0; round < 10; round++) {
            for (int i = thread; i < 2_000; i += 4) {
              if (nearestId(index, near(random(i), 0.97, 9_000 + i)).equals(Optional.of("e" + i))) {
                found++;
              }
            }
          }
          return found;
        });
      }
      int found = 0;
      for (java.util.concurrent.Future<Integer> f : pool.invokeAll(jobs)) {
        found += f.get();
      }
      assertThat(found).isEqualTo(10 * 2_000);
      assertThat(index.partition(P).graph().searchFailures()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }
}
