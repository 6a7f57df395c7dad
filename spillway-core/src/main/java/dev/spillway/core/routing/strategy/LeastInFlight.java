package dev.spillway.core.routing.strategy;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The candidate with the fewest calls in flight; among equals, random in proportion to weight.
 *
 * <p>One pass that reads each in-flight count once (they change under our feet), keeping the
 * tied candidates' choice by weighted reservoir sampling: the i-th tied candidate replaces the
 * choice with probability {@code weight ÷ weight of the ties so far}, which leaves each tie
 * chosen in proportion to its weight. Stateless.
 */
final class LeastInFlight implements SelectionStrategy {
  @Override
  public int pick(List<? extends Candidate> candidates, RandomGenerator random) {
    int n = WeightedRandom.requireNonEmpty(candidates);
    int chosen = 0;
    int minInFlight = candidates.get(0).inFlight();
    long tiedWeight = WeightedRandom.weightOf(candidates.get(0));
    for (int i = 1; i < n; i++) {
      Candidate candidate = candidates.get(i);
      int inFlight = candidate.inFlight();
      int weight = WeightedRandom.weightOf(candidate);
      if (inFlight < minInFlight) {
        minInFlight = inFlight;
        chosen = i;
        tiedWeight = weight;
      } else if (inFlight == minInFlight) {
        tiedWeight += weight;
        if (random.nextLong(tiedWeight) < weight) {
          chosen = i;
        }
      }
    }
    return chosen;
  }

  @Override
  public String toString() {
    return "least-inflight";
  }
}
