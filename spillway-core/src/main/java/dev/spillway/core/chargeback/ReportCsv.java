package dev.spillway.core.chargeback;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@link ReportFormat#CSV}: RFC 4180, header row first, totals row last, every line ending in CRLF. The response
 * cache's columns ({@code cache_hits} for exact hits, {@code semantic_cache_hits}, the saved tokens and their cost)
 * stand after the costs; the currency is last.
 *
 * <p>A group's key that begins like a spreadsheet formula ({@code = + - @}, a tab or a carriage return) is written
 * with a leading apostrophe: end users are named by the gateway's callers, and a report opened in a spreadsheet must
 * not run what one of them sent.
 */
final class ReportCsv {
  private ReportCsv() {}

  static String render(ChargebackReport report) {
    StringBuilder out = new StringBuilder();
    line(out, List.of(report.by().id(), "requests", "failed_requests", "prompt_tokens", "completion_tokens",
        "cached_tokens", "images", "audio_seconds", "characters", "ptu_cost", "payg_cost", "total_cost", "cache_hits",
        "semantic_cache_hits", "saved_prompt_tokens", "saved_completion_tokens", "saved_cost", "currency"));
    Stream.concat(report.rows().stream(), Stream.of(report.totals())).forEach(r -> line(out, List.of(
        inert(r.key()), Long.toString(r.requests()), Long.toString(r.failedRequests()), Long.toString(r.promptTokens()),
        Long.toString(r.completionTokens()), Long.toString(r.cachedTokens()), Long.toString(r.images()),
        r.audioSecondsRounded().toPlainString(), Long.toString(r.characters()), r.ptuCost().toPlainString(),
        r.paygCost().toPlainString(), r.totalCost().toPlainString(), Long.toString(r.cache().exactHits()),
        Long.toString(r.cache().semanticHits()), Long.toString(r.cache().savedPromptTokens()),
        Long.toString(r.cache().savedCompletionTokens()), r.savedCost().toPlainString(), report.currency())));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> fields) {
    out.append(fields.stream().map(ReportCsv::field).collect(Collectors.joining(","))).append("\r\n");
  }

  /** {@code key}, or {@code 'key} when a spreadsheet would read it as a formula. */
  static String inert(String key) {
    return !key.isEmpty() && "=+-@\t\r".indexOf(key.charAt(0)) >= 0 ? "'" + key : key;
  }

  /** A field quoted when it holds a comma, a double quote or a line break; quotes inside are doubled. */
  static String field(String value) {
    if (value.chars().noneMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n')) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
