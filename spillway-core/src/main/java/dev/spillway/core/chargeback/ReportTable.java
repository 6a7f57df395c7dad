package dev.spillway.core.chargeback;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link ReportFormat#TABLE}: a title line, the rows in aligned columns (the group left-aligned, numbers right-aligned),
 * a rule, the totals row, then a line per priced PTU deployment and the models without a PAYG price. The columns of
 * images, audio seconds and characters are shown when the period has any (a table is read by people, and most
 * periods of most gateways are tokens only), and so are the response cache's (exact hits, semantic hits, tokens saved
 * and what they would have cost) when it answered any request; CSV and JSON always have them.
 */
final class ReportTable {
  private ReportTable() {}

  static String render(ChargebackReport report) {
    String cur = report.currency();
    boolean units = report.totals().hasUnits();
    boolean hits = report.totals().cache().hits() > 0;
    List<String[]> lines = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of(report.by().id(), "requests", "failed", "prompt", "completion",
        "cached"));
    if (units) {
      header.addAll(List.of("images", "audio s", "characters"));
    }
    header.addAll(List.of("ptu " + cur, "payg " + cur, "total " + cur));
    if (hits) {
      header.addAll(List.of("hits", "semantic", "saved tokens", "saved " + cur));
    }
    lines.add(header.toArray(String[]::new));
    report.rows().forEach(r -> lines.add(cells(r, units, hits)));
    lines.add(null);
    lines.add(cells(report.totals(), units, hits));

    StringBuilder out = new StringBuilder();
    out.append("Chargeback by ").append(report.by().id()).append(", ").append(report.period().from())
        .append(" to ").append(report.period().to()).append(" (").append(cur).append(")\n\n");
    TextColumns.render(lines, i -> i == 0, out);
    if (!report.ptu().isEmpty()) {
      out.append('\n');
      for (PtuCharge p : report.ptu()) {
        out.append("PTU ").append(p.backend()).append(": ").append(p.monthlyPrice().toPlainString()).append(' ')
            .append(cur).append(" a month, ").append(p.periodCost().toPlainString()).append(" for the period, ")
            .append(p.unused() ? "unused (on the " + ReportRow.UNUSED_PTU + " row)" : p.tokens() + " tokens")
            .append('\n');
      }
    }
    if (!report.unpricedModels().isEmpty()) {
      out.append("\nModels without a PAYG price (their PAYG cost and savings are counted as 0): ")
          .append(String.join(", ", report.unpricedModels())).append('\n');
    }
    return out.toString();
  }

  private static String[] cells(ReportRow r, boolean units, boolean hits) {
    List<String> cells = new ArrayList<>(List.of(r.key(), Long.toString(r.requests()),
        Long.toString(r.failedRequests()), Long.toString(r.promptTokens()), Long.toString(r.completionTokens()),
        Long.toString(r.cachedTokens())));
    if (units) {
      cells.addAll(List.of(Long.toString(r.images()), r.audioSecondsRounded().toPlainString(),
          Long.toString(r.characters())));
    }
    cells.addAll(List.of(r.ptuCost().toPlainString(), r.paygCost().toPlainString(), r.totalCost().toPlainString()));
    if (hits) {
      cells.addAll(List.of(Long.toString(r.cache().exactHits()), Long.toString(r.cache().semanticHits()),
          Long.toString(r.cache().savedTokens()), r.savedCost().toPlainString()));
    }
    return cells.toArray(String[]::new);
  }
}
