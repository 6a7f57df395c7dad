package dev.spillway.core.ledger;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the ledger back: sums for chargeback, rows for capacity planning. Blocking: call off the event loop. Every
 * implementation sums and streams exactly what its store holds (a contract test checks both against the rows written).
 */
public interface LedgerReader extends AutoCloseable {
  /**
   * The sums of every row whose time is in {@code [from, to)}, one element per distinct (consumer, team, model,
   * backend, tier, operation), in no particular order.
   */
  List<UsageTotals> totals(Instant from, Instant to) throws LedgerUnavailableException;

  /**
   * As {@link #totals}, split further by end user: one element per distinct (consumer, team, model, backend, tier,
   * operation, end user), each carrying its {@link UsageTotals#endUser()}. Apart from {@link #totals} because a gateway
   * may see many end users and only a report by end user needs the split; every other reader keeps the fewer sums.
   *
   * @throws LedgerUnavailableException also from a reader of a store that keeps no end users (the default)
   */
  default List<UsageTotals> totalsByEndUser(Instant from, Instant to) throws LedgerUnavailableException {
    throw new LedgerUnavailableException(getClass().getSimpleName() + " keeps no end users");
  }

  /**
   * Hands every row whose time is in {@code [from, to)} to {@code each}, in order of time (rows of the same time in no
   * particular order), one at a time on the calling thread. The store is read in batches, never whole into memory, so
   * a day of a busy gateway streams through in bounded memory; what {@code each} keeps is up to it. A runtime
   * exception thrown by {@code each} stops the reading and reaches the caller as it is.
   *
   * @return how many rows were handed over
   */
  long requests(Instant from, Instant to, Consumer<RecordedRequest> each) throws LedgerUnavailableException;

  /**
   * The prompt-cache sums of every row whose time is in {@code [from, to)}, one element per distinct (consumer, team,
   * model), in no particular order; see {@link PromptCacheTotals} for which rows count and how prefix stability is
   * counted. The store does the counting, so a period of any length is read in bounded memory.
   *
   * @throws LedgerUnavailableException also from a reader of a store that keeps no prompt-cache facts (the default)
   */
  default List<PromptCacheTotals> promptCache(Instant from, Instant to) throws LedgerUnavailableException {
    throw new LedgerUnavailableException(getClass().getSimpleName() + " keeps no prompt-cache facts");
  }

  /**
   * The content guard's verdicts of every row whose time is in {@code [from, to)}: per {@code bucket} (UTC hours or
   * days; the first and last may be covered only in part by the period) the rows and the flagged ones per category
   * and severity, and per end user of each consumer the requests, flagged and blocked ones; see {@link SafetyTotals}.
   * The store does the counting, so a period of any length is read in bounded memory (but for one element per flagged
   * end user).
   *
   * @throws LedgerUnavailableException also from a reader of a store that keeps no safety verdicts (the default)
   */
  default SafetyTotals safety(Instant from, Instant to, TimeBucket bucket) throws LedgerUnavailableException {
    throw new LedgerUnavailableException(getClass().getSimpleName() + " keeps no safety verdicts");
  }

  @Override
  default void close() {
  }
}
