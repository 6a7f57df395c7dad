package dev.spillway.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The durable usage ledger: one row per request, for chargeback. At most one store is set.
 *
 * @param sqliteFile the embedded ledger's SQLite file
 * @param postgres the PostgreSQL store, for replicas that share one ledger
 * @param spillDirectory where records wait on disk while the ledger store is unavailable
 * @param queueCapacity records held in memory before they go to the spill file
 */
public record LedgerConfig(Optional<Path> sqliteFile, Optional<PostgresLedger> postgres, Path spillDirectory, int queueCapacity) {
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  public static final LedgerConfig OFF =
      new LedgerConfig(Optional.empty(), Optional.empty(), Path.of("spillway-data", "ledger-spill"), DEFAULT_QUEUE_CAPACITY);

  public LedgerConfig {
    sqliteFile = sqliteFile == null ? Optional.empty() : sqliteFile;
    postgres = postgres == null ? Optional.empty() : postgres;
    if (sqliteFile.isPresent() && postgres.isPresent()) {
      throw new IllegalArgumentException("set either sqlite or postgres, not both");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException("queueCapacity must be at least 1");
    }
  }

  public boolean enabled() {
    return sqliteFile.isPresent() || postgres.isPresent();
  }
}
