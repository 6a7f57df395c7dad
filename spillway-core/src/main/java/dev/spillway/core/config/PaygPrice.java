package dev.spillway.core.config;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * What a pay-as-you-go model costs, per 1,000 tokens, in the report's currency.
 *
 * @param inputPer1k prompt tokens that were not served from the provider's prompt cache
 * @param outputPer1k completion tokens (reasoning tokens included, as the providers bill them)
 * @param cachedInputPer1k prompt tokens served from the provider's prompt cache (defaults to {@code inputPer1k})
 */
public record PaygPrice(BigDecimal inputPer1k, BigDecimal outputPer1k, BigDecimal cachedInputPer1k) {
  public PaygPrice {
    Objects.requireNonNull(inputPer1k, "inputPer1k");
    Objects.requireNonNull(outputPer1k, "outputPer1k");
    cachedInputPer1k = cachedInputPer1k == null ? inputPer1k : cachedInputPer1k;
    if (inputPer1k.signum() < 0 || outputPer1k.signum() < 0 || cachedInputPer1k.signum() < 0) {
      throw new IllegalArgumentException("prices must not be negative");
    }
  }

  /**
   * What these tokens cost, exactly (no rounding): {@code ((prompt − cached) × input + cached × cachedInput +
   * completion × output) ÷ 1000}. Cached tokens are part of the prompt tokens; more cached than prompt tokens are
   * charged as cached only. The one PAYG pricing rule: chargeback and PAYG budgets both use it.
   */
  public BigDecimal cost(long promptTokens, long cachedTokens, long completionTokens) {
    long cached = Math.min(cachedTokens, promptTokens);
    BigDecimal perThousand = BigDecimal.valueOf(promptTokens - cached).multiply(inputPer1k)
        .add(BigDecimal.valueOf(cached).multiply(cachedInputPer1k))
        .add(BigDecimal.valueOf(completionTokens).multiply(outputPer1k));
    return perThousand.movePointLeft(3);
  }
}
