/**
 * Chargeback: who used how many tokens over a period and what that cost, from the ledger's sums; what the gateway's
 * response cache saved; the prompt-cache report ({@link dev.spillway.core.chargeback.PromptCacheCalculator}): how
 * well each caller's prompts used the provider's prompt cache; and the safety report ({@link
 * dev.spillway.core.chargeback.SafetyCalculator}): the content guard's verdicts per hour or day and the end users
 * flagged most often.
 *
 * <p>Everything here is a pure function of ({@link dev.spillway.core.ledger.UsageTotals} rows, {@link
 * dev.spillway.core.config.CostsConfig}, a {@link dev.spillway.core.chargeback.ReportPeriod}, a {@link
 * dev.spillway.core.chargeback.ReportDimension}); reading the ledger and printing are the callers' business.
 *
 * <p>Design:
 *
 * <ul>
 *   <li>Counts are longs and are only ever added, so a report's totals row is exactly the ledger's sums.
 *   <li>Money is {@link java.math.BigDecimal}, never a double, and every amount in a report has {@link
 *       dev.spillway.core.chargeback.ChargebackCalculator#COST_SCALE} decimals.
 *   <li>A PTU deployment is paid whether used or not. Its monthly price is amortized over the period exactly (a
 *       rational number of UTC months, rounded once) and shared among the report's groups by their share of that
 *       deployment's tokens. PAYG costs are exact products of tokens and per-1k prices, summed and rounded once.
 *   <li>Rounding is done once per pool of money, and the pool is split with the largest-remainder method (see
 *       {@code LargestRemainder}): the parts always add up exactly to the rounded whole, so the totals row is both
 *       the sum of the rows and independent of the dimension the report is grouped by.
 * </ul>
 */
package dev.spillway.core.chargeback;
