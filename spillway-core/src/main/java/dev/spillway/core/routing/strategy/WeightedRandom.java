package dev.spillway.core.routing.strategy;

import java.util.List;
import java.util.random.RandomGenerator;

/** Random in proportion to weight: the default inside a priority group. Stateless. */
final class WeightedRandom implements SelectionStrategy {
  @Override
  public int pick(List<? extends Candidate> candidates, RandomGenerator random) {
    return pickIndex(candidates, random);
  }

  /** The weighted draw, shared with the strategies that fall back to it. */
  static int pickIndex(List<? extends Candidate> candidates, RandomGenerator random) {
    int n = requireNonEmpty(candidates);
    if (n == 1) {
      return 0;
    }
    long totalWeight = 0;
    for (int i = 0; i < n; i++) {
      totalWeight += weightOf(candidates.get(i));
    }
    long ticket = random.nextLong(totalWeight);
    for (int i = 0; i < n; i++) {
      ticket -= weightOf(candidates.get(i));
      if (ticket < 0) {
        return i;
      }
    }
    return n - 1; // only if weights shrank between the two passes
  }

  /** A candidate's weight, at least 1 whatever the candidate says. */
  static int weightOf(Candidate candidate) {
    return Math.max(1, candidate.weight());
  }

  static int requireNonEmpty(List<? extends Candidate> candidates) {
    int n = candidates.size();
    if (n == 0) {
      throw new IllegalArgumentException("no candidates to pick from");
    }
    return n;
  }

  @Override
  public String toString() {
    return "weighted";
  }
}
