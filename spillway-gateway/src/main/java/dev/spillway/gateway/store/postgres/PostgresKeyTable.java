package dev.spillway.gateway.store.postgres;

import dev.spillway.core.auth.keys.KeyRecord;
import dev.spillway.core.auth.keys.KeyStoreException;
import dev.spillway.core.auth.keys.KeyTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Gateway keys in PostgreSQL ({@code spillway_store.gateway_keys}): key id, consumer, salt, keyed hash, created and
 * revoked times; never a key or the pepper. A write runs in one transaction that first bumps the {@code keys} version
 * (which holds off other writers until it commits) and then reads the current rows, so a {@code SharedKeyStore}
 * always changes the latest content. Reads take one repeatable-read snapshot for version and rows together.
 *
 * <p>Thread-safe for reads; writes come one at a time from the store that owns this table (see {@link KeyTable}).
 */
public final class PostgresKeyTable implements KeyTable {
  private static final String TABLE = PostgresStoreDatabase.SCHEMA + ".gateway_keys";
  private static final String SELECT =
      "SELECT key_id, consumer_id, salt, hash, created_at, revoked_at FROM " + TABLE + " ORDER BY seq";

  private final PostgresStoreDatabase db;
  /** The connection of the write in progress; only touched by the thread that began it. */
  private Connection writing;
  private long writingVersion;

  public PostgresKeyTable(PostgresStoreDatabase db) {
    this.db = db;
  }

  @Override
  public long version() {
    try (Connection c = db.connection()) {
      return StoreVersions.read(c, StoreVersions.KEYS);
    } catch (SQLException e) {
      throw failure("read the version of", e);
    }
  }

  @Override
  public Snapshot read() {
    try (Connection c = db.connection()) {
      return StoreVersions.snapshot(c, StoreVersions.KEYS, (version, in) -> new Snapshot(version, rows(in)));
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  @Override
  public Snapshot beginWrite() {
    if (writing != null) {
      throw new IllegalStateException("a write is already open");
    }
    try {
      Connection c = db.connection();
      writing = c;
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      // The bump locks the version row: the rows read next cannot change before this transaction ends.
      writingVersion = StoreVersions.bump(c, StoreVersions.KEYS);
      return new Snapshot(writingVersion - 1, rows(c));
    } catch (SQLException e) {
      throw failure("lock", e);
    }
  }

  @Override
  public long commit(List<KeyRecord> added, List<KeyRecord> changed) {
    if (writing == null) {
      throw new IllegalStateException("no write is open");
    }
    try {
      if (!added.isEmpty()) {
        try (PreparedStatement st = writing.prepareStatement("INSERT INTO " + TABLE
            + " (key_id, consumer_id, salt, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)")) {
          for (KeyRecord r : added) {
            st.setString(1, r.keyId());
            st.setString(2, r.consumerId());
            st.setBytes(3, r.salt());
            st.setBytes(4, r.hash());
            st.setObject(5, utc(r.createdAt()));
            st.setObject(6, r.revokedAt().map(PostgresKeyTable::utc).orElse(null), Types.TIMESTAMP_WITH_TIMEZONE);
            st.addBatch();
          }
          st.executeBatch();
        }
      }
      if (!changed.isEmpty()) {
        try (PreparedStatement st = writing.prepareStatement("UPDATE " + TABLE + " SET revoked_at = ? WHERE key_id = ?")) {
          for (KeyRecord r : changed) {
            st.setObject(1, r.revokedAt().map(PostgresKeyTable::utc).orElse(null), Types.TIMESTAMP_WITH_TIMEZONE);
            st.setString(2, r.keyId());
            st.addBatch();
          }
          st.executeBatch();
        }
      }
      writing.commit();
      return writingVersion;
    } catch (SQLException e) {
      throw failure("write", e);
    }
  }

  @Override
  public void endWrite() {
    Connection c = writing;
    writing = null;
    if (c == null) {
      return;
    }
    try (c) {
      if (!c.getAutoCommit()) {
        c.rollback(); // nothing to undo after a commit
      }
      c.setAutoCommit(true);
    } catch (SQLException e) {
      // The pool discards a broken connection; the write either committed or did not.
    }
  }

  private static List<KeyRecord> rows(Connection c) throws SQLException {
    List<KeyRecord> records = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(SELECT); ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        OffsetDateTime revoked = rs.getObject(6, OffsetDateTime.class);
        records.add(new KeyRecord(rs.getString(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4),
            rs.getObject(5, OffsetDateTime.class).toInstant(), Optional.ofNullable(revoked).map(OffsetDateTime::toInstant)));
      }
    }
    return records;
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private RuntimeException failure(String what, SQLException e) {
    return StoreFailures.unreachable(e) ? new dev.spillway.core.error.StoreUnavailableException("cannot " + what
        + " the gateway keys: PostgreSQL " + db.describe() + " cannot be reached (SQLSTATE " + e.getSQLState() + ")", e)
        : new KeyStoreException("cannot " + what + " the gateway keys in PostgreSQL " + db.describe() + " (SQLSTATE "
        + e.getSQLState() + ": " + e.getMessage() + ")", e);
  }

  @Override
  public String toString() {
    return "PostgresKeyTable[" + db.describe() + "]";
  }
}
