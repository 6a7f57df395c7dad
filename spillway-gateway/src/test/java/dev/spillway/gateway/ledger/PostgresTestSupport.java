package dev.spillway.gateway.ledger;

import static org.junit.jupiter.api.Assertions.fail;

import dev.spillway.core.config.PostgresLedger;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL the ledger tests use: {@code SPILLWAY_TEST_POSTGRES_HOST}/{@code _PORT} or 127.0.0.1:5432, user
 * {@code postgres} with trust authentication. Each test class makes its own database with a random name and drops it
 * afterwards. Without a server the tests are skipped, except under CI (the {@code CI} variable set), where they fail,
 * since {@code test.sh} starts one (scripts/ensure-postgres.sh).
 */
public final class PostgresTestSupport {
  public static final String HOST = System.getenv().getOrDefault("SPILLWAY_TEST_POSTGRES_HOST", "127.0.0.1");
  public static final int PORT = Integer.parseInt(System.getenv().getOrDefault("SPILLWAY_TEST_POSTGRES_PORT", "5432"));
  static final String USER = "postgres";

  private PostgresTestSupport() {}

  /** Skips the calling test when no PostgreSQL answers, unless running under CI where that fails. */
  public static void requirePostgres() {
    try (Connection c = connect("postgres")) {
      return;
    } catch (SQLException e) {
      skipOrFail("no PostgreSQL at " + HOST + ":" + PORT + " for user " + USER + " (" + e.getMessage() + ")");
    }
  }

  /** Skips the test, or fails it when CI is set. */
  static void skipOrFail(String message) {
    String ci = System.getenv("CI");
    boolean underCi = ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    if (underCi) {
      fail(message + " although CI is set; test.sh makes one available (scripts/ensure-postgres.sh)");
    }
    Assumptions.abort(message + "; PostgreSQL tests skipped (set CI to make this a failure)");
  }

  /** Creates a database with a fresh random name and returns the name. */
  public static String createDatabase() throws SQLException {
    String name = "spillway_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16).toLowerCase(Locale.ROOT);
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return name;
  }

  /** Drops the database, disconnecting whoever is still connected to it. */
  public static void dropDatabase(String name) throws SQLException {
    if (name == null) {
      return;
    }
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
  }

  public static String jdbcUrl(String database) {
    return jdbcUrl(HOST, PORT, database);
  }

  static String jdbcUrl(String host, int port, String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** The ledger config for a database of the shared test server. */
  public static PostgresLedger ledger(String database) {
    return new PostgresLedger(jdbcUrl(database), USER, Optional.empty(), 4);
  }

  /** A plain JDBC connection to a database of the shared test server. */
  public static Connection connect(String database) throws SQLException {
    return connectUrl(jdbcUrl(database));
  }

  static Connection connectUrl(String url) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("connectTimeout", "3");
    return DriverManager.getConnection(url, p);
  }

  /** A single number from a query, e.g. {@code SELECT COUNT(*) FROM usage}. */
  public static long queryLong(String database, String sql) throws SQLException {
    try (Connection c = connect(database); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
