package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.LedgerUnavailableException;
import dev.spillway.core.ledger.PromptPrefixHash;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The ledger's own random salt for {@link PromptPrefixHash}, one row in table {@code ledger_key}: made once, by the
 * first gateway that finds none ({@code INSERT ... ON CONFLICT DO NOTHING}, so replicas racing on a new PostgreSQL
 * ledger all end up with the winner's), then read by every gateway writing that ledger. The same SQL serves SQLite and
 * PostgreSQL. Never logged.
 */
final class LedgerSalt {
  /** Bytes of a new salt. */
  static final int BYTES = 32;
  /** SQLite's table (PostgreSQL's is made by its V5 migration). */
  static final String CREATE_TABLE =
      "CREATE TABLE IF NOT EXISTS ledger_key (id INTEGER PRIMARY KEY CHECK (id = 1), salt BLOB NOT NULL)";

  private static final SecureRandom RANDOM = new SecureRandom();

  private LedgerSalt() {}

  /** Adds a random salt unless the ledger has one; within the caller's transaction, if any. */
  static void create(Connection c) throws SQLException {
    byte[] salt = new byte[BYTES];
    RANDOM.nextBytes(salt);
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO ledger_key (id, salt) VALUES (1, ?) ON CONFLICT (id) DO NOTHING")) {
      ps.setBytes(1, salt);
      ps.executeUpdate();
    }
  }

  /** The ledger's salt. */
  static byte[] read(Connection c) throws SQLException, LedgerUnavailableException {
    try (PreparedStatement ps = c.prepareStatement("SELECT salt FROM ledger_key WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      byte[] salt = rs.next() ? rs.getBytes(1) : null;
      if (salt == null || salt.length < PromptPrefixHash.MIN_SALT_BYTES) {
        throw new LedgerUnavailableException("the ledger has no usable salt for prompt prefix hashes");
      }
      return salt;
    }
  }

  /** The ledger's salt, made first if it has none. */
  static byte[] readOrCreate(Connection c) throws SQLException, LedgerUnavailableException {
    create(c);
    return read(c);
  }
}
