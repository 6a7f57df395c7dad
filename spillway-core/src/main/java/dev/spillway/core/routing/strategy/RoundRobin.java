package dev.spillway.core.routing.strategy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * Each backend in turn, in pool order. Weights are ignored: use {@code weighted} for shares.
 *
 * <p>The state is the {@link Candidate#poolIndex()} picked last, not a position in the list, so the
 * rotation stays fair while the candidate set changes: the pick is the candidate with the smallest
 * pool index after the last one picked (wrapping round to the smallest). A backend that is
 * throttled is simply skipped and takes its turn again when it comes back; the backend after a gap
 * gets no extra share, as it would with {@code counter % size}.
 *
 * <p>The last pick moves with compare-and-swap and the pick is recomputed when another thread
 * moved it first, so concurrent picks form one rotation: with a stable set of n candidates, any
 * k·n picks from any threads give each candidate exactly k. Lock-free; one instance per pool or
 * priority group.
 *
 * <p>Limitation: the rotation is shared by every caller. Callers that keep alternating disjoint
 * candidate sets can each skip over the other's next candidate, so a candidate may wait several
 * turns. In the router the sets differ only by throttled or broken backends (the same for every
 * request at a given moment) and by a request's already-tried backends (its retries), which does
 * not produce such an alternation.
 */
final class RoundRobin implements SelectionStrategy {
  private final AtomicInteger lastPoolIndex = new AtomicInteger(-1);

  @Override
  public int pick(List<? extends Candidate> candidates, RandomGenerator random) {
    int n = WeightedRandom.requireNonEmpty(candidates);
    while (true) {
      int last = lastPoolIndex.get();
      int first = -1;
      int firstPoolIndex = Integer.MAX_VALUE;
      int next = -1;
      int nextPoolIndex = Integer.MAX_VALUE;
      for (int i = 0; i < n; i++) {
        int poolIndex = candidates.get(i).poolIndex();
        if (first < 0 || poolIndex < firstPoolIndex) {
          first = i;
          firstPoolIndex = poolIndex;
        }
        if (poolIndex > last && (next < 0 || poolIndex < nextPoolIndex)) {
          next = i;
          nextPoolIndex = poolIndex;
        }
      }
      int chosen = next >= 0 ? next : first;
      int chosenPoolIndex = next >= 0 ? nextPoolIndex : firstPoolIndex;
      if (lastPoolIndex.compareAndSet(last, chosenPoolIndex)) {
        return chosen;
      }
    }
  }

  @Override
  public String toString() {
    return "round-robin";
  }
}
