package dev.spillway.core.plan;

import dev.spillway.core.chargeback.ReportPeriod;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * A capacity plan: per model the candidates replayed and the recommendation, over one ledger period.
 *
 * @param period the replayed period
 * @param currency the costs' currency label
 * @param ptuUnitMonthly what one PTU costs a month
 * @param target what a recommendation must achieve
 * @param models the planned models, in the order of their first request (or as asked)
 * @param notes one line per model left out and why
 */
public record PlanReport(
    ReportPeriod period, String currency, BigDecimal ptuUnitMonthly, PlanTarget target, List<ModelPlan> models,
    List<String> notes) {
  public PlanReport {
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(ptuUnitMonthly, "ptuUnitMonthly");
    Objects.requireNonNull(target, "target");
    models = List.copyOf(models);
    notes = List.copyOf(notes);
  }

  /** The recommended candidates' monthly costs added up over the models. */
  public BigDecimal recommendedMonthlyCost() {
    return models.stream().map(m -> m.recommendation().candidate().monthlyCost()).reduce(BigDecimal.ZERO, BigDecimal::add);
  }
}
