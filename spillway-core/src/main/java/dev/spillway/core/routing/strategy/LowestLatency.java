package dev.spillway.core.routing.strategy;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The candidate with the lowest {@link LatencyStats#score(long)}; among equals, random in
 * proportion to weight.
 *
 * <p>Averages only move when a backend gets traffic, so a backend that was slow once would never
 * be measured again. Two kinds of exploration prevent that:
 *
 * <ul>
 *   <li>A backend never measured ({@code samples() == 0}) and with no call in flight is picked
 *       before any measured one. One that already has a call in flight waits for that call's
 *       sample, so that a cold start or a new backend does not draw every concurrent request.
 *   <li>With probability {@code explorationProbability} (default 5 %) the pick is uniformly random
 *       among all candidates, ignoring weights, so a recovered backend is measured again.
 * </ul>
 *
 * <p>When no candidate has been measured and all have calls in flight, the pick is weighted
 * random. Callers should record only successful calls: a backend that keeps failing is kept out
 * by its circuit breaker, not by this strategy. Stateless apart from its settings.
 */
final class LowestLatency implements SelectionStrategy {
  /** A typical chat answer; balances time to first token against generation speed. */
  static final long DEFAULT_EXPECTED_OUTPUT_TOKENS = 256;

  static final double DEFAULT_EXPLORATION_PROBABILITY = 0.05;

  private final long expectedOutputTokens;
  private final double explorationProbability;

  LowestLatency(long expectedOutputTokens, double explorationProbability) {
    if (expectedOutputTokens < 0) {
      throw new IllegalArgumentException("expectedOutputTokens must be >= 0, was " + expectedOutputTokens);
    }
    if (!(explorationProbability >= 0 && explorationProbability < 1)) {
      throw new IllegalArgumentException(
          "explorationProbability must be in [0, 1), was " + explorationProbability);
    }
    this.expectedOutputTokens = expectedOutputTokens;
    this.explorationProbability = explorationProbability;
  }

  @Override
  public int pick(List<? extends Candidate> candidates, RandomGenerator random) {
    int n = WeightedRandom.requireNonEmpty(candidates);
    if (n == 1) {
      return 0;
    }
    if (explorationProbability > 0 && random.nextDouble() < explorationProbability) {
      return random.nextInt(n);
    }
    int unmeasured = -1;
    long unmeasuredWeight = 0;
    int fastest = -1;
    double fastestScore = Double.POSITIVE_INFINITY;
    long fastestWeight = 0;
    for (int i = 0; i < n; i++) {
      Candidate candidate = candidates.get(i);
      LatencyStats latency = candidate.latency();
      int weight = WeightedRandom.weightOf(candidate);
      if (latency.samples() == 0) {
        if (candidate.inFlight() == 0) {
          unmeasuredWeight += weight;
          if (random.nextLong(unmeasuredWeight) < weight) {
            unmeasured = i;
          }
        }
        continue;
      }
      double score = latency.score(expectedOutputTokens);
      if (score < fastestScore) {
        fastestScore = score;
        fastest = i;
        fastestWeight = weight;
      } else if (score == fastestScore) {
        fastestWeight += weight;
        if (random.nextLong(fastestWeight) < weight) {
          fastest = i;
        }
      }
    }
    if (unmeasured >= 0) {
      return unmeasured;
    }
    if (fastest >= 0) {
      return fastest;
    }
    return WeightedRandom.pickIndex(candidates, random);
  }

  @Override
  public String toString() {
    return "lowest-latency";
  }
}
