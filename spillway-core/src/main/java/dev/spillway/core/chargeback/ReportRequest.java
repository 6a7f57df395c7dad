package dev.spillway.core.chargeback;

import java.time.Instant;
import java.util.Optional;

/**
 * What a caller asked a report for, read from the command line or a query string.
 *
 * @param period the period, see {@link ReportPeriod#parse}
 * @param by the grouping, {@link ReportDimension#TEAM} when not given
 * @param format the output format
 */
public record ReportRequest(ReportPeriod period, ReportDimension by, ReportFormat format) {
  /**
   * Reads the parameters; an absent or blank one takes its default.
   *
   * @param defaultFormat the format when none is asked for (the CLI prints a table, the admin API answers JSON)
   * @param now the wall time the default period ends at
   * @throws ReportParameterException naming the first parameter that cannot be used
   */
  public static ReportRequest parse(
      Optional<String> from,
      Optional<String> to,
      Optional<String> by,
      Optional<String> format,
      ReportFormat defaultFormat,
      Instant now) {
    ReportDimension dimension = by.filter(s -> !s.isBlank())
        .map(s -> ReportDimension.parse(s).orElseThrow(() -> new ReportParameterException(
            "by", "by must be one of " + ReportDimension.choices() + ", got \"" + s.strip() + "\"")))
        .orElse(ReportDimension.TEAM);
    ReportFormat f = format.filter(s -> !s.isBlank())
        .map(s -> ReportFormat.parse(s).orElseThrow(() -> new ReportParameterException(
            "format", "format must be one of " + ReportFormat.choices() + ", got \"" + s.strip() + "\"")))
        .orElse(defaultFormat);
    return new ReportRequest(ReportPeriod.parse(from, to, now), dimension, f);
  }
}
