package dev.spillway.core.routing.strategy;

import dev.spillway.core.config.RoutingStrategy;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Picks the backend for one call among candidates that may all take it: the router has already
 * removed throttled, broken and already-tried backends and narrowed the choice to one priority
 * group. Grouping by priority is the router's job, not a strategy's.
 *
 * <p>Implementations are thread-safe (one instance serves every request of its pool or group),
 * O(n) in the number of candidates and allocation-free: no streams, iterators, boxing or copies.
 * Some keep state between calls ({@link #roundRobin()}), so create one instance per pool or group
 * with {@link #of(RoutingStrategy)} rather than sharing one across pools.
 */
public interface SelectionStrategy {

  /**
   * Picks one candidate. Called by the router on the request's thread.
   *
   * @param candidates the eligible backends, never empty; read by index, so it should be {@link
   *     java.util.RandomAccess}
   * @param random the caller's source of randomness, only used on the calling thread (for example
   *     {@code ThreadLocalRandom.current()}); tests pass a seeded one
   * @return an index into {@code candidates}
   * @throws IllegalArgumentException when {@code candidates} is empty (a bug in the caller)
   */
  int pick(List<? extends Candidate> candidates, RandomGenerator random);

  /**
   * A new strategy of the given kind, with default settings. Every call returns a new instance.
   *
   * @throws IllegalArgumentException for {@link RoutingStrategy#PRIORITY}, which is the router's
   *     grouping and not a way to pick inside a group
   */
  static SelectionStrategy of(RoutingStrategy kind) {
    return switch (kind) {
      case WEIGHTED -> weightedRandom();
      case ROUND_ROBIN -> roundRobin();
      case LEAST_INFLIGHT -> leastInFlight();
      case LOWEST_LATENCY -> lowestLatency();
      case PRIORITY -> throw new IllegalArgumentException(
          "'priority' groups backends in the router; a group is picked from with weighted, round-robin,"
              + " least-inflight or lowest-latency");
    };
  }

  /** Random, in proportion to {@link Candidate#weight()}. Stateless. */
  static SelectionStrategy weightedRandom() {
    return new WeightedRandom();
  }

  /** Each candidate in turn, in pool order, skipping those not passed; ignores weights. */
  static SelectionStrategy roundRobin() {
    return new RoundRobin();
  }

  /** The fewest calls in flight; ties weighted-random. Stateless. */
  static SelectionStrategy leastInFlight() {
    return new LeastInFlight();
  }

  /**
   * The lowest {@link LatencyStats#score(long)} for an answer of 256 output tokens; unmeasured
   * backends first, and 5 % of picks uniformly random so that a recovered backend is measured
   * again.
   */
  static SelectionStrategy lowestLatency() {
    return lowestLatency(
        LowestLatency.DEFAULT_EXPECTED_OUTPUT_TOKENS, LowestLatency.DEFAULT_EXPLORATION_PROBABILITY);
  }

  /**
   * @param expectedOutputTokens answer length the scores are computed for: small favours a quick
   *     first token, large favours fast generation; at least 0
   * @param explorationProbability chance, in {@code [0, 1)}, that a pick is uniformly random so
   *     that a backend that was slow is measured again
   */
  static SelectionStrategy lowestLatency(long expectedOutputTokens, double explorationProbability) {
    return new LowestLatency(expectedOutputTokens, explorationProbability);
  }
}
