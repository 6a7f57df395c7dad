package dev.spillway.core.cache.semantic;

import static dev.spillway.core.cache.semantic.TestVectors.entry;
import static dev.spillway.core.cache.semantic.TestVectors.near;
import static dev.spillway.core.cache.semantic.TestVectors.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.spillway.core.cache.CacheScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SemanticIndex} does, whatever searches its partitions. A subclass makes the index; vectors are
 * made here with exact similarities ({@link TestVectors}), time is passed in.
 */
abstract class SemanticIndexContract {
  static final long FOREVER = Long.MAX_VALUE;
  static final String P = "partition-1";

  /** An empty index bounded by {@code maxEntries} and {@code maxBytes}. */
  abstract SemanticIndex index(long maxEntries, long maxBytes);

  SemanticIndex index() {
    return index(10_000, 64L * 1024 * 1024);
  }

  static Optional<String> idOf(Optional<SemanticMatch> m) {
    return m.map(x -> x.entry().id());
  }

  static Optional<SemanticMatch> ask(SemanticIndex index, String partition, float[] v, double threshold, long now) {
    return index.nearest(partition, "asked", v, threshold, LexicalGuard.NONE, now);
  }

  @Test
  void returnsTheMostSimilarEntryAtOrAboveTheThreshold() {
    SemanticIndex index = index();
    float[] q = random(1);
    index.put(entry(P, "a", "qa", near(q, 0.97, 10), FOREVER), 0);
    index.put(entry(P, "b", "qb", near(q, 0.99, 11), FOREVER), 0);
    index.put(entry(P, "c", "qc", near(q, 0.96, 12), FOREVER), 0);
    for (int i = 0; i < 20; i++) {
      index.put(entry(P, "noise-" + i, "n", random(100 + i), FOREVER), 0);
    }
    Optional<SemanticMatch> m = ask(index, P, q, 0.95, 0);
    assertThat(idOf(m)).contains("b");
    assertThat(m.get().similarity()).isCloseTo(0.99, within(1e-4));
    assertThat(m.get().entry().question()).isEqualTo("qb");
  }

  @Test
  void nothingBelowTheThresholdIsReturned() {
    SemanticIndex index = index();
    float[] q = random(2);
    index.put(entry(P, "a", "qa", near(q, 0.90, 20), FOREVER), 0);
    assertThat(ask(index, P, q, 0.95, 0)).isEmpty();
    assertThat(idOf(ask(index, P, q, 0.90 - 1e-4, 0))).contains("a");
    assertThat(ask(index, "no-such-partition", q, 0.5, 0)).isEmpty();
  }

  @Test
  void aPartitionIsAHardFilterHoweverSimilarAnotherPartitionsEntry() {
    SemanticIndex index = index();
    float[] q = random(3);
    index.put(entry("other", "same-vector", "q", q, FOREVER), 0);
    assertThat(ask(index, P, q, 0.5, 0)).isEmpty();
    index.put(entry(P, "mine", "q", near(q, 0.96, 30), FOREVER), 0);
    assertThat(idOf(ask(index, P, q, 0.95, 0))).contains("mine");
    assertThat(idOf(ask(index, "other", q, 0.95, 0))).contains("same-vector");
  }

  @Test
  void whenTheGuardRefusesTheNearestTheNextCandidateAnswers() {
    SemanticIndex index = index();
    float[] q = random(4);
    index.put(entry(P, "refused", "do not use me", near(q, 0.99, 40), FOREVER), 0);
    index.put(entry(P, "allowed", "use me", near(q, 0.97, 41), FOREVER), 0);
    List<String> seen = new ArrayList<>();
    LexicalGuard guard = (asked, stored) -> {
      seen.add(asked + " | " + stored);
      return stored.startsWith("do not") ? Optional.of("refused") : Optional.empty();
    };
    Optional<SemanticMatch> m = index.nearest(P, "my question", q, 0.95, guard, 0);
    assertThat(idOf(m)).contains("allowed");
    assertThat(seen).containsExactly("my question | do not use me", "my question | use me");

    LexicalGuard refuseAll = (asked, stored) -> Optional.of("no");
    assertThat(index.nearest(P, "my question", q, 0.95, refuseAll, 0)).isEmpty();
  }

