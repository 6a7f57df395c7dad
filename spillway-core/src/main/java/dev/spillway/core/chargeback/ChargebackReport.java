package dev.spillway.core.chargeback;

import java.util.List;

/**
 * A computed chargeback report. Its {@link #totals()} row's counts are the exact sums of the ledger rows it was
 * computed from, and its costs the exact sums of the {@link #rows()}' costs.
 *
 * @param period what it covers
 * @param by what the rows are grouped by
 * @param currency the label of every amount
 * @param rows one per group, sorted by key ({@link ReportRow#NONE} and {@link ReportRow#UNUSED_PTU} last)
 * @param totals the sums of {@code rows}, keyed {@link ReportRow#TOTAL}
 * @param ptu every priced PTU deployment, by backend id
 * @param unpricedModels models that served PAYG tokens, or whose response-cache hits saved tokens, in the period but
 *     have no {@code costs.payg} price (their PAYG cost and their savings are counted as 0)
 */
public record ChargebackReport(
    ReportPeriod period,
    ReportDimension by,
    String currency,
    List<ReportRow> rows,
    ReportRow totals,
    List<PtuCharge> ptu,
    List<String> unpricedModels) {
  public ChargebackReport {
    rows = List.copyOf(rows);
    ptu = List.copyOf(ptu);
    unpricedModels = List.copyOf(unpricedModels);
  }
}
