package dev.spillway.core.spend;

import dev.spillway.core.chargeback.ChargebackCalculator;
import dev.spillway.core.config.CostsConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.config.Tier;
import dev.spillway.core.ledger.UsageTotals;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PAYG spend recorded in the ledger, per consumer and per team: how a gateway that starts in the middle of a
 * period knows what was spent before it. Rows are priced exactly as the chargeback report prices them ({@link
 * ChargebackCalculator#paygCost}: only rows a PAYG backend answered, at their model's {@code costs.payg} price; a model
 * without a price costs nothing), so a budget and the month's bill agree. Pure.
 */
public final class LedgerSpend {
  private LedgerSpend() {}

  /**
   * The exact PAYG cost of {@code rows} (the ledger's sums over one period) by owner key ({@link
   * SpendCounter#consumer}, {@link SpendCounter#team}); an owner without PAYG spend is absent.
   */
  public static Map<String, BigDecimal> byOwner(List<UsageTotals> rows, CostsConfig costs) {
    Map<String, BigDecimal> spend = new HashMap<>();
    for (UsageTotals row : rows) {
      if (!row.tier().equals(Tier.PAYG.id())) {
        continue;
      }
      Optional<PaygPrice> price = costs.paygPrice(row.model());
      if (price.isEmpty()) {
        continue;
      }
      BigDecimal cost = ChargebackCalculator.paygCost(row, price.get());
      if (cost.signum() == 0) {
        continue;
      }
      if (!row.consumer().isEmpty()) {
        spend.merge(SpendCounter.consumer(row.consumer()), cost, BigDecimal::add);
      }
      if (!row.team().isEmpty()) {
        spend.merge(SpendCounter.team(row.team()), cost, BigDecimal::add);
      }
    }
    return spend;
  }
}
