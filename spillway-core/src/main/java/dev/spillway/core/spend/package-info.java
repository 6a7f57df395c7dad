/**
 * Spill rights: who may be served by pay-as-you-go when the PTU capacity is full, and how much PAYG each consumer and
 * team has spent against its budget this period.
 *
 * <p>Design:
 *
 * <ul>
 *   <li>The rules are pure ({@link dev.spillway.core.spend.PaygRights}): a caller's own {@code payg}/{@code
 *       paygBudget} and its team's both apply, a deny wins, and every budget is compared with the spend of its
 *       period. What closes PAYG is a sentence for the client's 429, never a secret.
 *   <li>Spend lives behind one small interface ({@link dev.spillway.core.spend.SpendStore}): {@link
 *       dev.spillway.core.spend.InMemorySpendStore} for one replica, a Redis store in the gateway for several, both
 *       held to one contract suite. Counters are added to, never read and written back.
 *   <li>Money is counted in whole millionths of the currency ({@link dev.spillway.core.spend.Micros}), the precision
 *       of a chargeback report: longs add up exactly on every store, where a float would drift.
 *   <li>Spend is priced with the chargeback's PAYG rule ({@link dev.spillway.core.config.PaygPrice#cost}), per
 *       request as it ends and, at start, from the ledger's sums ({@link dev.spillway.core.spend.LedgerSpend}).
 * </ul>
 */
package dev.spillway.core.spend;
