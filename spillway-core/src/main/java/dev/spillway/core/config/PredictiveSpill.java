package dev.spillway.core.config;

/**
 * Moving to the next backend before the current one throttles: a PTU backend whose last reported
 * {@code azure-openai-deployment-utilization} is at or above {@code ptuUtilizationPercent}, or a
 * PAYG backend whose last {@code x-ratelimit-remaining-tokens} is below the request's estimated
 * cost, is passed over while another backend of the same or the next group can take the call.
 * Off by default until the benchmark shows it pays.
 *
 * @param enabled whether the rule applies
 * @param ptuUtilizationPercent threshold for PTU backends, 1..100
 * @param paygRemainingTokens whether PAYG backends are skipped when their reported remaining tokens
 *     are below the request's estimate
 */
public record PredictiveSpill(boolean enabled, double ptuUtilizationPercent, boolean paygRemainingTokens) {
  public static final PredictiveSpill OFF = new PredictiveSpill(false, 95, true);

  public PredictiveSpill {
    if (ptuUtilizationPercent <= 0 || ptuUtilizationPercent > 100) {
      throw new IllegalArgumentException("ptuUtilizationPercent must be in (0, 100]");
    }
  }
}
