package dev.spillway.core.chargeback;

import dev.spillway.core.ledger.TimeBucket;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a caller asked a report for, read from the command line or a query string.
 *
 * @param period the period, see {@link ReportPeriod#parse}
 * @param by the grouping, {@link ReportDimension#TEAM} when not given ({@link ReportDimension#CONSUMER} for the
 *     prompt-cache report); unused by the safety report
 * @param format the output format
 * @param kind which report
 * @param bucket the safety report's buckets, {@link TimeBucket#DAY} when not given; unused by the others
 */
public record ReportRequest(
    ReportPeriod period, ReportDimension by, ReportFormat format, Kind kind, TimeBucket bucket) {
  /** What the prompt-cache report may be grouped by: prefix stability is a property of one caller's prompts. */
  public static final Set<ReportDimension> PROMPT_CACHE_DIMENSIONS =
      Set.of(ReportDimension.CONSUMER, ReportDimension.TEAM);

  /** The reports there are. */
  public enum Kind {
    /** {@link ChargebackReport}, the default. */
    CHARGEBACK,
    /** {@link PromptCacheReport}: parameter {@code cache=true}. */
    PROMPT_CACHE,
    /** {@link SafetyReport}: parameter {@code safety=true}. */
    SAFETY
  }

  public ReportRequest {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(bucket, "bucket");
  }

  /** A chargeback report request. */
  public ReportRequest(ReportPeriod period, ReportDimension by, ReportFormat format) {
    this(period, by, format, Kind.CHARGEBACK, TimeBucket.DAY);
  }

  /** True for the prompt-cache report. */
  public boolean promptCache() {
    return kind == Kind.PROMPT_CACHE;
  }

  /** True for the safety report. */
  public boolean safety() {
    return kind == Kind.SAFETY;
  }

  /** Reads the parameters of a chargeback report (no {@code cache} or {@code safety}), as the general {@code parse}. */
  public static ReportRequest parse(
      Optional<String> from,
      Optional<String> to,
      Optional<String> by,
      Optional<String> format,
      ReportFormat defaultFormat,
      Instant now) {
    Map<String, Optional<String>> given = Map.of("from", from, "to", to, "by", by, "format", format);
    return parse(name -> given.getOrDefault(name, Optional.empty()), defaultFormat, now);
  }

  /**
   * Reads the parameters by name: {@code from}, {@code to}, {@code by}, {@code format}, {@code cache} ({@code true}
   * for the prompt-cache report), {@code safety} ({@code true} for the safety report) and {@code bucket} ({@code
   * hour|day}, the safety report's only); an absent or blank one takes its default.
   *
   * @param parameter the value of the parameter of a name, empty when not given
   * @param defaultFormat the format when none is asked for (the CLI prints a table, the admin API answers JSON)
   * @param now the wall time the default period ends at
   * @throws ReportParameterException naming the first parameter that cannot be used
   */
  public static ReportRequest parse(
      Function<String, Optional<String>> parameter, ReportFormat defaultFormat, Instant now) {
    Optional<String> by = given(parameter, "by");
    Optional<String> bucket = given(parameter, "bucket");
    boolean promptCache = given(parameter, "cache").map(v -> bool("cache", v)).orElse(false);
    boolean safety = given(parameter, "safety").map(v -> bool("safety", v)).orElse(false);
    if (promptCache && safety) {
      throw new ReportParameterException("safety", "cache and safety are two reports: ask for one");
    }
    Kind kind = safety ? Kind.SAFETY : promptCache ? Kind.PROMPT_CACHE : Kind.CHARGEBACK;
    if (safety && by.isPresent()) {
      throw new ReportParameterException("by", "the safety report is by time bucket (bucket=" + TimeBucket.choices()
          + ") and end user, not by \"" + by.get().strip() + "\"");
    }
    if (!safety && bucket.isPresent()) {
      throw new ReportParameterException("bucket", "bucket is only for the safety report");
    }
    ReportDimension dimension = by
        .map(s -> ReportDimension.parse(s).orElseThrow(() -> new ReportParameterException(
            "by", "by must be one of " + ReportDimension.choices() + ", got \"" + s.strip() + "\"")))
        .orElse(promptCache ? ReportDimension.CONSUMER : ReportDimension.TEAM);
    if (promptCache && !PROMPT_CACHE_DIMENSIONS.contains(dimension)) {
      throw new ReportParameterException("by", "the prompt-cache report is by consumer or team (and model), got \""
          + dimension.id() + "\"");
    }
    TimeBucket width = bucket
        .map(s -> TimeBucket.parse(s).orElseThrow(() -> new ReportParameterException(
            "bucket", "bucket must be one of " + TimeBucket.choices() + ", got \"" + s.strip() + "\"")))
        .orElse(TimeBucket.DAY);
    ReportFormat f = given(parameter, "format")
        .map(s -> ReportFormat.parse(s).orElseThrow(() -> new ReportParameterException(
            "format", "format must be one of " + ReportFormat.choices() + ", got \"" + s.strip() + "\"")))
        .orElse(defaultFormat);
    return new ReportRequest(
        ReportPeriod.parse(given(parameter, "from"), given(parameter, "to"), now), dimension, f, kind, width);
  }

  private static Optional<String> given(Function<String, Optional<String>> parameter, String name) {
    return parameter.apply(name).filter(s -> !s.isBlank());
  }

  private static boolean bool(String name, String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ReportParameterException(
          name, name + " must be true or false, got \"" + value.strip() + "\"");
    };
  }
}
