package dev.spillway.gateway.ledger;

import dev.spillway.core.config.PostgresLedger;
import dev.spillway.core.ledger.LedgerSink;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.ledger.UsageRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Ledger in PostgreSQL, for gateway replicas that share one ledger: table {@code usage} keyed by request id, a batch
 * per transaction, {@code INSERT ... ON CONFLICT (request_id) DO NOTHING}. The schema is versioned by Flyway and
 * migrated on the first write that reaches the server, so the gateway starts while PostgreSQL is down and the
 * {@link LedgerWriter} spills until it is back. Blocking: called by the ledger writer's thread only.
 */
public final class PostgresLedgerSink implements LedgerSink {
  static final String INSERT = "INSERT INTO usage (request_id, time, consumer, team, client_ip, route, model, backend,"
      + " tier, region, status, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, usage_estimated,"
      + " latency_ms, ttft_ms, cache_status, attempts, spilled, spilled_by, interrupted_by, unit, units,"
      + " units_estimated, saved_prompt_tokens, saved_completion_tokens, prompt_prefix_hash, end_user, safety_verdict,"
      + " safety_category, safety_severity)"
      + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (request_id) DO NOTHING";

  private final PostgresLedgerDatabase database;
  private final int networkTimeoutMillis;
  private final AtomicBoolean closed = new AtomicBoolean();

  private PostgresLedgerSink(PostgresLedgerDatabase database, Duration writeTimeout) {
    this.database = database;
    this.networkTimeoutMillis = networkTimeoutMillis(writeTimeout);
  }

  /** A sink over the process's pool for this database; contacts nothing until the first write. Close it. */
  public static PostgresLedgerSink open(PostgresLedger config) {
    return open(config, dev.spillway.core.config.LedgerConfig.DEFAULT_WRITE_TIMEOUT);
  }

  /**
   * As {@link #open(PostgresLedger)}, for a writer that gives up on a write after {@code writeTimeout}: a write's
   * statements wait for the server at most four times that (at least a second) before the connection is dropped, so
   * a write the writer abandoned on a server that stopped answering does not hold its thread for long.
   */
  public static PostgresLedgerSink open(PostgresLedger config, Duration writeTimeout) {
    return new PostgresLedgerSink(PostgresLedgerDatabase.acquire(config), writeTimeout);
  }

  static int networkTimeoutMillis(Duration writeTimeout) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1_000, writeTimeout.multipliedBy(4).toMillis()));
  }

  @Override
  public void write(List<UsageRecord> batch) throws LedgerUnavailableException {
    if (batch.isEmpty()) {
      return;
    }
    try (Connection c = database.connection()) {
      c.setNetworkTimeout(Runnable::run, networkTimeoutMillis); // the pool restores its own when the connection returns
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (UsageRecord r : batch) {
          bind(ps, r);
          ps.addBatch();
        }
        ps.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      // Never the driver's message: for a failed batch it is the whole INSERT with its values (consumers, addresses).
      throw new LedgerUnavailableException(
          "PostgreSQL ledger " + database.describe() + " write failed: " + failure(e));
    }
  }

  /** What went wrong without the statement or its values: the SQLState and the exception's kind. */
  static String failure(Exception e) {
    if (e instanceof SQLException sql) {
      SQLException first = sql.getNextException() != null ? sql.getNextException() : sql;
      return "SQLState " + first.getSQLState() + " (" + first.getClass().getSimpleName() + ")";
    }
    return e.getClass().getSimpleName();
  }

  private static void bind(PreparedStatement ps, UsageRecord r) throws SQLException {
    int i = 1;
    ps.setString(i++, r.requestId());
    ps.setObject(i++, OffsetDateTime.ofInstant(r.time(), ZoneOffset.UTC));
    ps.setString(i++, r.consumer());
    ps.setString(i++, r.team());
    ps.setString(i++, r.clientIp());
    ps.setString(i++, r.route());
    ps.setString(i++, r.model());
    ps.setString(i++, r.backend());
    ps.setString(i++, r.tier());
    ps.setString(i++, r.region());
    ps.setInt(i++, r.status());
    ps.setLong(i++, r.promptTokens());
    ps.setLong(i++, r.completionTokens());
    ps.setLong(i++, r.cachedTokens());
    ps.setLong(i++, r.reasoningTokens());
    ps.setBoolean(i++, r.usageEstimated());
    ps.setLong(i++, r.latencyMillis());
    if (r.ttftMillis() == null) {
      ps.setNull(i++, Types.BIGINT);
    } else {
      ps.setLong(i++, r.ttftMillis());
    }
    ps.setString(i++, r.cacheStatus());
    ps.setInt(i++, r.attempts());
    ps.setBoolean(i++, r.spilled());
    ps.setString(i++, r.spilledBy().isEmpty() ? null : r.spilledBy());
    ps.setString(i++, r.interruptedBy().isEmpty() ? null : r.interruptedBy());
    if (r.units().isPresent()) {
      ps.setString(i++, r.units().get().kind().wireName());
      ps.setDouble(i++, r.units().get().amount());
      ps.setBoolean(i++, r.units().get().estimated());
    } else {
      ps.setNull(i++, Types.VARCHAR);
      ps.setNull(i++, Types.DOUBLE);
      ps.setBoolean(i++, false);
    }
    ps.setLong(i++, r.cache().savedPromptTokens());
    ps.setLong(i++, r.cache().savedCompletionTokens());
    if (r.cache().promptPrefixHash().isPresent()) {
      ps.setLong(i++, r.cache().promptPrefixHash().getAsLong());
    } else {
      ps.setNull(i++, Types.BIGINT);
    }
    ps.setString(i++, r.endUser().id());
    ps.setString(i++, r.safety().level().wireName());
    ps.setString(i++, r.safety().category());
    ps.setShort(i, (short) r.safety().severity());
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the pool discards it
    }
  }

  /** Gives back this sink's share of the pool (closed with the last one); later calls do nothing. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      database.release();
    }
  }

  @Override
  public String toString() {
    return "PostgresLedgerSink[" + database.describe() + "]";
  }
}
