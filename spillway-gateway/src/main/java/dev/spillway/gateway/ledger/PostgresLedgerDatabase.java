package dev.spillway.gateway.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.spillway.core.config.PostgresLedger;
import dev.spillway.core.ledger.LedgerUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The PostgreSQL ledger database as the sink and the readers see it: one HikariCP pool of {@code poolSize}
 * connections per configured database, shared by every sink and reader open in the process (the writer uses one
 * connection, reports the others), and the schema, migrated by Flyway from {@value #MIGRATIONS} before the first
 * connection is handed out. The pool closes when the last sink or reader using it is closed, so a reader opened per
 * report costs a connection, not a pool and a migration.
 *
 * <p>Nothing is contacted when the pool is created, so a gateway starts while PostgreSQL is down: until the server
 * answers (and the migration succeeded), {@link #connection()} throws {@link LedgerUnavailableException} after at most
 * {@link #CONNECT_TIMEOUT}, and the ledger writer spills. The ledger writer does not wait that long (it gives up on a
 * write after {@code ledger.writeTimeout}, see {@code TimedSink}); these timeouts bound how long an abandoned write
 * holds its thread, so the next attempt can follow soon after the server is back: a connection is waited for
 * {@link #CONNECT_TIMEOUT}, a TCP connect and the login each {@link #LOGIN_TIMEOUT}. The password goes to the driver
 * only; it is in no message and no {@code toString}. Thread-safe.
 */
final class PostgresLedgerDatabase implements AutoCloseable {
  static final String MIGRATIONS = "classpath:db/ledger/postgres";
  /** Flyway's record of applied migrations, named so it cannot collide with another application's in the database. */
  static final String HISTORY_TABLE = "ledger_schema_history";
  /** How long a caller waits for a pooled connection before the ledger counts as unavailable. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
  /** TCP connect and login (startup, authentication) of a new connection, each; whole seconds for the driver. */
  static final Duration LOGIN_TIMEOUT = Duration.ofSeconds(2);
  /** Checking that an idle pooled connection still works before handing it out. */
  private static final Duration VALIDATION_TIMEOUT = Duration.ofMillis(500);
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);

  /** The open databases by config; guarded by the class. */
  private static final Map<PostgresLedger, PostgresLedgerDatabase> OPEN = new HashMap<>();

  private final PostgresLedger config;
  private final HikariDataSource pool;
  private volatile boolean migrated;
  private int holders; // guarded by the class

  private PostgresLedgerDatabase(PostgresLedger config, HikariDataSource pool) {
    this.config = config;
    this.pool = pool;
  }

  /**
   * The database for {@code config}, creating its pool (without connecting) if no sink or reader holds it yet. Each
   * call must be matched by one {@link #release()}.
   */
  static PostgresLedgerDatabase acquire(PostgresLedger config) {
    Objects.requireNonNull(config, "config");
    synchronized (PostgresLedgerDatabase.class) {
      PostgresLedgerDatabase db = OPEN.computeIfAbsent(config, PostgresLedgerDatabase::create);
      db.holders++;
      return db;
    }
  }

  /** Gives back one {@link #acquire}; the last one closes the pool. */
  void release() {
    synchronized (PostgresLedgerDatabase.class) {
      if (--holders == 0) {
        OPEN.remove(config, this);
        pool.close();
      }
    }
  }

  private static PostgresLedgerDatabase create(PostgresLedger config) {
    PoolLogNoise.quiet();
    HikariConfig hikari = new HikariConfig();
    hikari.setPoolName("spillway-ledger");
    hikari.setDriverClassName("org.postgresql.Driver");
    hikari.setJdbcUrl(config.jdbcUrl());
    hikari.setUsername(config.user());
    config.password().ifPresent(hikari::setPassword);
    hikari.setMaximumPoolSize(config.poolSize());
    hikari.setMinimumIdle(0); // no background connection attempts while PostgreSQL is down
    hikari.setInitializationFailTimeout(-1); // do not connect at construction
    hikari.setConnectionTimeout(CONNECT_TIMEOUT.toMillis());
    hikari.setValidationTimeout(VALIDATION_TIMEOUT.toMillis());
    hikari.addDataSourceProperty("connectTimeout", String.valueOf(LOGIN_TIMEOUT.toSeconds()));
    hikari.addDataSourceProperty("loginTimeout", String.valueOf(LOGIN_TIMEOUT.toSeconds()));
    hikari.addDataSourceProperty("socketTimeout", String.valueOf(SOCKET_TIMEOUT.toSeconds()));
    hikari.addDataSourceProperty("tcpKeepAlive", "true");
    hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
    hikari.addDataSourceProperty("ApplicationName", "spillway-ledger");
    return new PostgresLedgerDatabase(config, new HikariDataSource(hikari));
  }

  /** A pooled connection (close it to return it), after migrating the schema if this is the first. */
  Connection connection() throws LedgerUnavailableException {
    if (!migrated) {
      migrate(); // before taking a pooled connection, which the migration does not use
    }
    try {
      return pool.getConnection();
    } catch (SQLException e) {
      throw new LedgerUnavailableException("PostgreSQL ledger " + describe() + " unavailable: " + e.getMessage(), e);
    }
  }

  private synchronized void migrate() throws LedgerUnavailableException {
    if (migrated) {
      return;
    }
    try {
      flyway().migrate();
      migrated = true;
    } catch (FlywayException e) {
      throw new LedgerUnavailableException(
          "cannot migrate PostgreSQL ledger " + describe() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Flyway reading the ledger's migrations from the classpath (also inside the shaded jar). It connects on its own,
   * not through the pool: it holds a lock connection beside the one that migrates, which a pool of one cannot give.
   */
  Flyway flyway() {
    PGSimpleDataSource direct = new PGSimpleDataSource();
    direct.setURL(config.jdbcUrl());
    direct.setUser(config.user());
    config.password().ifPresent(direct::setPassword);
    direct.setConnectTimeout((int) LOGIN_TIMEOUT.toSeconds());
    direct.setLoginTimeout((int) LOGIN_TIMEOUT.toSeconds());
    direct.setSocketTimeout((int) SOCKET_TIMEOUT.toSeconds());
    direct.setApplicationName("spillway-ledger-migration");
    return Flyway.configure(PostgresLedgerDatabase.class.getClassLoader())
        .dataSource(direct)
        .locations(MIGRATIONS)
        .table(HISTORY_TABLE)
        .failOnMissingLocations(true)
        .load();
  }

  /** URL and user, never the password. */
  String describe() {
    return config.jdbcUrl() + " as " + config.user();
  }

  /** Releases this holder's share, like {@link #release()}. */
  @Override
  public void close() {
    release();
  }

  @Override
  public String toString() {
    return "PostgresLedgerDatabase[" + describe() + "]";
  }
}