  @Test
  void anEntryIsServedUntilItsExpiryAndNotFromThen() {
    SemanticIndex index = index();
    float[] q = random(5);
    index.put(entry(P, "short", "q", near(q, 0.99, 50), 1_000), 0);
    index.put(entry(P, "long", "q", near(q, 0.97, 51), 5_000), 0);
    assertThat(idOf(ask(index, P, q, 0.95, 999))).contains("short");
    assertThat(idOf(ask(index, P, q, 0.95, 1_000))).contains("long");
    assertThat(index.size()).isEqualTo(1);
    assertThat(ask(index, P, q, 0.95, 5_000)).isEmpty();
    assertThat(index.size()).isZero();
    assertThat(index.bytes()).isZero();
  }

  @Test
  void anEntryExpiredWhenPutIsNotStored() {
    SemanticIndex index = index();
    float[] q = random(6);
    index.put(entry(P, "late", "q", q, 100), 100);
    assertThat(index.size()).isZero();
    assertThat(ask(index, P, q, 0.9, 100)).isEmpty();
  }

  @Test
  void theLeastRecentlyUsedEntryGoesWhenTheCountIsReached() {
    SemanticIndex index = index(3, 64L * 1024 * 1024);
    float[] a = random(70);
    float[] b = random(71);
    float[] c = random(72);
    float[] d = random(73);
    index.put(entry(P, "a", "q", a, FOREVER), 0);
    index.put(entry(P, "b", "q", b, FOREVER), 1);
    index.put(entry("elsewhere", "c", "q", c, FOREVER), 2);
    assertThat(idOf(ask(index, P, a, 0.99, 3))).contains("a"); // a is now more recent than b
    index.put(entry(P, "d", "q", d, FOREVER), 4);
    assertThat(index.size()).isEqualTo(3);
    assertThat(ask(index, P, b, 0.99, 5)).isEmpty();
    assertThat(idOf(ask(index, P, a, 0.99, 5))).contains("a");
    assertThat(idOf(ask(index, "elsewhere", c, 0.99, 5))).contains("c");
    assertThat(idOf(ask(index, P, d, 0.99, 5))).contains("d");
  }

  @Test
  void theLeastRecentlyUsedEntriesGoWhenTheBytesAreReached() {
    SemanticEntry first = entry(P, "one", "q", random(80), FOREVER);
    SemanticEntry second = entry(P, "two", "q", random(81), FOREVER);
    SemanticEntry third = entry(P, "six", "q", random(82), FOREVER);
    long weight = first.weight();
    assertThat(second.weight()).isEqualTo(weight);
    SemanticIndex index = index(1_000, 2 * weight + weight / 2);
    index.put(first, 0);
    index.put(second, 0);
    assertThat(index.bytes()).isEqualTo(2 * weight);
    index.put(third, 0);
    assertThat(index.size()).isEqualTo(2);
    assertThat(index.bytes()).isEqualTo(2 * weight);
    assertThat(ask(index, P, first.vector(), 0.99, 0)).isEmpty();
    assertThat(idOf(ask(index, P, third.vector(), 0.99, 0))).contains("six");

    SemanticIndex tiny = index(1_000, weight - 1);
    tiny.put(first, 0);
    assertThat(tiny.size()).isZero();
    assertThat(ask(tiny, P, first.vector(), 0.9, 0)).isEmpty();
  }

