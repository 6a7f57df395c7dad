package dev.spillway.gateway.ledger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A writer test's ground: a SQLite ledger and a spill directory in a temporary folder, and what is in each. */
abstract class SqliteLedgerDir {
  @TempDir
  Path dir;
  Path db;
  Path spillDir;
  SqliteLedgerSink sqlite;

  @BeforeEach
  void openLedger() throws Exception {
    db = dir.resolve("ledger.db");
    spillDir = dir.resolve("spill");
    sqlite = SqliteLedgerSink.open(db);
  }

  @AfterEach
  void closeLedger() {
    sqlite.close();
  }

  /** Rows in the ledger matching {@code where} (a SQL tail such as {@code " WHERE ..."}, or empty). */
  long count(String where) throws Exception {
    return query("SELECT COUNT(*) FROM usage" + where);
  }

  /** As {@link #count}, -1 when the ledger cannot be read (for polling). */
  long count0(String where) {
    try {
      return count(where);
    } catch (Exception e) {
      return -1;
    }
  }

  long distinctIds() throws Exception {
    return query("SELECT COUNT(DISTINCT request_id) FROM usage");
  }

  long spillFiles() throws Exception {
    return files(SpillSegments.PREFIX);
  }

  long journalFiles() throws Exception {
    return files(LedgerJournal.PREFIX);
  }

  /** The text of the spill directory's files whose names start with {@code prefix}. */
  String text(String prefix) throws Exception {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(spillDir)) {
      for (Path p : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
        text.append(Files.readString(p));
      }
    }
    return text.toString();
  }

  private long files(String prefix) throws Exception {
    if (!Files.isDirectory(spillDir)) {
      return 0;
    }
    try (Stream<Path> s = Files.list(spillDir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
    }
  }

  private long query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
