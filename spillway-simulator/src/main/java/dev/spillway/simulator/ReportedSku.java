package dev.spillway.simulator;

import dev.spillway.core.config.Tier;
import dev.spillway.core.plan.PublishedPtuFigures;
import dev.spillway.core.plan.PtuThroughput;

/**
 * The SKU Azure's management API reports for a simulated deployment ({@code sku.name}, {@code sku.capacity}), derived
 * from its config so discovery and serving agree.
 *
 * <p>A PTU deployment reports {@value #PTU_SKU} and its capacity in PTUs: its tokens a minute divided by the input
 * tokens a minute one PTU of its model serves (Azure's published figures, {@link PublishedPtuFigures}; a model without
 * them is counted at {@value #UNKNOWN_MODEL_TOKENS_PER_PTU}, gpt-4o's figure), rounded up. A PAYG deployment reports
 * {@value #PAYG_SKU} and its capacity in thousands of tokens a minute, as Azure counts standard quota; an unlimited one
 * (0) reports {@value #UNLIMITED_PAYG_CAPACITY}, a million tokens a minute.
 *
 * @param name {@value #PTU_SKU} or {@value #PAYG_SKU}
 * @param capacity PTUs, or thousands of tokens a minute
 */
record ReportedSku(String name, long capacity) {
  static final String PTU_SKU = "ProvisionedManaged";
  static final String PAYG_SKU = "Standard";
  static final long UNKNOWN_MODEL_TOKENS_PER_PTU = 2_500;
  static final long UNLIMITED_PAYG_CAPACITY = 1_000;

  static ReportedSku of(DeploymentConfig d) {
    if (d.tier() == Tier.PTU) {
      long perPtu = PublishedPtuFigures.of(d.modelName())
          .map(PtuThroughput::inputTokensPerMinutePerPtu)
          .orElse(UNKNOWN_MODEL_TOKENS_PER_PTU);
      return new ReportedSku(PTU_SKU, ceilDiv(d.capacityTokensPerMinute(), perPtu));
    }
    long capacity = d.tokensPerMinute() == 0 ? UNLIMITED_PAYG_CAPACITY : ceilDiv(d.tokensPerMinute(), 1_000);
    return new ReportedSku(PAYG_SKU, capacity);
  }

  private static long ceilDiv(long a, long b) {
    return Math.max(1, Math.ceilDiv(a, b));
  }
}
