package dev.spillway.core.chargeback;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a caller asked a report for, read from the command line or a query string.
 *
 * @param period the period, see {@link ReportPeriod#parse}
 * @param by the grouping, {@link ReportDimension#TEAM} when not given ({@link ReportDimension#CONSUMER} for the
 *     prompt-cache report)
 * @param format the output format
 * @param promptCache true for the prompt-cache report ({@link PromptCacheReport}) instead of the chargeback one
 */
public record ReportRequest(ReportPeriod period, ReportDimension by, ReportFormat format, boolean promptCache) {
  /** What the prompt-cache report may be grouped by: prefix stability is a property of one caller's prompts. */
  public static final Set<ReportDimension> PROMPT_CACHE_DIMENSIONS =
      Set.of(ReportDimension.CONSUMER, ReportDimension.TEAM);

  /** A chargeback report request. */
  public ReportRequest(ReportPeriod period, ReportDimension by, ReportFormat format) {
    this(period, by, format, false);
  }

  /** Reads the parameters of a chargeback report (no {@code cache} parameter), as the longer {@code parse} does. */
  public static ReportRequest parse(
      Optional<String> from,
      Optional<String> to,
      Optional<String> by,
      Optional<String> format,
      ReportFormat defaultFormat,
      Instant now) {
    return parse(from, to, by, format, Optional.empty(), defaultFormat, now);
  }

  /**
   * Reads the parameters; an absent or blank one takes its default.
   *
   * @param cache {@code true} for the prompt-cache report, {@code false} (the default) for the chargeback report
   * @param defaultFormat the format when none is asked for (the CLI prints a table, the admin API answers JSON)
   * @param now the wall time the default period ends at
   * @throws ReportParameterException naming the first parameter that cannot be used
   */
  public static ReportRequest parse(
      Optional<String> from,
      Optional<String> to,
      Optional<String> by,
      Optional<String> format,
      Optional<String> cache,
      ReportFormat defaultFormat,
      Instant now) {
    boolean promptCache = cache.filter(s -> !s.isBlank()).map(ReportRequest::bool).orElse(false);
    ReportDimension dimension = by.filter(s -> !s.isBlank())
        .map(s -> ReportDimension.parse(s).orElseThrow(() -> new ReportParameterException(
            "by", "by must be one of " + ReportDimension.choices() + ", got \"" + s.strip() + "\"")))
        .orElse(promptCache ? ReportDimension.CONSUMER : ReportDimension.TEAM);
    if (promptCache && !PROMPT_CACHE_DIMENSIONS.contains(dimension)) {
      throw new ReportParameterException("by", "the prompt-cache report is by consumer or team (and model), got \""
          + dimension.id() + "\"");
    }
    ReportFormat f = format.filter(s -> !s.isBlank())
        .map(s -> ReportFormat.parse(s).orElseThrow(() -> new ReportParameterException(
            "format", "format must be one of " + ReportFormat.choices() + ", got \"" + s.strip() + "\"")))
        .orElse(defaultFormat);
    return new ReportRequest(ReportPeriod.parse(from, to, now), dimension, f, promptCache);
  }

  private static boolean bool(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ReportParameterException(
          "cache", "cache must be true or false, got \"" + value.strip() + "\"");
    };
  }
}
