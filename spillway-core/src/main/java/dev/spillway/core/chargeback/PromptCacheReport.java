package dev.spillway.core.chargeback;

import java.util.List;

/**
 * A computed prompt-cache report: per caller (consumer or team) and model, the share of prompt tokens the provider
 * served from its prompt cache, prompt tokens per request, prefix stability, the money the cache saved on PAYG, and
 * the callers whose prompts vary early. Its counts are the ledger's sums; see {@link PromptCacheCalculator}.
 *
 * @param period what it covers
 * @param by what the rows are grouped by, besides the model: {@link ReportDimension#CONSUMER} or {@link
 *     ReportDimension#TEAM}
 * @param currency the label of every amount
 * @param rows one per group and model, sorted by group then model ({@link ReportRow#NONE} last)
 * @param totals the sums of {@code rows}, keyed {@link ReportRow#TOTAL}, never flagged
 * @param unpricedModels models whose PAYG requests had cached tokens but that have no {@code costs.payg} price (their
 *     savings are counted as 0)
 */
public record PromptCacheReport(
    ReportPeriod period,
    ReportDimension by,
    String currency,
    List<PromptCacheRow> rows,
    PromptCacheRow totals,
    List<String> unpricedModels) {
  public PromptCacheReport {
    rows = List.copyOf(rows);
    unpricedModels = List.copyOf(unpricedModels);
  }
}
