package dev.spillway.core.plan;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The candidate a plan recommends: the cheapest one that meets the target, or, when none does, the one that misses it
 * least (the cheaper of equals), flagged as not meeting it.
 *
 * @param candidate the recommended candidate
 * @param meetsTarget false when no candidate met the target and {@code candidate} is only the closest
 */
public record Recommendation(CandidateResult candidate, boolean meetsTarget) {
  public Recommendation {
    Objects.requireNonNull(candidate, "candidate");
  }

  /** Cheaper first; at equal cost fewer PTUs (less to commit to). */
  static final Comparator<CandidateResult> CHEAPEST =
      Comparator.comparing(CandidateResult::monthlyCost).thenComparingInt(CandidateResult::ptus);

  /**
   * @param candidates at least one
   * @throws IllegalArgumentException when there is no candidate
   */
  public static Recommendation choose(List<CandidateResult> candidates, PlanTarget target) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("no candidate to choose from");
    }
    return candidates.stream().filter(target::isMetBy).min(CHEAPEST)
        .map(c -> new Recommendation(c, true))
        .orElseGet(() -> new Recommendation(candidates.stream()
            .min(Comparator.comparingDouble(target::shortfall).thenComparing(CHEAPEST)).orElseThrow(), false));
  }
}
