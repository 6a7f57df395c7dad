package dev.spillway.core.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.gateway.ledger.PostgresTestSupport;
import dev.spillway.gateway.store.postgres.PostgresKeyTable;
import dev.spillway.gateway.store.postgres.PostgresStoreDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The key-store contract for {@link SharedKeyStore} on a {@link PostgresKeyTable}, against a real PostgreSQL (a
 * database of its own, dropped afterwards), and what sharing adds: another instance catches up on refresh, and writes
 * from two instances neither undo each other nor break the rotation rule. Lives in the core package to extend the
 * package-private contract suite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresKeyStoreTest extends KeyStoreContractTest {
  private String database;
  private PostgresStoreDatabase db;

  @BeforeAll
  void createDatabase() throws Exception {
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
    db = PostgresStoreDatabase.open(PostgresTestSupport.ledger(database));
  }

  @AfterAll
  void dropDatabase() throws Exception {
    if (db != null) {
      db.close();
    }
    PostgresTestSupport.dropDatabase(database);
  }

  /** An empty table (rows of earlier tests deleted, as another writer would: the version moves on) and a store on it. */
  @Override
  KeyStore newStore(KeyHasher hasher) {
    try (Connection c = PostgresTestSupport.connect(database); Statement st = c.createStatement()) {
      st.execute("DELETE FROM spillway_store.gateway_keys");
      st.execute("UPDATE spillway_store.versions SET version = version + 1 WHERE name = 'keys'");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return another(hasher);
  }

  private SharedKeyStore another(KeyHasher hasher) {
    return new SharedKeyStore(new PostgresKeyTable(db), hasher);
  }

  @Test
  void anotherInstanceSeesCreatesAndRevokesAfterRefreshOnly() {
    SharedKeyStore a = (SharedKeyStore) store();
    SharedKeyStore b = another(hasher);
    assertThat(b.refreshIfChanged()).isFalse();

    IssuedKey issued = a.create("search-app", T0);
    assertThat(b.authenticate(issued.plaintext())).as("before refresh").isEmpty();
    assertThat(b.refreshIfChanged()).isTrue();
    assertThat(b.authenticate(issued.plaintext())).contains("search-app");
    assertThat(b.listAll()).isEqualTo(a.listAll());
    assertThat(b.refreshIfChanged()).isFalse();

    assertThat(a.revoke(issued.keyId(), T0.plusSeconds(1))).isTrue();
    assertThat(b.authenticate(issued.plaintext())).as("before refresh").contains("search-app");
    assertThat(b.refreshIfChanged()).isTrue();
    assertThat(b.authenticate(issued.plaintext())).isEmpty();
    assertThat(b.list("search-app").getFirst().revokedAt()).contains(T0.plusSeconds(1));
  }

  @Test
  void aWriteStartsFromTheTableNotFromAStaleCopy() {
    SharedKeyStore a = (SharedKeyStore) store();
    SharedKeyStore stale = another(hasher);
    IssuedKey first = a.create("search-app", T0);
    IssuedKey second = a.create("search-app", T0);

    // The stale instance never refreshed, yet its rotation sees both keys: it keeps the newest previous one only.
    IssuedKey third = stale.rotate("search-app", T0.plusSeconds(1));

    assertThat(third.revokedKeyIds()).containsExactly(first.keyId());
    assertThat(stale.authenticate(second.plaintext())).contains("search-app");
    assertThat(a.refreshIfChanged()).isTrue();
    assertThat(a.authenticate(first.plaintext())).isEmpty();
    assertThat(a.authenticate(third.plaintext())).contains("search-app");
    assertThat(a.listAll()).isEqualTo(stale.listAll()).hasSize(3);
  }

  @Test
  void revokeAllOnAStaleInstanceRevokesKeysItHasNotSeen() {
    SharedKeyStore a = (SharedKeyStore) store();
    SharedKeyStore stale = another(hasher);
    IssuedKey unseen = a.create("leaving", T0);

    assertThat(stale.revokeAll("leaving", T0.plusSeconds(1))).containsExactly(unseen.keyId());
    assertThat(a.refreshIfChanged()).isTrue();
    assertThat(a.authenticate(unseen.plaintext())).isEmpty();
  }

  @Test
  void rotationsFromTwoInstancesAtOnceLeaveAtMostTwoActiveKeys() throws Exception {
    SharedKeyStore a = (SharedKeyStore) store();
    SharedKeyStore b = another(hasher);
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<Future<IssuedKey>> rotations = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        SharedKeyStore on = i % 2 == 0 ? a : b;
        rotations.add(pool.submit(() -> on.rotate("busy", T0)));
      }
      for (Future<IssuedKey> f : rotations) {
        f.get();
      }
    }
    a.refreshIfChanged();
    b.refreshIfChanged();
    assertThat(a.list("busy")).hasSize(20);
    assertThat(a.list("busy").stream().filter(KeyRecord::isActive)).hasSize(2);
    assertThat(b.listAll()).isEqualTo(a.listAll());
  }

  @Test
  void theTableHoldsSaltedHashesButNeverTheKeyTheSecretOrThePepper() throws Exception {
    KeyStore store = store();
    IssuedKey issued = store.create("search-app", T0);
    String secret = secretOf(issued.plaintext());

    StringBuilder everything = new StringBuilder();
    try (Connection c = PostgresTestSupport.connect(database);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT key_id, consumer_id, encode(salt, 'hex'), encode(hash, 'hex'),"
            + " created_at::text, coalesce(revoked_at::text, '') FROM spillway_store.gateway_keys")) {
      while (rs.next()) {
        for (int i = 1; i <= 6; i++) {
          everything.append(rs.getString(i)).append('|');
        }
      }
    }
    assertThat(everything.toString())
        .contains(issued.keyId(), "search-app", HexFormat.of().formatHex(issued.record().hash()))
        .doesNotContain(issued.plaintext(), secret, PEPPER,
            HexFormat.of().formatHex(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
            Base64.getUrlEncoder().withoutPadding().encodeToString(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void timesKeepTheirMicrosecondsAcrossAReload() {
    KeyStore store = store();
    IssuedKey issued = store.create("search-app", T0.plusNanos(123_456_789));
    store.revoke(issued.keyId(), T0.plusNanos(987_654_321));

    SharedKeyStore reopened = another(hasher);
    KeyRecord read = reopened.list("search-app").getFirst();
    assertThat(read.createdAt()).isEqualTo(T0.plusNanos(123_456_000)).isEqualTo(issued.record().createdAt());
    assertThat(read.revokedAt()).contains(T0.plusNanos(987_654_000));
    assertThat(reopened.listAll()).isEqualTo(store.listAll());
  }
}
