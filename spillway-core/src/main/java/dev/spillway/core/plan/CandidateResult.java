package dev.spillway.core.plan;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * What replaying a model's recorded traffic against one PTU count showed, and what that count would cost a month.
 *
 * @param ptus the candidate PTU count; 0 is "all PAYG"
 * @param requests requests replayed
 * @param ptuRequests requests the PTU deployment served
 * @param paygRequests requests the PAYG deployment served
 * @param rejectedRequests requests nothing could serve: the client got 429
 * @param tokens prompt plus completion tokens of every replayed request
 * @param paygTokens prompt plus completion tokens PAYG served
 * @param ptuUtilization converted tokens the PTU served ÷ what it could have served over the period, 0..1; 0 for no PTU
 * @param p50Wait the median time a request waited for the PTU before it was served, spilled or refused
 * @param p99Wait the 99th percentile of that wait
 * @param ptuMonthlyCost {@code ptus} × the monthly price of one PTU
 * @param paygMonthlyCost the PAYG tokens' price over the period, scaled to a month of {@link #HOURS_PER_MONTH}
 */
public record CandidateResult(
    int ptus,
    long requests,
    long ptuRequests,
    long paygRequests,
    long rejectedRequests,
    long tokens,
    long paygTokens,
    double ptuUtilization,
    Duration p50Wait,
    Duration p99Wait,
    BigDecimal ptuMonthlyCost,
    BigDecimal paygMonthlyCost) {
  /** The month that monthly costs are for: Azure's monthly prices are hourly ones × 730. */
  public static final int HOURS_PER_MONTH = 730;

  public CandidateResult {
    Objects.requireNonNull(p50Wait, "p50Wait");
    Objects.requireNonNull(p99Wait, "p99Wait");
    Objects.requireNonNull(ptuMonthlyCost, "ptuMonthlyCost");
    Objects.requireNonNull(paygMonthlyCost, "paygMonthlyCost");
    if (ptus < 0) {
      throw new IllegalArgumentException("a PTU count cannot be negative");
    }
  }

  /** The PTUs' price plus the PAYG tokens' price, a month. */
  public BigDecimal monthlyCost() {
    return ptuMonthlyCost.add(paygMonthlyCost);
  }

  /** The share of all replayed tokens that PAYG served, 0..1. */
  public double spillShare() {
    return tokens == 0 ? 0 : (double) paygTokens / tokens;
  }

  /** The share of replayed requests that got 429, 0..1. */
  public double rejectedShare() {
    return requests == 0 ? 0 : (double) rejectedRequests / requests;
  }
}
