package dev.spillway.core.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The durable usage ledger: one row per request, for chargeback. At most one store is set.
 *
 * @param sqliteFile the embedded ledger's SQLite file
 * @param postgres the PostgreSQL store, for replicas that share one ledger
 * @param spillDirectory where records wait on disk while the ledger store is unavailable
 * @param queueCapacity records held in memory before they go to the spill file
 * @param writeTimeout longest one write to the store may take before the store counts as down and records spill to
 *     disk (each fsynced before its request's answer ends, until the store has caught up)
 */
public record LedgerConfig(
    Optional<Path> sqliteFile, Optional<PostgresLedger> postgres, Path spillDirectory, int queueCapacity, Duration writeTimeout) {
  public static final int DEFAULT_QUEUE_CAPACITY = 10_000;
  /** A healthy batch insert takes a few milliseconds to a few tens; an outage should spill in about this long. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofMillis(250);
  public static final Duration MIN_WRITE_TIMEOUT = Duration.ofMillis(10);
  public static final Duration MAX_WRITE_TIMEOUT = Duration.ofSeconds(60);
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
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    if (writeTimeout.compareTo(MIN_WRITE_TIMEOUT) < 0 || writeTimeout.compareTo(MAX_WRITE_TIMEOUT) > 0) {
      throw new IllegalArgumentException("writeTimeout must be between 10ms and 60s, got " + writeTimeout);
    }
  }

  /** A ledger with the default {@link #DEFAULT_WRITE_TIMEOUT write timeout}. */
  public LedgerConfig(Optional<Path> sqliteFile, Optional<PostgresLedger> postgres, Path spillDirectory, int queueCapacity) {
    this(sqliteFile, postgres, spillDirectory, queueCapacity, DEFAULT_WRITE_TIMEOUT);
  }

  public boolean enabled() {
    return sqliteFile.isPresent() || postgres.isPresent();
  }
}
