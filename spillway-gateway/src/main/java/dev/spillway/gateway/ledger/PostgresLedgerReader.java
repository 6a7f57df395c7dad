package dev.spillway.gateway.ledger;

import dev.spillway.core.config.PostgresLedger;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.ledger.UsageTotals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * Reads the PostgreSQL ledger written by {@link PostgresLedgerSink}, from its own pool of {@code poolSize - 1}
 * connections (at least one; the writer has the other). Like the sink it contacts nothing until used, and migrates
 * the schema on first use, so an empty database reads as no totals. Thread-safe; blocking, so call off the event loop.
 */
public final class PostgresLedgerReader implements LedgerReader {
  static final String TOTALS = "SELECT COALESCE(consumer, ''), COALESCE(team, ''), COALESCE(model, ''),"
      + " COALESCE(backend, ''), COALESCE(tier, ''), COUNT(*), COUNT(*) FILTER (WHERE status >= 400),"
      + " SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(reasoning_tokens)"
      + " FROM usage WHERE time >= ? AND time < ?"
      + " GROUP BY 1, 2, 3, 4, 5";

  private final PostgresLedgerDatabase database;

  private PostgresLedgerReader(PostgresLedgerDatabase database) {
    this.database = database;
  }

  /** A reader with its own pool; contacts nothing until the first read. */
  public static PostgresLedgerReader open(PostgresLedger config) {
    int connections = Math.max(1, config.poolSize() - 1);
    return new PostgresLedgerReader(PostgresLedgerDatabase.create(config, connections, "spillway-ledger-reader"));
  }

  @Override
  public List<UsageTotals> totals(Instant from, Instant to) throws LedgerUnavailableException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    try (Connection c = database.connection();
        PreparedStatement ps = c.prepareStatement(TOTALS)) {
      ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      return UsageTotalsRows.read(ps);
    } catch (SQLException e) {
      throw new LedgerUnavailableException(
          "cannot read PostgreSQL ledger " + database.describe() + ": " + e.getMessage(), e);
    }
  }

  /** Closes the pool. */
  @Override
  public void close() {
    database.close();
  }

  @Override
  public String toString() {
    return "PostgresLedgerReader[" + database.describe() + "]";
  }
}
