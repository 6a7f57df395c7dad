package dev.spillway.core.chargeback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The prompt-cache report in each {@link ReportFormat}.
 *
 * <ul>
 *   <li>JSON: {@code {"by","from","to","currency","rows":[...],"totals":{...},"thresholds":{...},"unpricedModels"}};
 *       a row is {@code {"key","model","requests","promptTokens","cachedTokens","cachedShare","promptTokensPerRequest",
 *       "longPrompts","prefixPairs","stablePairs","prefixStability","savedCost","flags"}}: shares are numbers with
 *       three decimals, or null when there was nothing to divide by; amounts are decimal strings.
 *   <li>CSV: RFC 4180 with CRLF, a header, the rows, the totals row; empty cells for missing shares, flags joined by
 *       {@code ;}.
 *   <li>Table: aligned columns, shares as percentages, then what the flag means.
 * </ul>
 */
final class PromptCacheFormats {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PromptCacheFormats() {}

  static String json(PromptCacheReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("by", report.by().id());
    root.put("from", report.period().from().toString());
    root.put("to", report.period().to().toString());
    root.put("currency", report.currency());
    ArrayNode rows = root.putArray("rows");
    report.rows().forEach(r -> row(rows.addObject(), r, true));
    row(root.putObject("totals"), report.totals(), false);
    ObjectNode thresholds = root.putObject("thresholds");
    thresholds.put("minPairs", PromptCacheRow.MIN_PAIRS);
    thresholds.put("lowPrefixStability", PromptCacheRow.LOW_STABILITY);
    thresholds.put("lowCachedShare", PromptCacheRow.LOW_CACHED_SHARE);
    ArrayNode unpriced = root.putArray("unpricedModels");
    report.unpricedModels().forEach(unpriced::add);
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  private static void row(ObjectNode n, PromptCacheRow r, boolean flags) {
    n.put("key", r.key());
    n.put("model", r.model());
    n.put("requests", r.requests());
    n.put("promptTokens", r.promptTokens());
    n.put("cachedTokens", r.cachedTokens());
    share(n, "cachedShare", r.cachedShare());
    n.put("promptTokensPerRequest", r.promptTokensPerRequest());
    n.put("longPrompts", r.longPrompts());
    n.put("prefixPairs", r.prefixPairs());
    n.put("stablePairs", r.stablePairs());
    share(n, "prefixStability", r.prefixStability());
    n.put("savedCost", r.savedCost().toPlainString());
    if (flags) {
      ArrayNode list = n.putArray("flags");
      r.flags().forEach(list::add);
    }
  }

  private static void share(ObjectNode n, String field, Optional<BigDecimal> share) {
    if (share.isPresent()) {
      n.put(field, share.get());
    } else {
      n.putNull(field);
    }
  }

  static String csv(PromptCacheReport report) {
    StringBuilder out = new StringBuilder();
    line(out, List.of(report.by().id(), "model", "requests", "prompt_tokens", "cached_tokens", "cached_share",
        "prompt_tokens_per_request", "long_prompts", "prefix_pairs", "stable_pairs", "prefix_stability", "saved_cost",
        "currency", "flags"));
    Stream.concat(report.rows().stream(), Stream.of(report.totals())).forEach(r -> line(out, List.of(
        r.key(), r.model(), Long.toString(r.requests()), Long.toString(r.promptTokens()),
        Long.toString(r.cachedTokens()), r.cachedShare().map(BigDecimal::toPlainString).orElse(""),
        Long.toString(r.promptTokensPerRequest()), Long.toString(r.longPrompts()), Long.toString(r.prefixPairs()),
        Long.toString(r.stablePairs()), r.prefixStability().map(BigDecimal::toPlainString).orElse(""),
        r.savedCost().toPlainString(), report.currency(),
        r == report.totals() ? "" : String.join(";", r.flags()))));
    return out.toString();
  }

  private static void line(StringBuilder out, List<String> fields) {
    out.append(fields.stream().map(ReportCsv::field).collect(Collectors.joining(","))).append("\r\n");
  }

  static String table(PromptCacheReport report) {
    String cur = report.currency();
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {report.by().id(), "model", "requests", "prompt/req", "cached", "long", "prefix stable",
        "saved " + cur, "flag"});
    report.rows().forEach(r -> lines.add(cells(r, String.join(" ", r.flags()))));
    lines.add(null);
    lines.add(cells(report.totals(), ""));
    StringBuilder out = new StringBuilder();
    out.append("Prompt cache by ").append(report.by().id()).append(" and model, ").append(report.period().from())
        .append(" to ").append(report.period().to()).append(" (").append(cur).append(")\n\n");
    TextColumns.render(lines, i -> i < 2 || i == 8, out);
    out.append("\ncached: prompt tokens the provider served from its prompt cache; long: prompts of 1024 tokens or"
        + " more;\nprefix stable: consecutive long prompts of the same caller and model that began with the same 1024"
        + " tokens;\nsaved: cached tokens of PAYG requests at the input price minus the cachedInput price.\n");
    if (report.rows().stream().anyMatch(PromptCacheRow::variesEarly)) {
      out.append("\n").append(PromptCacheRow.VARIES_EARLY).append(": most prompts are long, yet fewer than ")
          .append(percent(PromptCacheRow.LOW_STABILITY)).append(" of consecutive ones began alike\nand under ")
          .append(percent(PromptCacheRow.LOW_CACHED_SHARE)).append(" of prompt tokens were cached: put what stays the"
              + " same (instructions, tools,\ndocuments) first and what changes (the date, the user, the question)"
              + " last.\n");
    }
    if (!report.unpricedModels().isEmpty()) {
      out.append("\nModels without a PAYG price (their savings are counted as 0): ")
          .append(String.join(", ", report.unpricedModels())).append('\n');
    }
    return out.toString();
  }

  private static String[] cells(PromptCacheRow r, String flags) {
    return new String[] {r.key(), r.model(), Long.toString(r.requests()), Long.toString(r.promptTokensPerRequest()),
        r.cachedShare().map(PromptCacheFormats::percent).orElse("-"), Long.toString(r.longPrompts()),
        r.prefixStability().map(PromptCacheFormats::percent).orElse("-"), r.savedCost().toPlainString(), flags};
  }

  /** {@code 0.669} as {@code 66.9%}. */
  static String percent(BigDecimal share) {
    return share.movePointRight(2).setScale(1, RoundingMode.HALF_UP).toPlainString() + "%";
  }
}
