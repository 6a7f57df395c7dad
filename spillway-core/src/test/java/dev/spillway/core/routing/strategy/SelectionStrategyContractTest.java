package dev.spillway.core.routing.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.RoutingStrategy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What every selection strategy guarantees. New kinds are covered automatically. */
class SelectionStrategyContractTest {

  @ParameterizedTest
  @EnumSource(value = RoutingStrategy.class, names = "PRIORITY", mode = EnumSource.Mode.EXCLUDE)
  void alwaysReturnsAnIndexIntoTheCandidates(RoutingStrategy kind) {
    SelectionStrategy strategy = SelectionStrategy.of(kind);
    SplittableRandom random = new SplittableRandom(1);
    for (int round = 0; round < 500; round++) {
      List<FakeCandidate> candidates = randomCandidates(random);
      for (int i = 0; i < 20; i++) {
        assertThat(strategy.pick(candidates, random)).isBetween(0, candidates.size() - 1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = RoutingStrategy.class, names = "PRIORITY", mode = EnumSource.Mode.EXCLUDE)
  void picksASingleCandidateEveryTime(RoutingStrategy kind) {
    SelectionStrategy strategy = SelectionStrategy.of(kind);
    SplittableRandom random = new SplittableRandom(2);
    List<FakeCandidate> unmeasured = List.of(new FakeCandidate(3, 5).withInFlight(7));
    List<FakeCandidate> measured = List.of(FakeCandidate.at(0).measured(900, 50));
    for (int i = 0; i < 1_000; i++) {
      assertThat(strategy.pick(unmeasured, random)).isZero();
      assertThat(strategy.pick(measured, random)).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(value = RoutingStrategy.class, names = "PRIORITY", mode = EnumSource.Mode.EXCLUDE)
  void picksOnlyAmongTheCandidatesPassedWhenTheSetChanges(RoutingStrategy kind) {
    SelectionStrategy strategy = SelectionStrategy.of(kind);
    SplittableRandom random = new SplittableRandom(3);
    List<FakeCandidate> pool = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pool.add(FakeCandidate.at(i));
    }
    // Pool indexes that are not list positions, in a list not in pool order.
    List<FakeCandidate> odd = List.of(pool.get(5), pool.get(1), pool.get(3));
    List<FakeCandidate> even = List.of(pool.get(4), pool.get(0));
    Set<FakeCandidate> picked = new HashSet<>();
    for (int i = 0; i < 3_000; i++) {
      picked.add(odd.get(strategy.pick(odd, random)));
    }
    // Equal candidates: every strategy spreads over all of them, and over nothing else.
    assertThat(picked).containsExactlyInAnyOrderElementsOf(odd);

    Set<FakeCandidate> pickedFromOdd = new HashSet<>();
    Set<FakeCandidate> pickedFromEven = new HashSet<>();
    for (int i = 0; i < 3_000; i++) {
      pickedFromOdd.add(odd.get(strategy.pick(odd, random)));
      pickedFromEven.add(even.get(strategy.pick(even, random)));
    }
    assertThat(pickedFromOdd).isNotEmpty().isSubsetOf(odd);
    assertThat(pickedFromEven).isNotEmpty().isSubsetOf(even);
  }

  @ParameterizedTest
  @EnumSource(value = RoutingStrategy.class, names = "PRIORITY", mode = EnumSource.Mode.EXCLUDE)
  void rejectsAnEmptyCandidateList(RoutingStrategy kind) {
    assertThatThrownBy(() -> SelectionStrategy.of(kind).pick(List.of(), new SplittableRandom(4)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(value = RoutingStrategy.class, names = "PRIORITY", mode = EnumSource.Mode.EXCLUDE)
  void staysValidUnderConcurrentPicksWhileBackendsChange(RoutingStrategy kind) throws Exception {
    SelectionStrategy strategy = SelectionStrategy.of(kind);
    List<FakeCandidate> candidates = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      candidates.add(new FakeCandidate(i, 1 + i % 3));
    }
    int threads = 8;
    int picksPerThread = 20_000;
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        SplittableRandom random = new SplittableRandom(100 + t);
        done.add(executor.submit(() -> {
          try {
            start.await();
            for (int i = 0; i < picksPerThread; i++) {
              // Alternate the full set and a changing subset, as throttles come and go.
              List<FakeCandidate> offered = i % 3 == 0 ? candidates.subList(i % 4, 6) : candidates;
              int index = strategy.pick(offered, random);
              if (index < 0 || index >= offered.size()) {
                throw new AssertionError(kind + " picked " + index + " of " + offered.size());
              }
              FakeCandidate picked = offered.get(index);
              picked.callStarted();
              picked.latency().record(random.nextLong(1_000_000), 2_000_000, 1 + random.nextInt(50));
              picked.callEnded();
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      executor.shutdownNow();
    }
    assertThat(failures).isEmpty();
    for (FakeCandidate c : candidates) {
      assertThat(c.inFlight()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(value = RoutingStrategy.class, names = "PRIORITY", mode = EnumSource.Mode.EXCLUDE)
  void returnsANewInstanceForEachPool(RoutingStrategy kind) {
    assertThat(SelectionStrategy.of(kind)).isNotSameAs(SelectionStrategy.of(kind));
    assertThat(SelectionStrategy.of(kind)).hasToString(kind.id());
  }

  @Test
  void refusesPriorityWhichIsTheRoutersGrouping() {
    assertThatThrownBy(() -> SelectionStrategy.of(RoutingStrategy.PRIORITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("priority");
  }

  private static List<FakeCandidate> randomCandidates(SplittableRandom random) {
    int size = 1 + random.nextInt(8);
    List<FakeCandidate> candidates = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      FakeCandidate c = new FakeCandidate(i * 2 + random.nextInt(2), 1 + random.nextInt(5))
          .withInFlight(random.nextInt(4));
      if (random.nextBoolean()) {
        c.measured(random.nextInt(2_000), random.nextInt(100));
      }
      candidates.add(c);
    }
    return candidates;
  }
}
