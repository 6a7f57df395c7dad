package dev.spillway.gateway.ledger;

import dev.spillway.core.config.LedgerConfig;
import dev.spillway.core.ledger.LedgerReader;
import dev.spillway.core.ledger.LedgerSink;
import dev.spillway.core.ledger.LedgerUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import org.sqlite.SQLiteConfig;

/**
 * The usage ledger the config asks for: the embedded SQLite one, the shared PostgreSQL one, or none. The writer
 * is what the gateway records requests into; readers are for the chargeback report and {@code /admin/usage}.
 */
public final class Ledgers {
  private Ledgers() {}

  /**
   * Starts the ledger writer over the configured store, or empty when the ledger is off. The SQLite file is opened
   * now (an unusable file fails the start); PostgreSQL is contacted only by the first write, so a database that is
   * down at start only means spilling until it is back.
   */
  public static Optional<LedgerWriter> open(LedgerConfig config) {
    if (!config.enabled()) {
      return Optional.empty();
    }
    String store = describe(config);
    LedgerSink sink;
    try {
      sink = config.postgres().isPresent()
          ? PostgresLedgerSink.open(config.postgres().get(), config.writeTimeout())
          : SqliteLedgerSink.open(config.sqliteFile().orElseThrow(), config.writeTimeout());
    } catch (LedgerUnavailableException e) {
      throw new IllegalStateException("cannot open the usage ledger " + store + ": " + e.getMessage(), e);
    }
    try {
      LedgerWriterOptions options = LedgerWriterOptions.builder()
          .spillDir(config.spillDirectory())
          .queueCapacity(config.queueCapacity())
          .writeTimeout(config.writeTimeout())
          .build();
      return Optional.of(new LedgerWriter(sink, options));
    } catch (IOException e) {
      sink.close();
      throw new UncheckedIOException("cannot open the usage ledger " + store, e);
    }
  }

  /**
   * A reader of the configured store, or empty when the ledger is off. Contacts nothing yet: an unavailable store
   * shows when reading ({@link LedgerUnavailableException}). The caller closes it.
   */
  public static Optional<LedgerReader> openReader(LedgerConfig config) {
    if (config.postgres().isPresent()) {
      return Optional.of(PostgresLedgerReader.open(config.postgres().get()));
    }
    return config.sqliteFile().map(SqliteLedgerReader::of);
  }

  /**
   * The configured ledger's salt for prompt prefix hashes ({@link LedgerSalt}), made first on a PostgreSQL ledger that
   * has none (the SQLite sink made its own when it opened the file). Blocking: call off the event loop.
   *
   * @throws LedgerUnavailableException when the store cannot be read, or the ledger is off
   */
  public static byte[] salt(LedgerConfig config) throws LedgerUnavailableException {
    try {
      if (config.postgres().isPresent()) {
        try (PostgresLedgerDatabase db = PostgresLedgerDatabase.acquire(config.postgres().get());
            Connection c = db.connection()) {
          return LedgerSalt.readOrCreate(c);
        }
      }
      Path file = config.sqliteFile()
          .orElseThrow(() -> new LedgerUnavailableException("the ledger is off"));
      SQLiteConfig readOnly = new SQLiteConfig();
      readOnly.setReadOnly(true);
      readOnly.setBusyTimeout(5000);
      try (Connection c = DriverManager.getConnection(
          "jdbc:sqlite:" + file.toAbsolutePath(), readOnly.toProperties())) {
        return LedgerSalt.read(c);
      }
    } catch (SQLException e) {
      throw new LedgerUnavailableException("cannot read the ledger's salt from " + describe(config), e);
    }
  }

  /** The store for messages: the SQLite file, or the PostgreSQL URL and user (never the password). */
  private static String describe(LedgerConfig config) {
    return config.postgres()
        .map(p -> p.jdbcUrl() + " as " + p.user())
        .orElseGet(() -> config.sqliteFile().map(Object::toString).orElse("(none)"));
  }
}
