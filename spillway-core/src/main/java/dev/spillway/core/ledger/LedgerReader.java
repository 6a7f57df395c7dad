package dev.spillway.core.ledger;

import java.time.Instant;
import java.util.List;

/**
 * Reads the ledger back for chargeback. Blocking: call off the event loop. Every implementation sums exactly what
 * its store holds (a contract test checks the sums against the rows written).
 */
public interface LedgerReader extends AutoCloseable {
  /**
   * The sums of every row whose time is in {@code [from, to)}, one element per distinct (consumer, team, model,
   * backend, tier), in no particular order.
   */
  List<UsageTotals> totals(Instant from, Instant to) throws LedgerUnavailableException;

  @Override
  default void close() {
  }
}
