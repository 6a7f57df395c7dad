package dev.spillway.core.ledger;

import java.util.List;

/**
 * Durable destination of usage records. {@link #write} is blocking and is only ever called off the event loop
 * (by the ledger writer's own thread). A batch is committed atomically: either all rows are durable when the call
 * returns, or it throws and nothing may be assumed. Writes are idempotent per request id (insert, on conflict do
 * nothing), so re-writing a batch after an uncertain failure is safe.
 */
public interface LedgerSink extends AutoCloseable {
  void write(List<UsageRecord> batch) throws LedgerUnavailableException;

  @Override
  default void close() {
  }
}
