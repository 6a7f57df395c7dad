package dev.spillway.core.auth.keys;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link KeyStore} whose records live in a {@link KeyTable} that several gateway replicas share, so a key issued,
 * rotated or revoked through one replica is in force on all of them.
 *
 * <p>{@link #authenticate} never touches the table: it reads the book in memory, as the other stores do. The book
 * follows the table in two ways: every write of this instance locks the table, starts from the table's current
 * records (not this instance's possibly older copy, so replicas never undo each other's changes) and publishes what
 * it committed; and {@link #refreshIfChanged()}, which the owner calls on a timer, re-reads the table when its
 * version moved. How fast another replica's revocation takes effect here is therefore the timer's period plus one
 * read. Times are kept to the microsecond (what a database timestamp holds), so a record read back equals the one
 * issued.
 *
 * <p>Thread-safe (see {@link AbstractKeyStore}). Every method but {@link #authenticate} and the listings blocks on
 * the table: call them off the event loop.
 */
public final class SharedKeyStore extends AbstractKeyStore {
  private final KeyTable table;
  /** The table's version the book reflects; guarded by {@link #lock}. */
  private long seenVersion;
  /** The table's content when the current write began; guarded by {@link #lock}, set during a write only. */
  private KeyBook writeBase;

  /**
   * Opens the store on {@code table}, reading every record.
   *
   * @throws KeyStoreException when the table cannot be read
   */
  public SharedKeyStore(KeyTable table, KeyHasher hasher) {
    super(hasher, KeyBook.EMPTY);
    this.table = Objects.requireNonNull(table, "table");
    synchronized (lock) {
      publish(table.read());
    }
  }

  /**
   * Re-reads the table when another instance changed it since this one last read or wrote it. Cheap when nothing
   * changed (one version query). Call it on a timer, off the event loop.
   *
   * @return true when the book was re-read
   * @throws KeyStoreException when the table cannot be read; the book in memory stays as it was
   */
  public boolean refreshIfChanged() {
    long version = table.version();
    synchronized (lock) {
      if (version == seenVersion) {
        return false;
      }
      publish(table.read());
      return true;
    }
  }

  /**
   * Copies {@code records} (another store's keys, revoked ones included, in creation order) into the table if it has
   * never been written, so a gateway that moves its keys from a file to the shared table keeps them. Replicas that
   * start together import once: the first write wins, the others find the table written.
   *
   * @return true when this call imported them; false when the table had been written before or there was nothing
   */
  public boolean importIfNeverWritten(List<KeyRecord> records) {
    if (records.isEmpty()) {
      return false;
    }
    synchronized (lock) {
      try {
        KeyBook current = beforeWrite(book());
        if (seenVersion != 0 || !current.all().isEmpty()) {
          return false;
        }
        KeyBook next = KeyBook.of(records.stream().map(r -> new KeyRecord(r.keyId(), r.consumerId(), r.salt(), r.hash(),
            stamp(r.createdAt()), r.revokedAt().map(this::stamp))).toList());
        persist(next);
        replaceBook(next);
        return true;
      } finally {
        afterWrite();
      }
    }
  }

  /** The table version the keys in memory reflect. */
  public long version() {
    synchronized (lock) {
      return seenVersion;
    }
  }

  private void publish(KeyTable.Snapshot snapshot) {
    replaceBook(KeyBook.of(snapshot.records()));
    seenVersion = snapshot.version();
  }

  @Override
  KeyBook beforeWrite(KeyBook current) {
    KeyTable.Snapshot snapshot = table.beginWrite();
    publish(snapshot);
    writeBase = book();
    return writeBase;
  }

  @Override
  void persist(KeyBook next) {
    List<KeyRecord> added = new ArrayList<>();
    List<KeyRecord> changed = new ArrayList<>();
    for (KeyRecord record : next.all()) {
      Optional<KeyRecord> before = writeBase.find(record.keyId());
      if (before.isEmpty()) {
        added.add(record);
      } else if (!before.get().equals(record)) {
        changed.add(record);
      }
    }
    seenVersion = table.commit(added, changed);
  }

  @Override
  void afterWrite() {
    writeBase = null;
    table.endWrite();
  }

  @Override
  Instant stamp(Instant now) {
    return now.truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public String toString() {
    return "SharedKeyStore[" + table + ", " + book().all().size() + " keys]";
  }
}
