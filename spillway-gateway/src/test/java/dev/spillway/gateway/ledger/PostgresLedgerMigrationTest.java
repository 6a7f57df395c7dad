package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.PostgresLedger;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.ledger.UsageRecord;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The PostgreSQL ledger's schema: versioned by Flyway, applied once, and only when the server is reachable. */
class PostgresLedgerMigrationTest {
  static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
  String database;

  @BeforeEach
  void createDatabase() throws Exception {
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
  }

  @AfterEach
  void dropDatabase() throws Exception {
    PostgresTestSupport.dropDatabase(database);
  }

  @Test
  void applyingTheMigrationsTwiceChangesNothingTheSecondTime() throws Exception {
    try (PostgresLedgerDatabase db = PostgresLedgerDatabase.acquire(PostgresTestSupport.ledger(database))) {
      MigrateResult first = db.flyway().migrate();
      MigrateResult second = db.flyway().migrate();

      assertThat(first.migrationsExecuted).isEqualTo(7);
      assertThat(first.targetSchemaVersion).isEqualTo("7");
      assertThat(second.migrationsExecuted).isZero();
      assertThat(PostgresTestSupport.queryLong(database, "SELECT COUNT(*) FROM ledger_schema_history")).isEqualTo(7);
    }
  }

  @Test
  void theFirstWriteCreatesTheSchemaAndRecordsItsVersion() throws Exception {
    try (PostgresLedgerSink sink = PostgresLedgerSink.open(PostgresTestSupport.ledger(database))) {
      assertThat(PostgresTestSupport.queryLong(database,
          "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'usage'")).isZero();

      sink.write(List.of(record("a")));
      sink.write(List.of(record("b")));
    }
    try (PostgresLedgerSink again = PostgresLedgerSink.open(PostgresTestSupport.ledger(database))) {
      again.write(List.of(record("c")));
    }

    List<String> history = new ArrayList<>();
    try (Connection c = PostgresTestSupport.connect(database);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT version, description, success FROM ledger_schema_history ORDER BY installed_rank")) {
      while (rs.next()) {
        history.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getBoolean(3));
      }
    }
    assertThat(history).containsExactly("1|usage|true", "2|spilled by|true", "3|interrupted by|true", "4|units|true",
        "5|cache|true", "6|end user safety|true", "7|safety severity|true");
    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM usage WHERE end_user = '' AND safety_verdict = 'none' AND safety_category = ''"
            + " AND safety_severity = 0"))
        .isEqualTo(3);
    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM usage WHERE saved_prompt_tokens = 0 AND saved_completion_tokens = 0"
            + " AND prompt_prefix_hash IS NULL")).isEqualTo(3);
    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'usage'"
            + " AND column_name IN ('unit', 'units', 'units_estimated')")).isEqualTo(3);
    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM usage WHERE unit IS NULL AND units IS NULL AND NOT units_estimated")).isEqualTo(3);
    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'usage' AND column_name = 'interrupted_by'"))
        .isEqualTo(1);
    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'usage' AND column_name = 'spilled_by'"))
        .isEqualTo(1);
    assertThat(PostgresTestSupport.queryLong(database, "SELECT COUNT(*) FROM usage")).isEqualTo(3);
    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM pg_indexes WHERE tablename = 'usage' AND indexdef LIKE '%(\"time\")%'")).isEqualTo(1);
  }

  @Test
  void aVersionFiveLedgerKeepsItsRowsWhichNameNoEndUserAndHaveNoVerdict() throws Exception {
    try (PostgresLedgerDatabase db = PostgresLedgerDatabase.acquire(PostgresTestSupport.ledger(database))) {
      org.flywaydb.core.Flyway upToFive = org.flywaydb.core.Flyway.configure(getClass().getClassLoader())
          .configuration(db.flyway().getConfiguration()).target("5").load();
      assertThat(upToFive.migrate().targetSchemaVersion).isEqualTo("5");
    }
    try (Connection c = PostgresTestSupport.connect(database); Statement st = c.createStatement()) {
      st.execute("INSERT INTO usage (request_id, time, consumer, status, prompt_tokens, completion_tokens,"
          + " cached_tokens, reasoning_tokens, usage_estimated, latency_ms, cache_status, attempts, spilled)"
          + " VALUES ('v5-row', now(), 'alice', 200, 1, 1, 0, 0, false, 5, 'none', 1, false)");
    }
    try (PostgresLedgerSink sink = PostgresLedgerSink.open(PostgresTestSupport.ledger(database))) {
      sink.write(List.of(record("v6-row").toBuilder()
          .endUser(dev.spillway.core.ledger.EndUser.of("user-1"))
          .safety(dev.spillway.core.ledger.SafetyVerdict.of(dev.spillway.core.guard.GuardAction.LOG, "regex", 0))
          .build()));
    }

    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM usage WHERE request_id = 'v5-row' AND end_user = '' AND safety_verdict = 'none'"
            + " AND safety_category = ''")).isEqualTo(1);
    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT COUNT(*) FROM usage WHERE request_id = 'v6-row' AND end_user = 'user-1' AND safety_verdict = 'logged'"
            + " AND safety_category = 'regex'")).isEqualTo(1);
    assertThat(PostgresTestSupport.queryLong(database, "SELECT MAX(version::int) FROM ledger_schema_history"))
        .isEqualTo(7);
  }

  @Test
  void aVersionSixLedgerKeepsItsVerdictsAtSeverityZeroAndRefusesASeverityOutOfRange() throws Exception {
    try (PostgresLedgerDatabase db = PostgresLedgerDatabase.acquire(PostgresTestSupport.ledger(database))) {
      org.flywaydb.core.Flyway upToSix = org.flywaydb.core.Flyway.configure(getClass().getClassLoader())
          .configuration(db.flyway().getConfiguration()).target("6").load();
      assertThat(upToSix.migrate().targetSchemaVersion).isEqualTo("6");
    }
    try (Connection c = PostgresTestSupport.connect(database); Statement st = c.createStatement()) {
      st.execute("INSERT INTO usage (request_id, time, consumer, status, prompt_tokens, completion_tokens,"
          + " cached_tokens, reasoning_tokens, usage_estimated, latency_ms, cache_status, attempts, spilled, end_user,"
          + " safety_verdict, safety_category) VALUES ('v6-row', now(), 'alice', 400, 1, 0, 0, 0, false, 5, 'none',"
          + " 0, false, 'user-1', 'blocked', 'violence')");
    }
    try (PostgresLedgerSink sink = PostgresLedgerSink.open(PostgresTestSupport.ledger(database))) {
      sink.write(List.of(record("v7-row").toBuilder()
          .safety(dev.spillway.core.ledger.SafetyVerdict.of(dev.spillway.core.guard.GuardAction.BLOCK, "violence", 6))
          .build()));
    }

    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT safety_severity FROM usage WHERE request_id = 'v6-row' AND safety_verdict = 'blocked'")).isZero();
    assertThat(PostgresTestSupport.queryLong(database,
        "SELECT safety_severity FROM usage WHERE request_id = 'v7-row' AND safety_verdict = 'blocked'"))
        .isEqualTo(6);
    assertThat(PostgresTestSupport.queryLong(database, "SELECT MAX(version::int) FROM ledger_schema_history"))
        .isEqualTo(7);
    try (Connection c = PostgresTestSupport.connect(database); Statement st = c.createStatement()) {
      assertThatThrownBy(() -> st.execute("UPDATE usage SET safety_severity = 8 WHERE request_id = 'v7-row'"))
          .isInstanceOf(java.sql.SQLException.class).hasMessageContaining("usage_safety_severity_range");
    }
  }

  @Test
  void opensWithoutAServerAndRefusesWritesQuicklyWithoutShowingThePassword() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    String secret = "not-for-logs-" + System.nanoTime();
    PostgresLedger config = new PostgresLedger(
        PostgresTestSupport.jdbcUrl("127.0.0.1", closedPort, "spillway"), "spillway", Optional.of(secret), 2);

    try (PostgresLedgerSink sink = PostgresLedgerSink.open(config);
        PostgresLedgerReader reader = PostgresLedgerReader.open(config)) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> sink.write(List.of(record("a"))))
          .isInstanceOf(LedgerUnavailableException.class)
          .satisfies(e -> assertThat(chain(e)).doesNotContain(secret).contains(String.valueOf(closedPort)));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(PostgresLedgerDatabase.CONNECT_TIMEOUT.multipliedBy(3));
      assertThatThrownBy(() -> reader.totals(T0, T0.plusSeconds(1)))
          .isInstanceOf(LedgerUnavailableException.class)
          .satisfies(e -> assertThat(chain(e)).doesNotContain(secret));
      assertThat(sink.toString() + reader + config).doesNotContain(secret);
    }
  }

  /** Every message and toString along the cause chain. */
  private static String chain(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
    }
    return sb.toString();
  }

  private static UsageRecord record(String id) {
    return UsageRecord.builder(id, T0).consumer("alice").team("team-a").clientIp("10.0.0.1").route("chat")
        .model("gpt-4o").backend("ptu-1").tier("ptu").region("eastus").status(200).tokens(1, 1, 0, 0).latencyMillis(10)
        .attempts(1).build();
  }
}
