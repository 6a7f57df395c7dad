package dev.spillway.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerSink;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.ledger.UsageTotals;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite ledger passes the store contract, and can be read while a gateway writes it. */
class SqliteLedgerStoreTest extends LedgerStoreContract {
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
  protected LedgerSink sink() {
    return sink;
  }

  @Override
  protected LedgerReader reader() {
    return reader;
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
}
