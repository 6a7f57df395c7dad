package dev.spillway.gateway.ledger;

import dev.spillway.core.config.PostgresLedger;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.ledger.PromptCacheTotals;
import dev.spillway.core.ledger.RecordedRequest;
import dev.spillway.core.ledger.SafetyTotals;
import dev.spillway.core.ledger.TimeBucket;
import dev.spillway.core.ledger.UsageTotals;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Reads the PostgreSQL ledger written by {@link PostgresLedgerSink}, through the same pool. Like the sink it contacts
 * nothing until used, and the schema is migrated before the first read, so an empty database reads as no totals. Thread-safe; blocking, so call off the event loop.
 */
public final class PostgresLedgerReader implements LedgerReader {
  /** The nineteen columns {@link UsageTotalsRows} reads, grouped by the first six. */
  static final String SUMS = "SELECT COALESCE(consumer, ''), COALESCE(team, ''), COALESCE(model, ''),"
      + " COALESCE(backend, ''), COALESCE(tier, ''), COALESCE(route, ''), COUNT(*), COUNT(*) FILTER (WHERE status >= 400),"
      + " SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(reasoning_tokens),"
      + " SUM(CASE WHEN unit = 'images' THEN units ELSE 0 END),"
      + " SUM(CASE WHEN unit = 'audio_seconds' THEN units ELSE 0 END),"
      + " SUM(CASE WHEN unit = 'characters' THEN units ELSE 0 END),"
      + " COUNT(*) FILTER (WHERE cache_status = 'exact'), COUNT(*) FILTER (WHERE cache_status = 'semantic'),"
      + " SUM(saved_prompt_tokens), SUM(saved_completion_tokens)";
  static final String TOTALS = SUMS + " FROM usage WHERE time >= ? AND time < ? GROUP BY 1, 2, 3, 4, 5, 6";
  static final String TOTALS_BY_END_USER = SUMS + ", end_user FROM usage WHERE time >= ? AND time < ?"
      + " GROUP BY 1, 2, 3, 4, 5, 6, 20";
  static final String PROMPT_CACHE = PromptCacheRows.query("time");
  /** The safety query per bucket: a bucket's start is the row's epoch milliseconds rounded down to its width. */
  static final Map<TimeBucket, String> SAFETY_BUCKETS = new EnumMap<>(TimeBucket.class);
  static final String SAFETY_END_USERS = SafetyRows.endUsers("time");

  static {
    for (TimeBucket b : TimeBucket.values()) {
      long w = b.millis();
      SAFETY_BUCKETS.put(b, SafetyRows.buckets("(FLOOR(EXTRACT(EPOCH FROM time) * 1000 / " + w + ") * " + w
          + ")::bigint", "time"));
    }
  }

  static final String REQUESTS = "SELECT time, COALESCE(model, ''), COALESCE(tier, ''), status, prompt_tokens,"
      + " completion_tokens, cached_tokens FROM usage WHERE time >= ? AND time < ? ORDER BY time";

  private final PostgresLedgerDatabase database;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresLedgerReader(PostgresLedgerDatabase database) {
    this.database = database;
  }

  /**
   * A reader over the process's pool for this database (shared with the gateway's sink, if one is open); contacts
   * nothing until the first read. Cheap enough to open per report. Close it.
   */
  public static PostgresLedgerReader open(PostgresLedger config) {
    return new PostgresLedgerReader(PostgresLedgerDatabase.acquire(config));
  }

  @Override
  public List<UsageTotals> totals(Instant from, Instant to) throws LedgerUnavailableException {
    return sums(TOTALS, from, to, UsageTotalsRows::read);
  }

  @Override
  public List<UsageTotals> totalsByEndUser(Instant from, Instant to) throws LedgerUnavailableException {
    return sums(TOTALS_BY_END_USER, from, to, UsageTotalsRows::readByEndUser);
  }

  @Override
  public List<PromptCacheTotals> promptCache(Instant from, Instant to) throws LedgerUnavailableException {
    return sums(PROMPT_CACHE, from, to, PromptCacheRows::read);
  }

  /**
   * Both queries in one repeatable-read transaction, so that they count the same committed rows; the connection goes
   * back to the pool as it came.
   */
  @Override
  public SafetyTotals safety(Instant from, Instant to, TimeBucket bucket) throws LedgerUnavailableException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(bucket, "bucket");
    try (Connection c = database.connection()) {
      int isolation = c.getTransactionIsolation();
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        return SafetyRows.read(c, SAFETY_BUCKETS.get(bucket), SAFETY_END_USERS, ps -> {
          ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
          ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        });
      } finally {
        c.rollback(); // read only: nothing to keep
        c.setTransactionIsolation(isolation);
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new LedgerUnavailableException(
          "cannot read PostgreSQL ledger " + database.describe() + ": " + e.getMessage(), e);
    }
  }

  @FunctionalInterface
  private interface Rows<T> {
    List<T> read(PreparedStatement ps) throws SQLException;
  }

  /** Runs a period query whose rows are sums, read whole. */
  private <T> List<T> sums(String sql, Instant from, Instant to, Rows<T> rows) throws LedgerUnavailableException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    try (Connection c = database.connection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
      ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
      return rows.read(ps);
    } catch (SQLException e) {
      throw new LedgerUnavailableException(
          "cannot read PostgreSQL ledger " + database.describe() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The rows in time order through a server-side cursor: the driver fetches {@value RecordedRequestRows#FETCH_SIZE}
   * rows per round trip (it only does so inside a transaction, hence auto-commit off for the read), so a day of rows
   * never sits in memory at once.
   */
  @Override
  public long requests(Instant from, Instant to, Consumer<RecordedRequest> each) throws LedgerUnavailableException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(each, "each");
    try (Connection c = database.connection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(REQUESTS)) {
        ps.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        ps.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        return RecordedRequestRows.stream(ps, rs -> rs.getObject(1, OffsetDateTime.class).toInstant(), each);
      } finally {
        c.rollback(); // read only: nothing to keep
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new LedgerUnavailableException(
          "cannot read PostgreSQL ledger " + database.describe() + ": " + e.getMessage(), e);
    }
  }

  /** Gives back this reader's share of the pool (closed with the last one); later calls do nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      database.release();
    }
  }

  @Override
  public String toString() {
    return "PostgresLedgerReader[" + database.describe() + "]";
  }
}
