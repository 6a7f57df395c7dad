package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerSink;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL ledger passes the store contract, in a database of its own that is emptied before each test. */
class PostgresLedgerStoreTest extends LedgerStoreContract implements SafetyReaderContract {
  static String database;
  PostgresLedgerSink sink;
  PostgresLedgerReader reader;

  @BeforeAll
  static void createDatabase() throws Exception {
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
  }

  @AfterAll
  static void dropDatabase() throws Exception {
    PostgresTestSupport.dropDatabase(database);
  }

  @BeforeEach
  void open() throws Exception {
    sink = PostgresLedgerSink.open(PostgresTestSupport.ledger(database));
    reader = PostgresLedgerReader.open(PostgresTestSupport.ledger(database));
    reader.totals(T0, T1); // migrates, so that there is a table to empty
    try (Connection c = PostgresTestSupport.connect(database); Statement st = c.createStatement()) {
      st.execute("TRUNCATE usage");
    }
  }

  @AfterEach
  void close() {
    reader.close();
    sink.close();
  }

  @Override
  public LedgerSink sink() {
    return sink;
  }

  @Override
  public LedgerReader reader() {
    return reader;
  }

  @Override
  protected byte[] salt() throws Exception {
    return Ledgers.salt(new dev.spillway.core.config.LedgerConfig(java.util.Optional.empty(),
        java.util.Optional.of(PostgresTestSupport.ledger(database)), java.nio.file.Path.of("unused-spill"), 10));
  }

  @Override
  protected List<String> endUserAndSafety(String requestId) throws Exception {
    try (Connection c = PostgresTestSupport.connect(database);
        java.sql.PreparedStatement ps = c.prepareStatement(
            "SELECT end_user, safety_verdict, safety_category, safety_severity FROM usage WHERE request_id = ?")) {
      ps.setString(1, requestId);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as(requestId).isTrue();
        return List.of(rs.getString(1), rs.getString(2), rs.getString(3), Integer.toString(rs.getInt(4)));
      }
    }
  }

  @Override
  protected void insertWithoutSeverity(String requestId, java.time.Instant time, String verdict, String category)
      throws Exception {
    try (java.sql.Connection c = PostgresTestSupport.connect(database);
        java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO usage (request_id, time, consumer,"
            + " status, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, usage_estimated,"
            + " latency_ms, cache_status, attempts, spilled, end_user, safety_verdict, safety_category)"
            + " VALUES (?, ?, 'alice', 400, 1, 0, 0, 0, false, 5, 'none', 0, false, '', ?, ?)")) {
      ps.setString(1, requestId);
      ps.setObject(2, java.time.OffsetDateTime.ofInstant(time, java.time.ZoneOffset.UTC));
      ps.setString(3, verdict);
      ps.setString(4, category);
      ps.executeUpdate();
    }
  }

  @Test
  void readersOpenedPerReportShareTheSinksPoolAndClosingThemLeavesTheSinkWorking() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (PostgresLedgerReader perReport = PostgresLedgerReader.open(PostgresTestSupport.ledger(database))) {
        assertThat(perReport.totals(T0, T1)).isEmpty();
      }
      PostgresLedgerReader closedTwice = PostgresLedgerReader.open(PostgresTestSupport.ledger(database));
      closedTwice.close();
      closedTwice.close();
    }
    sink.write(List.of(success("after-reports", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 1, 0, 0)));
    assertThat(reader.totals(T0, T1)).hasSize(1);

    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()"
            + " AND application_name = 'spillway-ledger'"))
        .isBetween(1L, (long) PostgresTestSupport.ledger(database).poolSize());
  }

  @Test
  void storesEveryColumnWithItsPostgresType() throws Exception {
    sink.write(List.of(stream("s1", T0.plusMillis(123), 70, 30, 45), estimated("e1", T0, 11, 7)));
    try (Connection c = PostgresTestSupport.connect(database);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT request_id, time, ttft_ms, usage_estimated, spilled, attempts, region,"
            + " cache_status FROM usage ORDER BY request_id")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("e1");
      assertThat(rs.getObject(2, java.time.OffsetDateTime.class).toInstant()).isEqualTo(T0);
      assertThat(rs.getObject(3)).isNull();
      assertThat(rs.getBoolean(4)).isTrue();
      assertThat(rs.getBoolean(5)).isFalse();
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("s1");
      assertThat(rs.getObject(2, java.time.OffsetDateTime.class).toInstant()).isEqualTo(T0.plusMillis(123));
      assertThat(rs.getLong(3)).isEqualTo(45);
      assertThat(rs.getBoolean(4)).isFalse();
      assertThat(rs.getBoolean(5)).isTrue();
      assertThat(rs.getInt(6)).isEqualTo(2);
      assertThat(rs.getString(7)).isEqualTo("westus");
      assertThat(rs.getString(8)).isEqualTo("none");
    }
  }

  @Test
  void aFailedBatchIsReportedWithoutItsStatementOrValues() throws Exception {
    try (Connection c = PostgresTestSupport.connect(database); Statement st = c.createStatement()) {
      st.execute("ALTER TABLE usage RENAME TO usage_elsewhere");
    }
    try {
      Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() -> sink.write(List.of(
          success("leak-1", T0, "consumer-leak", "team-leak", "gpt-4o", "ptu-1", "ptu", 1, 1, 0, 0))));

      assertThat(failure).isInstanceOf(dev.spillway.core.ledger.LedgerUnavailableException.class).hasNoCause();
      assertThat(failure.getMessage())
          .contains("write failed: SQLState 42P01")
          .doesNotContain("INSERT", "consumer-leak", "team-leak", "10.0.0.1", "leak-1");
    } finally {
      try (Connection c = PostgresTestSupport.connect(database); Statement st = c.createStatement()) {
        st.execute("ALTER TABLE usage_elsewhere RENAME TO usage");
      }
    }
  }
}
