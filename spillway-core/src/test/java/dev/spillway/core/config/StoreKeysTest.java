package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code store:}, where consumers added through the admin API and gateway keys live, and its default from the ledger. */
class StoreKeysTest {
  private static final String MODELS = """
      models:
        gpt-4o:
          backends:
            - id: a
              url: https://a.example
              deployment: d
              tier: ptu
      """;
  private static final String LEDGER_POSTGRES = """
      ledger:
        postgres: { url: "jdbc:postgresql://127.0.0.1:5432/ledger", user: gateway }
      """;
  private static final PostgresLedger LEDGER_DB =
      new PostgresLedger("jdbc:postgresql://127.0.0.1:5432/ledger", "gateway", Optional.empty(), PostgresLedger.DEFAULT_POOL_SIZE);

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "spillway.yaml", Map.of("STOREPASS", "s3cret-store-password")::get);
  }

  private static List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void filesByDefault() {
    assertThat(parse("").store()).isEqualTo(StoreConfig.FILES);
    assertThat(parse("").store().shared()).isFalse();
  }

  @Test
  void aLedgerInPostgresBringsTheStoreThereUnlessStoreFileSaysOtherwise() {
    assertThat(parse(LEDGER_POSTGRES).store()).isEqualTo(StoreConfig.postgres(LEDGER_DB));
    assertThat(parse(LEDGER_POSTGRES + "store: postgres\n").store()).isEqualTo(StoreConfig.postgres(LEDGER_DB));
    assertThat(parse(LEDGER_POSTGRES + "store: file\n").store()).isEqualTo(StoreConfig.FILES);
  }

  @Test
  void aDatabaseOfItsOwnIsReadLikeTheLedgersAndItsPasswordNeverPrinted() {
    StoreConfig store = parse(LEDGER_POSTGRES + """
        store:
          postgres:
            url: jdbc:postgresql://db.internal:5432/shared
            user: spillway
            password: ${STOREPASS}
            poolSize: 2
        """).store();
    assertThat(store.postgres()).contains(
        new PostgresLedger("jdbc:postgresql://db.internal:5432/shared", "spillway", Optional.of("s3cret-store-password"), 2));
    assertThat(store.toString()).doesNotContain("s3cret-store-password");
  }

  @Test
  void mistakesNameTheKeyAndLine() {
    assertThat(problems("store: postgres\n")).singleElement().asString()
        .contains("spillway.yaml:8:", "store", "ledger.postgres is not set");
    assertThat(problems("store: redis\n")).singleElement().asString()
        .contains("spillway.yaml:8:", "store", "must be file, postgres or a mapping");
    assertThat(problems("store: {postgre: {url: 'jdbc:postgresql://h/db'}}\n")).anySatisfy(p ->
        assertThat(p).contains("store.postgre", "did you mean postgres"));
    assertThat(problems("store:\n  postgres:\n    url: jdbc:postgresql://u:pw@h/db\n")).singleElement().asString()
        .contains("spillway.yaml:10:", "store.postgres.url", "put it in store.postgres.password").doesNotContain(":pw");
  }
}
