package dev.spillway.core.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link PlanFormat#TABLE}: a title with the period, the money and the target; then per model a line on what was
 * replayed and on which figures, the candidates in aligned columns (the recommended one marked {@code *}), and the
 * recommendation.
 */
final class PlanTable {
  private PlanTable() {}

  static String render(PlanReport report) {
    String cur = report.currency();
    StringBuilder out = new StringBuilder();
    out.append("PTU plan, ").append(report.period().from()).append(" to ").append(report.period().to())
        .append(": costs in ").append(cur).append(" a month (").append(CandidateResult.HOURS_PER_MONTH)
        .append(" h), one PTU ").append(report.ptuUnitMonthly().toPlainString()).append(' ').append(cur).append('\n');
    out.append("target: ").append(report.target().describe()).append('\n');
    for (ModelPlan plan : report.models()) {
      out.append('\n');
      model(out, plan, cur);
    }
    if (report.models().size() > 1) {
      out.append("\nall models: the recommendations cost ").append(report.recommendedMonthlyCost().toPlainString())
          .append(' ').append(cur).append(" a month\n");
    }
    if (!report.notes().isEmpty()) {
      out.append('\n');
      report.notes().forEach(n -> out.append(n).append('\n'));
    }
    return out.toString();
  }

  private static void model(StringBuilder out, ModelPlan plan, String cur) {
    PtuThroughput t = plan.throughput();
    out.append(plan.model()).append(": ").append(plan.requests()).append(" requests replayed");
    if (plan.skippedRows() > 0) {
      out.append(" (").append(plan.skippedRows()).append(" without tokens left out)");
    }
    out.append("; the ledger shows ").append(PlanText.percent(plan.recordedPaygShare())).append(" of tokens on PAYG\n");
    out.append("  ").append(t.inputTokensPerMinutePerPtu()).append(" input tokens a minute per PTU, an output token counts ")
        .append(t.outputTokenWeight().toPlainString()).append(", sizes ").append(t.minimumPtu()).append(" + ")
        .append(t.ptuIncrement()).append("n (").append(t.basis()).append(")\n");
    out.append("  waits for the PTU up to ").append(PlanText.duration(plan.maxWaitForPtu())).append("; PAYG quota ")
        .append(plan.paygTokensPerMinute() == 0 ? "ample" : plan.paygTokensPerMinute() + " tokens a minute").append("\n\n");

    CandidateResult chosen = plan.recommendation().candidate();
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"", "ptu", "monthly " + cur, "ptu " + cur, "payg " + cur, "ptu use", "spilled",
        "p50 wait", "p99 wait", "client 429s"});
    for (CandidateResult c : plan.candidates()) {
      rows.add(new String[] {c == chosen ? "*" : "", Integer.toString(c.ptus()), c.monthlyCost().toPlainString(),
          c.ptuMonthlyCost().toPlainString(), c.paygMonthlyCost().toPlainString(),
          c.ptus() == 0 ? "-" : PlanText.percent(c.ptuUtilization()), PlanText.percent(c.spillShare()),
          PlanText.duration(c.p50Wait()), PlanText.duration(c.p99Wait()), Long.toString(c.rejectedRequests())});
    }
    columns(out, rows);
    out.append('\n').append(plan.recommendation().meetsTarget() ? "  recommended: " : "  no candidate meets the target; closest: ")
        .append(chosen.ptus()).append(" PTU, ").append(chosen.monthlyCost().toPlainString()).append(' ').append(cur)
        .append(" a month (spilled ").append(PlanText.percent(chosen.spillShare())).append(", p99 wait ")
        .append(PlanText.duration(chosen.p99Wait())).append(", ").append(chosen.rejectedRequests())
        .append(" client 429s)\n");
  }

  /** The first column left-aligned, the rest right-aligned, two spaces apart, indented by two. */
  private static void columns(StringBuilder out, List<String[]> rows) {
    int[] width = new int[rows.getFirst().length];
    for (String[] cells : rows) {
      for (int i = 0; i < cells.length; i++) {
        width[i] = Math.max(width[i], cells[i].length());
      }
    }
    for (String[] cells : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < cells.length; i++) {
        String pad = " ".repeat(width[i] - cells[i].length());
        line.append(i == 0 ? cells[i] + pad : "  " + pad + cells[i]);
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }
}
