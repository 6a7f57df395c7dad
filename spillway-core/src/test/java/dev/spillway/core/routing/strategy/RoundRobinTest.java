package dev.spillway.core.routing.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class RoundRobinTest {
  private final SelectionStrategy strategy = SelectionStrategy.roundRobin();
  private final SplittableRandom random = new SplittableRandom(5);
  private final List<FakeCandidate> pool =
      List.of(new FakeCandidate(0, 1), new FakeCandidate(1, 9), new FakeCandidate(2, 1), new FakeCandidate(3, 4));

  @Test
  void givesEachOfNCandidatesExactlyKOfKTimesNPicksIgnoringWeights() {
    int[] counts = new int[pool.size()];
    for (int i = 0; i < 25 * pool.size(); i++) {
      counts[strategy.pick(pool, random)]++;
    }
    assertThat(counts).containsOnly(25);
  }

  @Test
  void followsPoolOrderWhateverTheListOrder() {
    List<FakeCandidate> shuffled = List.of(pool.get(2), pool.get(0), pool.get(3), pool.get(1));
    assertThat(picks(shuffled, 8)).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
  }

  @Test
  void skipsAnAbsentBackendWithoutFavouringItsNeighbourAndResumesItsTurnWhenItReturns() {
    assertThat(picks(pool, 2)).containsExactly(0, 1);
    List<FakeCandidate> withoutTwo = List.of(pool.get(0), pool.get(1), pool.get(3));
    assertThat(picks(withoutTwo, 6)).containsExactly(3, 0, 1, 3, 0, 1);
    assertThat(picks(pool, 5)).containsExactly(2, 3, 0, 1, 2);
  }

  @Test
  void startsWithTheLowestPoolIndex() {
    List<FakeCandidate> tail = List.of(pool.get(3), pool.get(2));
    assertThat(picks(tail, 3)).containsExactly(2, 3, 2);
  }

  @Test
  void concurrentPicksFormOneFairRotation() throws Exception {
    int threads = 8;
    int picksPerThread = 10_000;
    AtomicIntegerArray counts = new AtomicIntegerArray(pool.size());
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        SplittableRandom threadRandom = new SplittableRandom(t);
        done.add(executor.submit(() -> {
          for (int i = 0; i < picksPerThread; i++) {
            counts.incrementAndGet(strategy.pick(pool, threadRandom));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      executor.shutdownNow();
    }
    for (int i = 0; i < pool.size(); i++) {
      assertThat(counts.get(i)).isEqualTo(threads * picksPerThread / pool.size());
    }
  }

  /** Pool indexes of the next {@code count} picks. */
  private List<Integer> picks(List<FakeCandidate> candidates, int count) {
    List<Integer> picked = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      picked.add(candidates.get(strategy.pick(candidates, random)).poolIndex());
    }
    return picked;
  }
}