  @Test
  void invalidatesByTenantByModelAndByKey() {
    SemanticIndex index = index();
    float[] q = random(9);
    index.put(entry("p1", "k1", "t1", "m1", "q", near(q, 0.99, 90), FOREVER), 0);
    index.put(entry("p2", "k2", "t1", "m2", "q", near(q, 0.99, 91), FOREVER), 0);
    index.put(entry("p3", "k3", "t2", "m1", "q", near(q, 0.99, 92), FOREVER), 0);
    index.put(entry("p4", "k4", "t2", "m2", "q", near(q, 0.99, 93), FOREVER), 0);
    index.put(entry("p4", "k5", "t2", "m2", "q", near(q, 0.98, 94), FOREVER), 0);
    long before = index.bytes();

    assertThat(index.invalidate(new CacheScope("t1", "", ""))).isEqualTo(2);
    assertThat(ask(index, "p1", q, 0.9, 0)).isEmpty();
    assertThat(ask(index, "p2", q, 0.9, 0)).isEmpty();
    assertThat(idOf(ask(index, "p3", q, 0.9, 0))).contains("k3");

    assertThat(index.invalidate(new CacheScope("", "m1", ""))).isEqualTo(1);
    assertThat(ask(index, "p3", q, 0.9, 0)).isEmpty();

    assertThat(index.invalidate(new CacheScope("", "", "k4"))).isEqualTo(1);
    assertThat(index.invalidate(new CacheScope("t1", "", "k5"))).isZero(); // another tenant's key
    assertThat(idOf(ask(index, "p4", q, 0.9, 0))).contains("k5");
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.bytes()).isLessThan(before);

    assertThat(index.invalidate(CacheScope.ALL)).isEqualTo(1);
    assertThat(index.size()).isZero();
    assertThat(index.bytes()).isZero();
    assertThat(ask(index, "p4", q, 0.5, 0)).isEmpty();
  }

  @Test
  void storingAnIdAgainReplacesItsEntryAndVector() {
    SemanticIndex index = index();
    float[] v1 = random(11);
    float[] v2 = random(12);
    index.put(entry(P, "x", "first question", v1, FOREVER), 0);
    index.put(entry(P, "x", "second question", v2, FOREVER), 0);
    assertThat(index.size()).isEqualTo(1);
    assertThat(index.bytes()).isEqualTo(entry(P, "x", "second question", v2, FOREVER).weight());
    assertThat(ask(index, P, v1, 0.9, 0)).isEmpty();
    Optional<SemanticMatch> m = ask(index, P, v2, 0.9, 0);
    assertThat(m.map(x -> x.entry().question())).contains("second question");

    index.put(entry("moved", "x", "third question", v1, FOREVER), 0);
    assertThat(ask(index, P, v2, 0.9, 0)).isEmpty();
    assertThat(idOf(ask(index, "moved", v1, 0.9, 0))).contains("x");
    assertThat(index.size()).isEqualTo(1);
  }

  @Test
  void refusesAVectorThatIsNotUnitLength() {
    SemanticIndex index = index();
    float[] longer = random(13).clone();
    for (int i = 0; i < longer.length; i++) {
      longer[i] *= 2;
    }
    assertThatThrownBy(() -> index.put(entry(P, "x", "q", longer, FOREVER), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(index.size()).isZero();
  }

  @Test
  void threadsPuttingAndLookingUpAtOnceKeepTheBoundsAndFindWhatTheyStored() throws Exception {
    SemanticIndex index = index(300, 64L * 1024 * 1024);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Integer>> jobs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        jobs.add(() -> {
          int found = 0;
          for (int i = 0; i < 150; i++) {
            long seed = 10_000L * (thread + 1) + i;
            float[] v = random(seed);
            index.put(entry("p" + (i % 3), "t" + thread + "-" + i, "q", v, FOREVER), i);
            if (idOf(ask(index, "p" + (i % 3), v, 0.999, i)).equals(Optional.of("t" + thread + "-" + i))) {
              found++;
            }
          }
          return found;
        });
      }
      int found = 0;
      for (Future<Integer> f : pool.invokeAll(jobs)) {
        found += f.get();
      }
      // An entry may be evicted by the other threads' puts before its own lookup, but not most of them.
      assertThat(found).isGreaterThan(4 * 150 / 2);
      assertThat(index.size()).isEqualTo(300);
    } finally {
      pool.shutdownNow();
    }
  }
}
