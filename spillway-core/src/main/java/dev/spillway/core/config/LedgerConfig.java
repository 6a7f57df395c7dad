package dev.spillway.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The durable usage ledger: one row per request, for chargeback.
 *
 * @param sqliteFile the embedded ledger's SQLite file; empty = no ledger
 * @param spillDirectory where records wait on disk while the ledger store is unavailable
 * @param queueCapacity records held in memory before they go to the spill file
 */
public record LedgerConfig(Optional<Path> sqliteFile, Path spillDirectory, int queueCapacity) {
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  public static final LedgerConfig OFF = new LedgerConfig(Optional.empty(), Path.of("spillway-data", "ledger-spill"), DEFAULT_QUEUE_CAPACITY);

  public LedgerConfig {
    sqliteFile = sqliteFile == null ? Optional.empty() : sqliteFile;
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1");
    }
  }

  public boolean enabled() {
    return sqliteFile.isPresent();
  }
}
