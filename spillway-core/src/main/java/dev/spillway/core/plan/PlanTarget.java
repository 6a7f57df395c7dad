package dev.spillway.core.plan;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a recommended PTU count must achieve: at most this share of tokens spilled to PAYG, and at most this p99 wait
 * for the PTU. Either may be absent; with neither, the cheapest candidate is recommended.
 *
 * @param maxSpillShare the largest acceptable share of tokens served by PAYG, 0..1
 * @param maxP99Wait the longest acceptable 99th percentile of the time requests wait for the PTU
 */
public record PlanTarget(OptionalDouble maxSpillShare, Optional<Duration> maxP99Wait) {
  public static final PlanTarget NONE = new PlanTarget(OptionalDouble.empty(), Optional.empty());

  public PlanTarget {
    Objects.requireNonNull(maxSpillShare, "maxSpillShare");
    Objects.requireNonNull(maxP99Wait, "maxP99Wait");
    if (maxSpillShare.isPresent() && !(maxSpillShare.getAsDouble() >= 0 && maxSpillShare.getAsDouble() <= 1)) {
      throw new IllegalArgumentException("the spill share must be within 0..1");
    }
    if (maxP99Wait.map(Duration::isNegative).orElse(false)) {
      throw new IllegalArgumentException("the p99 wait must not be negative");
    }
  }

  public boolean isMetBy(CandidateResult candidate) {
    return shortfall(candidate) == 0;
  }

  /**
   * How far {@code candidate} misses the target: 0 when it meets it, else the larger relative excess over a limit
   * ({@code (actual − limit) ÷ limit}; a limit of 0 counts any excess as a miss of 1 plus the excess).
   */
  public double shortfall(CandidateResult candidate) {
    double miss = 0;
    if (maxSpillShare.isPresent()) {
      miss = Math.max(miss, excess(candidate.spillShare(), maxSpillShare.getAsDouble()));
    }
    if (maxP99Wait.isPresent()) {
      miss = Math.max(miss, excess(candidate.p99Wait().toNanos(), maxP99Wait.get().toNanos()));
    }
    return miss;
  }

  private static double excess(double actual, double limit) {
    if (actual <= limit) {
      return 0;
    }
    return limit > 0 ? (actual - limit) / limit : 1 + actual;
  }

  /** {@code "spill <= 5%, p99 wait <= 2s"}, or {@code "none (the cheapest)"}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    maxSpillShare.ifPresent(s -> parts.add("spill <= " + percent(s)));
    maxP99Wait.ifPresent(w -> parts.add("p99 wait <= " + PlanText.duration(w)));
    return parts.isEmpty() ? "none (the cheapest)" : String.join(", ", parts);
  }

  private static String percent(double share) {
    String text = String.format(Locale.ROOT, "%.2f", share * 100).replaceAll("0+$", "").replaceAll("\\.$", "");
    return text + "%";
  }
}
