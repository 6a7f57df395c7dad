package dev.spillway.core.chargeback;

import dev.spillway.core.ledger.UsageTotals.CacheTotals;
import java.math.BigDecimal;
import java.math.RoundingMode;
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
 * @param images images generated, edited or varied
 * @param audioSeconds seconds of audio transcribed or translated (estimated ones included)
 * @param characters characters turned into speech
 * @param ptuCost this group's share of the PTU deployments' amortized price
 * @param paygCost what this group's pay-as-you-go tokens cost
 * @param cache the gateway's response-cache hits (exact and semantic) and the tokens they saved
 * @param savedCost what the saved tokens would have cost at their model's PAYG price (see {@link
 *     ChargebackCalculator}); not part of {@link #totalCost()}
 */
public record ReportRow(
    String key,
    long requests,
    long failedRequests,
    long promptTokens,
    long completionTokens,
    long cachedTokens,
    long images,
    double audioSeconds,
    long characters,
    BigDecimal ptuCost,
    BigDecimal paygCost,
    CacheTotals cache,
    BigDecimal savedCost) {
  /** The key of a group whose ledger rows had no value for the dimension (no team, no backend). */
  public static final String NONE = "(none)";
  /** The key of the row that carries the price of PTU deployments that served no tokens in the period. */
  public static final String UNUSED_PTU = "(unused PTU)";
  /** The key of the totals row. */
  public static final String TOTAL = "TOTAL";

  /** A row of a group billed in tokens only. */
  public ReportRow(String key, long requests, long failedRequests, long promptTokens, long completionTokens,
      long cachedTokens, BigDecimal ptuCost, BigDecimal paygCost) {
    this(key, requests, failedRequests, promptTokens, completionTokens, cachedTokens, 0, 0, 0, ptuCost, paygCost);
  }

  /** A row of a group without response-cache hits. */
  public ReportRow(String key, long requests, long failedRequests, long promptTokens, long completionTokens,
      long cachedTokens, long images, double audioSeconds, long characters, BigDecimal ptuCost, BigDecimal paygCost) {
    this(key, requests, failedRequests, promptTokens, completionTokens, cachedTokens, images, audioSeconds, characters,
        ptuCost, paygCost, CacheTotals.NONE, BigDecimal.ZERO.setScale(ChargebackCalculator.COST_SCALE));
  }

  public ReportRow {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(ptuCost, "ptuCost");
    Objects.requireNonNull(paygCost, "paygCost");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(savedCost, "savedCost");
  }

  /**
   * The audio seconds to the millisecond, as reports show them: a sum of floating-point seconds is exact to far less
   * than that, so its last binary digits (which depend on the order the rows were added in) are not shown.
   */
  public BigDecimal audioSecondsRounded() {
    return BigDecimal.valueOf(audioSeconds).setScale(3, RoundingMode.HALF_UP);
  }

  /** True when the group used any images, audio seconds or characters. */
  public boolean hasUnits() {
    return images != 0 || audioSeconds != 0 || characters != 0;
  }

  /** {@code ptuCost + paygCost}. */
  public BigDecimal totalCost() {
    return ptuCost.add(paygCost);
  }
}
