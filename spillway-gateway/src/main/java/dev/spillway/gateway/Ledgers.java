package dev.spillway.gateway;

import dev.spillway.core.config.LedgerConfig;
import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.gateway.ledger.LedgerWriter;
import dev.spillway.gateway.ledger.SqliteLedgerSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The usage ledger the config asks for: the embedded SQLite one, or none. */
final class Ledgers {
  private Ledgers() {}

  static Optional<LedgerWriter> open(LedgerConfig config) {
    if (!config.enabled()) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new LedgerWriter(
              SqliteLedgerSink.open(config.sqliteFile().orElseThrow()),
              LedgerWriter.Options.defaults(config.spillDirectory()).withQueueCapacity(config.queueCapacity())));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the usage ledger " + config.sqliteFile().orElseThrow(), e);
    } catch (LedgerUnavailableException e) {
      throw new IllegalStateException("cannot open the usage ledger " + config.sqliteFile().orElseThrow() + ": " + e.getMessage(), e);
    }
  }
}
