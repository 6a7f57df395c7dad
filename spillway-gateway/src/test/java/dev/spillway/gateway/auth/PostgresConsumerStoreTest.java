package dev.spillway.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.gateway.ledger.PostgresTestSupport;
import dev.spillway.gateway.store.postgres.PostgresConsumerStore;
import dev.spillway.gateway.store.postgres.PostgresStoreDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The consumer-store contract on PostgreSQL (a database of its own, dropped afterwards), and a second replica's view. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresConsumerStoreTest extends ConsumerStoreContractTest {
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

  @Override
  ConsumerStore newStore() {
    try (Connection c = PostgresTestSupport.connect(database); Statement st = c.createStatement()) {
      st.execute("DELETE FROM spillway_store.consumers");
      st.execute("UPDATE spillway_store.versions SET version = version + 1 WHERE name = 'consumers'");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return reopen();
  }

  @Override
  ConsumerStore reopen() {
    return new PostgresConsumerStore(db);
  }

  @Test
  void aSecondReplicasDirectoryCatchesUpOnRefresh() {
    ConsumerDirectory a = new ConsumerDirectory(List.of(), newStore());
    ConsumerDirectory b = new ConsumerDirectory(List.of(), reopen());
    ConsumerConfig added = ConsumerConfig.builder().id("new-app").team("marketing").models(List.of("gpt-*"))
        .priorityClass(PriorityClass.BATCH).build();

    assertThat(a.put(added)).isEmpty();
    assertThat(b.find("new-app")).as("before refresh").isEmpty();
    assertThat(b.refreshIfChanged()).isTrue();
    assertThat(b.find("new-app")).contains(added);
    assertThat(b.refreshIfChanged()).isFalse();

    assertThat(b.remove("new-app")).isEmpty();
    assertThat(a.refreshIfChanged()).isTrue();
    assertThat(a.find("new-app")).isEmpty();
  }
}
