package dev.spillway.gateway.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spillway.core.config.PostgresLedger;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL database that holds shared consumers and gateway keys ({@code store.postgres}, or the ledger's
 * database): a small HikariCP pool and the tables, which live in their own schema {@value #SCHEMA} with their own
 * Flyway history table, so they share a database with the ledger (whose tables are in the default schema) without
 * either migration seeing the other's tables. The migration runs when the database is opened: a gateway whose shared
 * store is unreachable does not start (it could authenticate nobody).
 *
 * <p>The role needs {@code CREATE} on the database the first time (to create the schema). The password goes to the
 * driver only. Thread-safe; every method blocks.
 */
public final class PostgresStoreDatabase implements AutoCloseable {
  /** The schema of the store's tables and of its migration history. */
  public static final String SCHEMA = "spillway_store";
  static final String MIGRATIONS = "classpath:db/store/postgres";
  static final String HISTORY_TABLE = "store_schema_history";
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

  private final PostgresLedger config;
  private final HikariDataSource pool;

  private PostgresStoreDatabase(PostgresLedger config, HikariDataSource pool) {
    this.config = config;
    this.pool = pool;
  }

  /**
   * Migrates the schema and opens the pool.
   *
   * @throws IllegalStateException when the database cannot be reached or migrated (the message names URL and user)
   */
  public static PostgresStoreDatabase open(PostgresLedger config) {
    Objects.requireNonNull(config, "config");
    try {
      flyway(config).migrate();
    } catch (FlywayException e) {
      throw new IllegalStateException("cannot open the shared store in PostgreSQL " + describe(config) + ": "
          + e.getMessage(), e);
    }
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("spillway-store");
    hikari.setDriverClassName("org.postgresql.Driver");
    hikari.setJdbcUrl(config.jdbcUrl());
    hikari.setUsername(config.user());
    config.password().ifPresent(hikari::setPassword);
    // The refresh poll holds one connection for a moment every period; admin writes take another.
    hikari.setMaximumPoolSize(Math.min(config.poolSize(), 2));
    hikari.setMinimumIdle(0);
    hikari.setInitializationFailTimeout(-1);
    hikari.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
    hikari.addDataSourceProperty("connectTimeout", String.valueOf(LOGIN_TIMEOUT.toSeconds()));
    hikari.addDataSourceProperty("loginTimeout", String.valueOf(LOGIN_TIMEOUT.toSeconds()));
    hikari.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
    hikari.addDataSourceProperty("tcpKeepAlive", "true");
    hikari.addDataSourceProperty("ApplicationName", "spillway-store");
    return new PostgresStoreDatabase(config, new HikariDataSource(hikari));
  }

  private static Flyway flyway(PostgresLedger config) {
    PGSimpleDataSource direct = new PGSimpleDataSource();
    direct.setURL(config.jdbcUrl());
    direct.setUser(config.user());
    config.password().ifPresent(direct::setPassword);
    direct.setConnectTimeout((int) LOGIN_TIMEOUT.toSeconds());
    direct.setLoginTimeout((int) LOGIN_TIMEOUT.toSeconds());
    direct.setSocketTimeout((int) SOCKET_TIMEOUT.toSeconds());
    direct.setApplicationName("spillway-store-migration");
    return Flyway.configure(PostgresStoreDatabase.class.getClassLoader())
        .dataSource(direct)
        .schemas(SCHEMA)
        .locations(MIGRATIONS)
        .table(HISTORY_TABLE)
        .failOnMissingLocations(true)
        .load();
  }

  /** A pooled connection; close it to give it back. */
  Connection connection() throws SQLException {
    return pool.getConnection();
  }

  /** URL and user, never the password. */
  String describe() {
    return describe(config);
  }

  private static String describe(PostgresLedger config) {
    return config.jdbcUrl() + " as " + config.user();
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "PostgresStoreDatabase[" + describe() + "]";
  }
}
