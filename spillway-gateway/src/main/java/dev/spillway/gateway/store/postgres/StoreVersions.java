package dev.spillway.gateway.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The {@code versions} table: one row per kind of shared record ({@code keys}, {@code consumers}). A write bumps its
 * row first, which takes the row's lock until the transaction ends, so writers of one kind queue up across every
 * replica; readers compare the number with what they last saw.
 */
final class StoreVersions {
  static final String KEYS = "keys";
  static final String CONSUMERS = "consumers";

  private StoreVersions() {}

  /** The current version of {@code name}, on a connection in any state. */
  static long read(Connection c, String name) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("SELECT version FROM " + PostgresStoreDatabase.SCHEMA
        + ".versions WHERE name = ?")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no " + name + " row in " + PostgresStoreDatabase.SCHEMA + ".versions");
        }
        return rs.getLong(1);
      }
    }
  }

  /**
   * Increases the version of {@code name} inside the caller's transaction, locking the row until it ends.
   *
   * @return the version this transaction will commit
   */
  static long bump(Connection c, String name) throws SQLException {
    try (PreparedStatement st = c.prepareStatement("UPDATE " + PostgresStoreDatabase.SCHEMA
        + ".versions SET version = version + 1 WHERE name = ? RETURNING version")) {
      st.setString(1, name);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("no " + name + " row in " + PostgresStoreDatabase.SCHEMA + ".versions");
        }
        return rs.getLong(1);
      }
    }
  }

  /** A read-only transaction that sees one snapshot for all its statements. */
  static void beginSnapshot(Connection c) throws SQLException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    c.setReadOnly(true);
  }

  /** Makes a store's snapshot from its version and its rows, read in one transaction. */
  interface SnapshotReader<T> {
    T read(long version, Connection c) throws SQLException;
  }

  /** Reads the version of {@code name} and what {@code reader} reads beside it, as of one snapshot; rolls back. */
  static <T> T snapshot(Connection c, String name, SnapshotReader<T> reader) throws SQLException {
    beginSnapshot(c);
    try {
      return reader.read(read(c, name), c);
    } finally {
      c.rollback();
    }
  }
}
