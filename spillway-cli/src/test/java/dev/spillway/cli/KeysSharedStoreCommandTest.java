package dev.spillway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.auth.keys.GatewayKeyFormat;
import dev.spillway.core.auth.keys.KeyHasher;
import dev.spillway.core.auth.keys.SharedKeyStore;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.gateway.ledger.PostgresTestSupport;
import dev.spillway.gateway.store.postgres.PostgresConsumerStore;
import dev.spillway.gateway.store.postgres.PostgresKeyTable;
import dev.spillway.gateway.store.postgres.PostgresStoreDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code spillway keys} on a config whose keys live in the shared PostgreSQL store: the commands write there (no key
 * file appears), and a consumer added through the admin API (so in the database, not the config) can get keys.
 */
class KeysSharedStoreCommandTest {
  private static final String PEPPER = "cli-test-pepper-0123456789";

  @TempDir Path dir;
  private Path config;
  private String database;

  private record Run(int exit, String out, String err) {}

  @BeforeEach
  void writeConfig() throws Exception {
    PostgresTestSupport.requirePostgres();
    database = PostgresTestSupport.createDatabase();
    config = dir.resolve("spillway.yaml");
    Files.writeString(config, """
        models:
          gpt-4o:
            backends:
              - { id: ptu-eastus, url: "https://contoso.openai.azure.com", deployment: gpt-4o-ptu, tier: ptu }
        consumers:
          - { id: search-app, team: retail, models: [gpt-4o] }
        auth:
          keyPepper: %s
          keyStore: data/keys.json
        ledger:
          spillDirectory: "%s"
          postgres: { url: "%s", user: postgres }
        """.formatted(PEPPER, dir.resolve("spill"), PostgresTestSupport.jdbcUrl(database)));
  }

  @AfterEach
  void dropDatabase() throws Exception {
    PostgresTestSupport.dropDatabase(database);
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SpillwayCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void keysGoToTheLedgersDatabaseWhenTheConfigHasNoStoreSection() throws Exception {
    Run created = run("keys", "create", "--config", config.toString(), "--consumer", "search-app");
    assertThat(created.exit()).as(created.err()).isZero();
    String key = created.out().strip();

    assertThat(dir.resolve("data").resolve("keys.json")).doesNotExist();
    try (PostgresStoreDatabase db = PostgresStoreDatabase.open(PostgresTestSupport.ledger(database))) {
      SharedKeyStore store = new SharedKeyStore(new PostgresKeyTable(db), new KeyHasher(PEPPER));
      assertThat(store.authenticate(key)).contains("search-app");

      // A consumer the admin API added lives in the database only; the command accepts it.
      new PostgresConsumerStore(db).put(ConsumerConfig.builder().id("api-app").team("t").models(List.of("gpt-4o")).build());
      Run forApiConsumer = run("keys", "create", "--config", config.toString(), "--consumer", "api-app");
      assertThat(forApiConsumer.exit()).as(forApiConsumer.err()).isZero();
      Run unknown = run("keys", "create", "--config", config.toString(), "--consumer", "nobody");
      assertThat(unknown.exit()).isEqualTo(2);
      assertThat(unknown.err()).contains("nobody", "admin API", "search-app", "api-app");

      String keyId = GatewayKeyFormat.parse(key).orElseThrow().keyId();
      Run revoked = run("keys", "revoke", "--config", config.toString(), "--key-id", keyId);
      assertThat(revoked.exit()).as(revoked.err()).isZero();
      assertThat(store.refreshIfChanged()).isTrue();
      assertThat(store.authenticate(key)).isEmpty();

      Run listed = run("keys", "list", "--config", config.toString());
      assertThat(listed.exit()).as(listed.err()).isZero();
      assertThat(listed.out()).contains(keyId, "search-app", "api-app").doesNotContain(key);
    }
  }
}
