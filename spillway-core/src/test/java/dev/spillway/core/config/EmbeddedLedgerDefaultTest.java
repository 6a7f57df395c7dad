package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config file without {@code ledger:} records usage to SQLite next to it; {@code ledger: off} opts out. */
class EmbeddedLedgerDefaultTest {
  private static final String MODELS = """
      models:
        gpt-4o:
          backends:
            - { id: a, url: "https://a.example", deployment: d, tier: ptu }
      """;

  @TempDir
  Path dir;

  private SpillwayConfig load(String yaml) throws Exception {
    Path file = dir.resolve("spillway.yaml");
    Files.writeString(file, MODELS + yaml);
    return ConfigLoader.load(file);
  }

  @Test
  void aConfigFileWithoutALedgerSectionRecordsToSqliteNextToIt() throws Exception {
    LedgerConfig ledger = load("").ledger();
    assertThat(ledger.sqliteFile()).contains(dir.toAbsolutePath().resolve("spillway-usage.db"));
    assertThat(ledger.postgres()).isEmpty();
    assertThat(ledger.spillDirectory()).isEqualTo(dir.toAbsolutePath().resolve("spillway-data/ledger-spill"));
  }

  @Test
  void ledgerOffTurnsItOff() throws Exception {
    assertThat(load("ledger: off\n").ledger()).isEqualTo(LedgerConfig.OFF);
    assertThat(load("ledger: OFF\n").ledger().sqliteFile()).isEmpty();
  }

  @Test
  void aLedgerSectionIsUsedAsWritten() throws Exception {
    assertThat(load("ledger: { sqlite: data/usage.db }\n").ledger().sqliteFile())
        .contains(dir.toAbsolutePath().resolve("data/usage.db"));
  }

  @Test
  void anotherWordIsAProblemNamingTheKeyAndLine() {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> load("ledger: maybe\n"));
    assertThat(e).isNotNull();
    assertThat(e.problems()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(5);
      assertThat(p.toString()).contains("ledger").contains("must be a mapping or off").contains("maybe");
    });
  }

  @Test
  void configTextWithoutAFileHasNoDefaultLedger() {
    assertThat(ConfigLoader.parse(MODELS, "spillway.yaml", Map.<String, String>of()::get).ledger())
        .isEqualTo(LedgerConfig.OFF);
    assertThat(ConfigLoader.parse(MODELS, "spillway.yaml", name -> null, dir).ledger().sqliteFile())
        .isEqualTo(Optional.empty());
  }
}
