package dev.spillway.core.plan;

import dev.spillway.core.chargeback.ReportPeriod;
import dev.spillway.core.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * What a plan was asked for, read from the command line.
 *
 * @param period the ledger period to replay
 * @param models the models to plan; empty for every model with traffic in the period
 * @param candidates the PTU counts to try; empty for each model's deployable sizes ({@link CandidateSizes#deployable})
 * @param target what the recommendation must achieve
 * @param format how to write the plan
 */
public record PlanRequest(
    ReportPeriod period, List<String> models, Optional<List<Integer>> candidates, PlanTarget target, PlanFormat format) {
  /** The period replayed when none is given: the week up to {@code --to}. */
  public static final Duration DEFAULT_PERIOD = Duration.ofDays(7);

  public PlanRequest {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(candidates, "candidates");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(format, "format");
    models = List.copyOf(models);
  }

  /**
   * Reads the command line's values; an absent or blank one takes its default.
   *
   * @param from first instant replayed (ISO date or instant); excludes {@code period}
   * @param to first instant not replayed; default {@code now}
   * @param period how long before {@code to} the replay starts ({@code 1d}, {@code 168h}); default 7 days
   * @param models comma-separated model names
   * @param candidates see {@link CandidateSizes#parse}
   * @param maxSpill a percentage, with or without {@code %}: {@code 5%}
   * @param maxP99Wait a duration
   * @param format {@code table} or {@code json}
   * @throws IllegalArgumentException naming the value that cannot be used
   */
  public static PlanRequest parse(Optional<String> from, Optional<String> to, Optional<String> period,
      Optional<String> models, Optional<String> candidates, Optional<String> maxSpill, Optional<Duration> maxP99Wait,
      Optional<String> format, Instant now) {
    Optional<String> fromText = from.filter(s -> !s.isBlank());
    Optional<String> periodText = period.filter(s -> !s.isBlank());
    if (fromText.isPresent() && periodText.isPresent()) {
      throw new IllegalArgumentException("give --from or --period, not both");
    }
    Instant end = to.filter(s -> !s.isBlank()).map(s -> ReportPeriod.bound("to", s)).orElse(now);
    Instant start = fromText.map(s -> ReportPeriod.bound("from", s))
        .orElseGet(() -> end.minus(periodText.map(PlanRequest::period).orElse(DEFAULT_PERIOD)));
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("from (" + start + ") must be before to (" + end + ")");
    }
    ReportPeriod replayed = new ReportPeriod(start, end);
    List<String> names = models.filter(s -> !s.isBlank())
        .map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(m -> !m.isEmpty()).distinct().toList())
        .orElse(List.of());
    Optional<List<Integer>> sizes = candidates.filter(s -> !s.isBlank()).map(CandidateSizes::parse);
    PlanFormat f = format.filter(s -> !s.isBlank())
        .map(s -> PlanFormat.parse(s).orElseThrow(() -> new IllegalArgumentException(
            "format must be one of " + PlanFormat.choices() + ", got \"" + s.strip() + "\"")))
        .orElse(PlanFormat.TABLE);
    OptionalDouble spill = maxSpill.filter(s -> !s.isBlank()).map(PlanRequest::share)
        .map(OptionalDouble::of).orElse(OptionalDouble.empty());
    if (maxP99Wait.map(Duration::isNegative).orElse(false)) {
      throw new IllegalArgumentException("max-p99-wait must not be negative");
    }
    return new PlanRequest(replayed, names, sizes, new PlanTarget(spill, maxP99Wait), f);
  }

  private static Duration period(String text) {
    Duration d;
    try {
      d = Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("period must be a duration such as 1d, 12h or 7d, got \"" + text.strip() + "\"");
    }
    if (d.isZero()) {
      throw new IllegalArgumentException("period must be longer than 0, got \"" + text.strip() + "\"");
    }
    return d;
  }

  /** {@code 5%} or {@code 5} as 0.05. */
  private static double share(String text) {
    String t = text.strip();
    String number = t.endsWith("%") ? t.substring(0, t.length() - 1).strip() : t;
    if (!number.matches("\\d{1,3}(\\.\\d{1,4})?") || Double.parseDouble(number) > 100) {
      throw new IllegalArgumentException("max-spill must be a percentage from 0 to 100 such as 5% or 2.5, got \"" + t + "\"");
    }
    return Double.parseDouble(number) / 100;
  }
}
