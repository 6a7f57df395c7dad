package dev.spillway.core.chargeback;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How a report (chargeback, prompt cache, safety) is written out. Every format carries the amounts exactly ({@link ChargebackCalculator#COST_SCALE} decimals). */
public enum ReportFormat {
  /** Aligned text columns for a terminal, with the PTU deployments and any unpriced models below. */
  TABLE("text/plain; charset=utf-8", ReportTable::render, PromptCacheFormats::table, SafetyFormats::table),
  /** RFC 4180: a header row, one row per group, then the totals row; CRLF line ends. */
  CSV("text/csv; charset=utf-8", ReportCsv::render, PromptCacheFormats::csv, SafetyFormats::csv),
  /** One object with stable field names; amounts are decimal strings, never floating-point numbers. */
  JSON("application/json", ReportJson::render, PromptCacheFormats::json, SafetyFormats::json);

  private final String contentType;
  private final Function<ChargebackReport, String> renderer;
  private final Function<PromptCacheReport, String> promptCacheRenderer;
  private final Function<SafetyReport, String> safetyRenderer;

  ReportFormat(String contentType, Function<ChargebackReport, String> renderer,
      Function<PromptCacheReport, String> promptCacheRenderer, Function<SafetyReport, String> safetyRenderer) {
    this.contentType = contentType;
    this.renderer = renderer;
    this.promptCacheRenderer = promptCacheRenderer;
    this.safetyRenderer = safetyRenderer;
  }

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The HTTP {@code content-type} of this format. */
  public String contentType() {
    return contentType;
  }

  public String render(ChargebackReport report) {
    return renderer.apply(report);
  }

  public String render(PromptCacheReport report) {
    return promptCacheRenderer.apply(report);
  }

  public String render(SafetyReport report) {
    return safetyRenderer.apply(report);
  }

  /** The format named {@code id} (case-insensitive), if any. */
  public static Optional<ReportFormat> parse(String id) {
    return Arrays.stream(values()).filter(f -> f.id().equalsIgnoreCase(id.strip())).findFirst();
  }

  /** {@code table|csv|json}, for messages. */
  public static String choices() {
    return Arrays.stream(values()).map(ReportFormat::id).collect(Collectors.joining("|"));
  }
}
