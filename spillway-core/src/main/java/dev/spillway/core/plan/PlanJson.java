package dev.spillway.core.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@link PlanFormat#JSON}: {@code {"from","to","currency","hoursPerMonth","ptuUnitMonthly","target":{...},
 * "models":[...],"recommendedMonthlyCost","notes":[...]}}. A model carries its replay's basis, one object per
 * candidate and the recommendation; amounts are decimal strings, shares numbers from 0 to 1, waits milliseconds.
 */
final class PlanJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private PlanJson() {}

  static String render(PlanReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("from", report.period().from().toString());
    root.put("to", report.period().to().toString());
    root.put("currency", report.currency());
    root.put("hoursPerMonth", CandidateResult.HOURS_PER_MONTH);
    root.put("ptuUnitMonthly", report.ptuUnitMonthly().toPlainString());
    ObjectNode target = root.putObject("target");
    if (report.target().maxSpillShare().isPresent()) {
      target.put("maxSpillShare", report.target().maxSpillShare().getAsDouble());
    } else {
      target.putNull("maxSpillShare");
    }
    if (report.target().maxP99Wait().isPresent()) {
      target.put("maxP99WaitMillis", report.target().maxP99Wait().get().toMillis());
    } else {
      target.putNull("maxP99WaitMillis");
    }
    ArrayNode models = root.putArray("models");
    report.models().forEach(m -> model(models.addObject(), m));
    root.put("recommendedMonthlyCost", report.recommendedMonthlyCost().toPlainString());
    ArrayNode notes = root.putArray("notes");
    report.notes().forEach(notes::add);
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serializes", e);
    }
  }

  private static void model(ObjectNode n, ModelPlan plan) {
    n.put("model", plan.model());
    n.put("requests", plan.requests());
    n.put("skippedRows", plan.skippedRows());
    n.put("recordedPaygShare", plan.recordedPaygShare());
    PtuThroughput t = plan.throughput();
    ObjectNode figures = n.putObject("ptuFigures");
    figures.put("inputTokensPerMinutePerPtu", t.inputTokensPerMinutePerPtu());
    figures.put("outputTokenWeight", t.outputTokenWeight().toPlainString());
    figures.put("minimumPtu", t.minimumPtu());
    figures.put("ptuIncrement", t.ptuIncrement());
    figures.put("basis", t.basis());
    n.put("maxWaitForPtuMillis", plan.maxWaitForPtu().toMillis());
    n.put("paygTokensPerMinute", plan.paygTokensPerMinute());
    ArrayNode candidates = n.putArray("candidates");
    for (CandidateResult c : plan.candidates()) {
      ObjectNode o = candidates.addObject();
      o.put("ptus", c.ptus());
      o.put("monthlyCost", c.monthlyCost().toPlainString());
      o.put("ptuMonthlyCost", c.ptuMonthlyCost().toPlainString());
      o.put("paygMonthlyCost", c.paygMonthlyCost().toPlainString());
      o.put("ptuUtilization", c.ptuUtilization());
      o.put("spillShare", c.spillShare());
      o.put("p50WaitMillis", c.p50Wait().toMillis());
      o.put("p99WaitMillis", c.p99Wait().toMillis());
      o.put("clientRejections", c.rejectedRequests());
      o.put("requests", c.requests());
      o.put("ptuRequests", c.ptuRequests());
      o.put("paygRequests", c.paygRequests());
    }
    ObjectNode chosen = n.putObject("recommendation");
    chosen.put("ptus", plan.recommendation().candidate().ptus());
    chosen.put("monthlyCost", plan.recommendation().candidate().monthlyCost().toPlainString());
    chosen.put("meetsTarget", plan.recommendation().meetsTarget());
  }
}
