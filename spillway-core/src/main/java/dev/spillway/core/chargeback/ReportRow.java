package dev.spillway.core.chargeback;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One line of a chargeback report: a group's counts, as the ledger summed them, and its costs.
 *
 * @param key the group (a team, consumer, model, backend or tier), {@link #NONE} when the ledger rows had none,
 *     {@link #UNUSED_PTU} for PTU paid for but not used, or {@link #TOTAL} on the totals row
 * @param requests requests recorded
 * @param failedRequests those answered with status 400 or above
 * @param promptTokens prompt tokens, cached ones included
 * @param completionTokens completion tokens, reasoning ones included
 * @param cachedTokens prompt tokens served from the provider's prompt cache
 * @param ptuCost this group's share of the PTU deployments' amortized price
 * @param paygCost what this group's pay-as-you-go tokens cost
 */
public record ReportRow(
    String key,
    long requests,
    long failedRequests,
    long promptTokens,
    long completionTokens,
    long cachedTokens,
    BigDecimal ptuCost,
    BigDecimal paygCost) {
  /** The key of a group whose ledger rows had no value for the dimension (no team, no backend). */
  public static final String NONE = "(none)";
  /** The key of the row that carries the price of PTU deployments that served no tokens in the period. */
  public static final String UNUSED_PTU = "(unused PTU)";
  /** The key of the totals row. */
  public static final String TOTAL = "TOTAL";

  public ReportRow {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ptuCost, "ptuCost");
    Objects.requireNonNull(paygCost, "paygCost");
  }

  /** {@code ptuCost + paygCost}. */
  public BigDecimal totalCost() {
    return ptuCost.add(paygCost);
  }
}
