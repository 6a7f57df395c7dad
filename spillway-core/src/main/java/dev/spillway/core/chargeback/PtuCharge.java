package dev.spillway.core.chargeback;

import java.math.BigDecimal;

/**
 * What one priced PTU deployment cost over a report's period.
 *
 * @param backend the backend id
 * @param monthlyPrice its configured monthly price
 * @param periodCost the monthly price amortized over the period; shared among the rows by their tokens
 * @param tokens prompt + completion tokens it served in the period; 0 means its cost is on the {@link
 *     ReportRow#UNUSED_PTU} row
 */
public record PtuCharge(String backend, BigDecimal monthlyPrice, BigDecimal periodCost, long tokens) {
  public boolean unused() {
    return tokens == 0;
  }
}
