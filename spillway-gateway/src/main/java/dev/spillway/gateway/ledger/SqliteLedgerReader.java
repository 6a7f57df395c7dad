package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.ledger.PromptCacheTotals;
import dev.spillway.core.ledger.RecordedRequest;
import dev.spillway.core.ledger.SafetyTotals;
import dev.spillway.core.ledger.TimeBucket;
import dev.spillway.core.ledger.UsageTotals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * Reads the SQLite ledger written by {@link SqliteLedgerSink}, safely while a gateway is writing the same file: each
 * call opens its own read-only connection (the file is in WAL mode, so a reader sees the last committed batch and
 * never blocks the writer) and closes it before returning. Thread-safe; blocking, so call off the event loop.
 *
 * <p>Times are stored in milliseconds, so {@code [from, to)} is compared at millisecond precision.
 */
public final class SqliteLedgerReader implements LedgerReader {
  /** The nineteen columns {@link UsageTotalsRows} reads, grouped by the first six. */
  static final String SUMS = "SELECT COALESCE(consumer, ''), COALESCE(team, ''), COALESCE(model, ''),"
      + " COALESCE(backend, ''), COALESCE(tier, ''), COALESCE(route, ''), COUNT(*),"
      + " SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), SUM(prompt_tokens), SUM(completion_tokens),"
      + " SUM(cached_tokens), SUM(reasoning_tokens),"
      + " SUM(CASE WHEN unit = 'images' THEN units ELSE 0 END),"
      + " SUM(CASE WHEN unit = 'audio_seconds' THEN units ELSE 0 END),"
      + " SUM(CASE WHEN unit = 'characters' THEN units ELSE 0 END),"
      + " SUM(CASE WHEN cache_status = 'exact' THEN 1 ELSE 0 END),"
      + " SUM(CASE WHEN cache_status = 'semantic' THEN 1 ELSE 0 END),"
      + " SUM(saved_prompt_tokens), SUM(saved_completion_tokens)";
  static final String TOTALS = SUMS + " FROM usage WHERE time_ms >= ? AND time_ms < ? GROUP BY 1, 2, 3, 4, 5, 6";
  static final String TOTALS_BY_END_USER = SUMS + ", end_user FROM usage WHERE time_ms >= ? AND time_ms < ?"
      + " GROUP BY 1, 2, 3, 4, 5, 6, 20";
  static final String PROMPT_CACHE = PromptCacheRows.query("time_ms");
  /** The safety query per bucket: a bucket's start is the row's time rounded down to a multiple of its width. */
  static final Map<TimeBucket, String> SAFETY_BUCKETS = new EnumMap<>(TimeBucket.class);
  static final String SAFETY_END_USERS = SafetyRows.endUsers("time_ms");

  static {
    for (TimeBucket b : TimeBucket.values()) {
      long w = b.millis();
      SAFETY_BUCKETS.put(b, SafetyRows.buckets("time_ms - ((time_ms % " + w + ") + " + w + ") % " + w, "time_ms"));
    }
  }

  static final String REQUESTS = "SELECT time_ms, COALESCE(model, ''), COALESCE(tier, ''), status, prompt_tokens,"
      + " completion_tokens, cached_tokens FROM usage WHERE time_ms >= ? AND time_ms < ? ORDER BY time_ms";

  private final Path file;

  private SqliteLedgerReader(Path file) {
    this.file = file;
  }

  /** A reader of the ledger in {@code file}; the file need not exist yet (reading then fails as unavailable). */
  public static SqliteLedgerReader of(Path file) {
    return new SqliteLedgerReader(Objects.requireNonNull(file, "file").toAbsolutePath());
  }

  @Override
  public List<UsageTotals> totals(Instant from, Instant to) throws LedgerUnavailableException {
    return query(TOTALS, from, to, UsageTotalsRows::read);
  }

  @Override
  public List<UsageTotals> totalsByEndUser(Instant from, Instant to) throws LedgerUnavailableException {
    return query(TOTALS_BY_END_USER, from, to, UsageTotalsRows::readByEndUser);
  }

  @Override
  public List<PromptCacheTotals> promptCache(Instant from, Instant to) throws LedgerUnavailableException {
    return query(PROMPT_CACHE, from, to, PromptCacheRows::read);
  }

  /** Both queries in one read transaction, so that they count the same committed rows. */
  @Override
  public SafetyTotals safety(Instant from, Instant to, TimeBucket bucket) throws LedgerUnavailableException {
    Objects.requireNonNull(bucket, "bucket");
    return connected(from, to, c -> {
      c.setAutoCommit(false);
      try {
        return SafetyRows.read(c, SAFETY_BUCKETS.get(bucket), SAFETY_END_USERS, ps -> bounds(ps, from, to));
      } finally {
        c.rollback();
      }
    });
  }

  /** The rows in time order; SQLite steps through the result as it is read, so nothing but the current row is held. */
  @Override
  public long requests(Instant from, Instant to, Consumer<RecordedRequest> each) throws LedgerUnavailableException {
    Objects.requireNonNull(each, "each");
    return query(REQUESTS, from, to, ps -> RecordedRequestRows.stream(
        ps, rs -> Instant.ofEpochMilli(rs.getLong(1)), each));
  }

  @FunctionalInterface
  private interface Rows<T> {
    T read(PreparedStatement ps) throws SQLException;
  }

  @FunctionalInterface
  private interface Reading<T> {
    T read(Connection c) throws SQLException;
  }

  /** Runs a period query on a read-only connection of its own, closed before returning. */
  private <T> T query(String sql, Instant from, Instant to, Rows<T> rows) throws LedgerUnavailableException {
    return connected(from, to, c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        bounds(ps, from, to);
        return rows.read(ps);
      }
    });
  }

  private static void bounds(PreparedStatement ps, Instant from, Instant to) throws SQLException {
    ps.setLong(1, from.toEpochMilli());
    ps.setLong(2, to.toEpochMilli());
  }

  /** Reads on a read-only connection of its own, closed before returning. */
  private <T> T connected(Instant from, Instant to, Reading<T> reading) throws LedgerUnavailableException {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (!Files.isRegularFile(file)) {
      throw new LedgerUnavailableException("no SQLite ledger at " + file);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, readOnly())) {
      return reading.read(c);
    } catch (SQLException e) {
      throw new LedgerUnavailableException("cannot read SQLite ledger " + file + ": " + e.getMessage(), e);
    }
  }

  private static Properties readOnly() {
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(5000);
    return config.toProperties();
  }

  @Override
  public String toString() {
    return "SqliteLedgerReader[" + file + "]";
  }
}
