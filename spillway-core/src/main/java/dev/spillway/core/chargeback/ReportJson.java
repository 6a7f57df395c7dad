package dev.spillway.core.chargeback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@link ReportFormat#JSON}: {@code {"by","from","to","currency","rows":[...],"totals":{...},"ptu":[...],
 * "unpricedModels":[...]}}. A row is {@code {"key","requests","failedRequests","promptTokens","completionTokens",
 * "cachedTokens","images","audioSeconds","characters","ptuCost","paygCost","totalCost","cacheHits","semanticCacheHits",
 * "savedPromptTokens","savedCompletionTokens","savedCost"}}; counts are integers (audio seconds a number with three
 * decimals), amounts decimal strings. {@code cacheHits} counts the response cache's exact hits, {@code
 * semanticCacheHits} its semantic ones; {@code savedCost} is not part of {@code totalCost}.
 */
final class ReportJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ReportJson() {}

  static String render(ChargebackReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("by", report.by().id());
    root.put("from", report.period().from().toString());
    root.put("to", report.period().to().toString());
    root.put("currency", report.currency());
    ArrayNode rows = root.putArray("rows");
    report.rows().forEach(r -> row(rows.addObject(), r));
    row(root.putObject("totals"), report.totals());
    ArrayNode ptu = root.putArray("ptu");
    for (PtuCharge p : report.ptu()) {
      ObjectNode n = ptu.addObject();
      n.put("backend", p.backend());
      n.put("monthlyPrice", p.monthlyPrice().toPlainString());
      n.put("periodCost", p.periodCost().toPlainString());
      n.put("tokens", p.tokens());
      n.put("unused", p.unused());
    }
    ArrayNode unpriced = root.putArray("unpricedModels");
    report.unpricedModels().forEach(unpriced::add);
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  private static void row(ObjectNode n, ReportRow r) {
    n.put("key", r.key());
    n.put("requests", r.requests());
    n.put("failedRequests", r.failedRequests());
    n.put("promptTokens", r.promptTokens());
    n.put("completionTokens", r.completionTokens());
    n.put("cachedTokens", r.cachedTokens());
    n.put("images", r.images());
    n.put("audioSeconds", r.audioSecondsRounded());
    n.put("characters", r.characters());
    n.put("ptuCost", r.ptuCost().toPlainString());
    n.put("paygCost", r.paygCost().toPlainString());
    n.put("totalCost", r.totalCost().toPlainString());
    n.put("cacheHits", r.cache().exactHits());
    n.put("semanticCacheHits", r.cache().semanticHits());
    n.put("savedPromptTokens", r.cache().savedPromptTokens());
    n.put("savedCompletionTokens", r.cache().savedCompletionTokens());
    n.put("savedCost", r.savedCost().toPlainString());
  }
}
