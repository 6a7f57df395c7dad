package dev.spillway.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A database of its own on a shared PostgreSQL server (user {@code postgres}, trust authentication on loopback),
 * created for one benchmark run and dropped when it is closed: the gateway's ledger writes there and the benchmark
 * counts its rows. The server itself is never stopped or reconfigured; other users of it are untouched.
 */
final class PrivateDatabase implements AutoCloseable {
  private static final String USER = "postgres";

  private final String host;
  private final int port;
  private final String name;

  private PrivateDatabase(String host, int port, String name) {
    this.host = host;
    this.port = port;
    this.name = name;
  }

  /**
   * Creates {@code spillway_<prefix>_<random>} on {@code host:port}.
   *
   * @throws IllegalStateException naming the server when it does not answer
   */
  static PrivateDatabase create(String host, int port, String prefix) {
    String name = "spillway_" + prefix + "_"
        + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    PrivateDatabase db = new PrivateDatabase(host, port, name);
    try (Connection c = db.connect("postgres"); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a database on PostgreSQL at " + host + ":" + port + " as "
          + USER + ": " + e.getMessage(), e);
    }
    return db;
  }

  String name() {
    return name;
  }

  String user() {
    return USER;
  }

  /**
   * Rows of the ledger's {@code usage} table booked to {@code consumer} for requests received at or after {@code
   * since}, by status.
   */
  Map<Integer, Long> ledgerRowsByStatus(String consumer, Instant since) throws SQLException {
    Map<Integer, Long> rows = new TreeMap<>();
    try (Connection c = connect(name);
        PreparedStatement ps = c.prepareStatement(
            "SELECT status, COUNT(*) FROM usage WHERE consumer = ? AND time >= ? GROUP BY status")) {
      ps.setString(1, consumer);
      ps.setObject(2, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getInt(1), rs.getLong(2));
        }
      }
    }
    return rows;
  }

  private Connection connect(String database) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", USER);
    p.setProperty("connectTimeout", "5");
    return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, p);
  }

  /** Drops the database, disconnecting whoever is still connected to it. */
  @Override
  public void close() {
    try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      System.err.println("could not drop the benchmark database " + name + ": " + e.getMessage());
    }
  }
}
