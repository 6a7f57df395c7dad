package dev.spillway.core.auth.keys;

import java.util.List;

/**
 * Durable key records shared by several processes (gateway replicas), as a {@link SharedKeyStore} writes and reads
 * them: a database table, typically. It holds what {@link KeyRecord} holds (salted, keyed hashes; never a key, never
 * the pepper) and a version that every committed write increases, so a reader can tell cheaply whether it is behind.
 *
 * <p>A write is bracketed: {@link #beginWrite} locks out every other writer (in any process) and answers the current
 * records; {@link #commit} stores the changes and makes them visible to readers at once, all or nothing; {@link
 * #endWrite} always follows and releases the lock (abandoning an uncommitted write). The store makes at most one
 * write at a time per instance, from the thread that began it. {@link #version} and {@link #read} may be called from
 * any thread at any time, during a write too.
 *
 * <p>Every method blocks on I/O; none may run on an event loop. Failures are {@link KeyStoreException}s whose
 * messages name the table and the problem, never a secret.
 */
public interface KeyTable {

  /**
   * A consistent view of the table.
   *
   * @param version increased by every committed write; equal versions mean equal content
   * @param records every record, in creation order
   */
  record Snapshot(long version, List<KeyRecord> records) {
    public Snapshot {
      records = List.copyOf(records);
    }
  }

  /** The current version, cheaply (one small query). */
  long version();

  /** Everything, consistent with the version it reports. */
  Snapshot read();

  /** Locks out other writers until {@link #endWrite} and answers the content as it is now. */
  Snapshot beginWrite();

  /**
   * Stores a write begun with {@link #beginWrite} and commits it.
   *
   * @param added new records, in creation order (appended after every existing one)
   * @param changed existing records to replace (revocations)
   * @return the version after this write
   */
  long commit(List<KeyRecord> added, List<KeyRecord> changed);

  /** Ends the write begun by {@link #beginWrite}: rolls back an uncommitted one; does nothing when none is open. */
  void endWrite();
}
