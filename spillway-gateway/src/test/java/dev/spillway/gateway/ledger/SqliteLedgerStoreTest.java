package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerSink;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.ledger.UsageRecord;
import dev.spillway.core.ledger.UsageTotals;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite ledger passes the store contract, and can be read while a gateway writes it. */
class SqliteLedgerStoreTest extends LedgerStoreContract implements SafetyReaderContract {
  @TempDir
  Path dir;
  SqliteLedgerSink sink;
  SqliteLedgerReader reader;

  @BeforeEach
  void open() throws Exception {
    sink = SqliteLedgerSink.open(dir.resolve("usage.db"));
    reader = SqliteLedgerReader.of(dir.resolve("usage.db"));
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
    return Ledgers.salt(new dev.spillway.core.config.LedgerConfig(java.util.Optional.of(dir.resolve("usage.db")),
        java.util.Optional.empty(), dir.resolve("spill"), 10));
  }

  @Override
  protected List<String> endUserAndSafety(String requestId) throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("usage.db"));
        java.sql.PreparedStatement ps = c.prepareStatement(
            "SELECT end_user, safety_verdict, safety_category, safety_severity FROM usage WHERE request_id = ?")) {
      ps.setString(1, requestId);
      try (java.sql.ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as(requestId).isTrue();
        return List.of(rs.getString(1), rs.getString(2), rs.getString(3), Integer.toString(rs.getInt(4)));
      }
    }
  }

  @Override
  protected void insertWithoutSeverity(String requestId, java.time.Instant time, String verdict, String category)
      throws Exception {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("usage.db"));
        java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO usage (request_id, time_ms, time_iso, consumer,"
            + " status, prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, usage_estimated,"
            + " latency_ms, cache_status, attempts, spilled, end_user, safety_verdict, safety_category)"
            + " VALUES (?, ?, ?, 'alice', 400, 1, 0, 0, 0, 0, 5, 'none', 0, 0, '', ?, ?)")) {
      ps.setString(1, requestId);
      ps.setLong(2, time.toEpochMilli());
      ps.setString(3, time.toString());
      ps.setString(4, verdict);
      ps.setString(5, category);
      ps.executeUpdate();
    }
  }

  @Test
  void readsTheBatchesTheWriterCommitsWhileItKeepsItsConnectionOpen() throws Exception {
    sink.write(List.of(success("a", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 1, 0, 0)));
    assertThat(reader.totals(T0, T1)).extracting(UsageTotals::requests).containsExactly(1L);

    sink.write(List.of(success("b", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 1, 0, 0)));
    assertThat(reader.totals(T0, T1)).extracting(UsageTotals::requests).containsExactly(2L);

    sink.write(List.of(success("c", T0, "alice", "team-a", "gpt-4o", "ptu-1", "ptu", 1, 1, 0, 0)));
    assertThat(reader.totals(T0, T1)).extracting(UsageTotals::requests).containsExactly(3L);
  }

  @Test
  void readingALedgerFileThatDoesNotExistIsUnavailableAndCreatesNothing() {
    Path missing = dir.resolve("nowhere").resolve("usage.db");
    assertThatThrownBy(() -> SqliteLedgerReader.of(missing).totals(T0, T1))
        .isInstanceOf(LedgerUnavailableException.class)
        .hasMessageContaining(missing.toString());
    assertThat(missing.getParent()).doesNotExist();
  }

  @Test
  void aVersionOneLedgerGainsTheLaterColumnsAndKeepsItsRows() throws Exception {
    Path old = dir.resolve("v1.db");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old);
        java.sql.Statement st = c.createStatement()) {
      st.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
      st.execute("INSERT INTO schema_version (version) VALUES (1)");
      st.execute("CREATE TABLE usage (request_id TEXT PRIMARY KEY, time_ms INTEGER NOT NULL, time_iso TEXT NOT NULL,"
          + " consumer TEXT, team TEXT, client_ip TEXT, route TEXT, model TEXT, backend TEXT, tier TEXT, region TEXT,"
          + " status INTEGER NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,"
          + " cached_tokens INTEGER NOT NULL, reasoning_tokens INTEGER NOT NULL, usage_estimated INTEGER NOT NULL,"
          + " latency_ms INTEGER NOT NULL, ttft_ms INTEGER, cache_status TEXT NOT NULL, attempts INTEGER NOT NULL,"
          + " spilled INTEGER NOT NULL)");
      st.execute("INSERT INTO usage VALUES ('before', 0, '1970-01-01T00:00:00Z', 'a', 't', '', '', 'gpt-4o', 'payg-1',"
          + " 'payg', '', 200, 1, 1, 0, 0, 0, 1, NULL, 'none', 1, 1)");
    }
    UsageRecord byAzure = success("after", T0, "alice", "team-a", "gpt-4o", "ptu-1", "payg", 1, 1, 0, 0);
    byAzure = byAzure.toBuilder().spilled(true).spilledBy(UsageRecord.SPILLED_BY_AZURE)
        .interruptedBy(UsageRecord.INTERRUPTED_BY_BACKEND)
        .units(java.util.Optional.of(dev.spillway.core.usage.BillingUnits.audioSeconds(2.5, true))).build();
    try (SqliteLedgerSink migrated = SqliteLedgerSink.open(old)) {
      migrated.write(List.of(byAzure));
    }
    // The old row reads as tokens only, the new one with its seconds.
    assertThat(SqliteLedgerReader.of(old).totals(java.time.Instant.EPOCH, T1))
        .extracting(UsageTotals::backend, UsageTotals::audioSeconds)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("payg-1", 0.0),
            org.assertj.core.groups.Tuple.tuple("ptu-1", 2.5));
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old);
        java.sql.Statement st = c.createStatement()) {
      java.sql.ResultSet rs = st.executeQuery("SELECT version FROM schema_version");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(7);
      rs = st.executeQuery("SELECT request_id, spilled_by, interrupted_by, unit, units, units_estimated FROM usage"
          + " ORDER BY request_id");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("after");
      assertThat(rs.getString(2)).isEqualTo("azure");
      assertThat(rs.getString(3)).isEqualTo("backend");
      assertThat(rs.getString(4)).isEqualTo("audio_seconds");
      assertThat(rs.getDouble(5)).isEqualTo(2.5);
      assertThat(rs.getBoolean(6)).isTrue();
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("before");
      assertThat(rs.getString(2)).isNull();
      assertThat(rs.getString(3)).isNull();
      assertThat(rs.getString(4)).isNull();
      assertThat(rs.getObject(5)).isNull();
      assertThat(rs.getBoolean(6)).isFalse();
      rs = st.executeQuery("SELECT saved_prompt_tokens, saved_completion_tokens, prompt_prefix_hash FROM usage"
          + " WHERE request_id = 'before'");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getLong(1)).isZero();
      assertThat(rs.getLong(2)).isZero();
      assertThat(rs.getObject(3)).isNull();
      rs = st.executeQuery("SELECT end_user, safety_verdict, safety_category, safety_severity FROM usage"
          + " WHERE request_id = 'before'");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEmpty();
      assertThat(rs.getString(2)).isEqualTo("none");
      assertThat(rs.getString(3)).isEmpty();
      assertThat(rs.getObject(4)).isEqualTo(0);
      rs = st.executeQuery("SELECT COUNT(*), length(salt) FROM ledger_key");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getInt(2)).isEqualTo(32);
    }
  }
}
