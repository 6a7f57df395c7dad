package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.UsageRecord;
import dev.spillway.core.ledger.UsageRecordJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger's journal: while the database answers, each usage record is appended here before its request's answer
 * ends, and reaches the database later, in batches, from memory. It is what lets an answer end without waiting for a
 * database commit while a crash still loses no answered request.
 *
 * <p><b>What it promises.</b> {@link #append} is one {@code write(2)} of the records' JSON lines into the active
 * segment ({@code journal-<seq>.jsonl} in the spill directory), without an fsync: once it returns, the line is in the
 * kernel's page cache and survives the death of the process, even by {@code kill -9}, but not a crash of the machine
 * — the same promise SQLite's WAL with {@code synchronous=NORMAL} makes for a commit. Records that must survive the
 * machine too (the database is down) go to fsynced spill segments instead ({@link SpillSegments}).
 *
 * <p><b>How segments end.</b> The caller reports each record as {@link #settle settled} once it is committed to the
 * database or fsynced to a spill segment. The active segment is sealed when it reaches {@code segmentBytes}; a sealed
 * segment whose records are all settled is deleted. At {@link #close()}, the active one is deleted too if everything in
 * it is settled. A segment left by a process that died holds records that may not be in the database:
 * {@link #adoptLeftovers} hands them to the spill directory's replay (re-writing is safe: the sinks insert on
 * conflict do nothing).
 *
 * <p>Thread-safe: the journal's group commit appends ({@link GroupCommitter}), the writer thread settles.
 */
final class LedgerJournal implements AutoCloseable {
  static final String PREFIX = "journal-";
  static final String SUFFIX = ".jsonl";
  private static final SegmentFiles FILES = new SegmentFiles(PREFIX, SUFFIX);
  /** The default size at which the active segment is sealed and a new one begun. */
  static final long DEFAULT_SEGMENT_BYTES = 4L * 1024 * 1024;

  private final Path dir;
  private final long segmentBytes;
  private final Map<Long, Long> unsettled = new HashMap<>(); // segment seq -> records not yet settled; guarded by this
  private FileChannel active; // guarded by this
  private long activeSeq; // guarded by this
  private long activeBytes; // guarded by this
  private boolean closed; // guarded by this
  private LineBuffer lines = new LineBuffer(); // guarded by this

  /** The lines about to be appended. */
  private static final class LineBuffer extends ByteArrayOutputStream {
    LineBuffer() {
      super(1024);
    }

    ByteBuffer view() {
      return ByteBuffer.wrap(buf, 0, count);
    }
  }

  /**
   * A journal in {@code dir} (which exists), numbering its segments after any already there. Call {@link
   * #adoptLeftovers} first: this one does not read what it finds.
   */
  LedgerJournal(Path dir, long segmentBytes) throws IOException {
    if (segmentBytes < 1) {
      throw new IllegalArgumentException("segmentBytes must be >= 1, got " + segmentBytes);
    }
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.activeSeq = FILES.nextSeq(dir);
  }

  /**
   * Renames the segments a previous process left in {@code dir} into spill segments numbered after those there,
   * oldest first, so that the spill directory's replay writes them to the database. Returns how many
   * were adopted. Call before the journal and the spill segments are opened.
   */
  static int adoptLeftovers(Path dir) throws IOException {
    List<Path> left = FILES.list(dir);
    long seq = SpillSegments.nextSeq(dir);
    for (Path p : left) {
      Files.move(p, SpillSegments.FILES.path(dir, seq++));
    }
    return left.size();
  }

  /**
   * Writes the lines of {@code records} to the active segment with one write call and returns that segment's number,
   * to {@link #settle} each record by. No fsync: the calling thread blocks only for the copy into the page cache (or
   * for as long as the file system makes a write wait).
   *
   * @throws IOException when the disk refused (none of the records counts as journaled) or the journal is closed
   */
  synchronized long append(List<UsageRecord> records) throws IOException {
    if (closed) {
      throw new IOException("the ledger journal is closed");
    }
    lines.reset();
    for (UsageRecord record : records) {
      UsageRecordJson.appendLine(record, lines);
    }
    ByteBuffer bytes = lines.view();
    if (lines.size() > 1024 * 1024) {
      lines = new LineBuffer(); // keep no large buffer after a burst (this one is written below)
    }
    try {
      if (active == null) {
        active = FileChannel.open(segment(activeSeq), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
      }
      while (bytes.hasRemaining()) {
        activeBytes += active.write(bytes);
      }
    } catch (IOException e) {
      seal(); // a partial line, if any, is skipped as torn by whoever reads the segment
      throw e;
    }
    long seq = activeSeq;
    unsettled.merge(seq, (long) records.size(), Long::sum);
    if (activeBytes >= segmentBytes) {
      seal();
    }
    return seq;
  }

  /** A record appended to segment {@code seq} is in the database or fsynced to a spill segment. */
  synchronized void settle(long seq) {
    Long left = unsettled.get(seq);
    if (left == null) {
      return;
    }
    if (left > 1) {
      unsettled.put(seq, left - 1);
      return;
    }
    unsettled.remove(seq);
    if (seq != activeSeq) {
      delete(seq); // sealed, and now settled
    }
  }

  /** Records appended and not yet settled, over all segments. */
  synchronized long unsettledRecords() {
    long sum = 0;
    for (long n : unsettled.values()) {
      sum += n;
    }
    return sum;
  }

  /** Segments on disk (sealed ones waiting for settlement, and the active one). */
  int segmentsOnDisk() throws IOException {
    return FILES.list(dir).size();
  }

  /**
   * Stops appending; deletes the active segment when every record in it is settled (otherwise it stays, for the next
   * start's {@link #adoptLeftovers}).
   */
  @Override
  public synchronized void close() {
    closed = true;
    seal();
  }

  /** Closes the active segment; the next append opens a new one. A settled segment is deleted. */
  private void seal() {
    if (active == null) {
      return;
    }
    try {
      active.close();
    } catch (IOException ignored) {
      // written lines are in the page cache already; a failed close loses none of them
    }
    active = null;
    long sealed = activeSeq++;
    activeBytes = 0;
    if (!unsettled.containsKey(sealed)) {
      delete(sealed);
    }
  }

  private void delete(long seq) {
    try {
      Files.deleteIfExists(segment(seq));
    } catch (IOException e) {
      // left for the next start's adoption: replaying settled records again is harmless
      System.getLogger(LedgerWriter.class.getName()).log(System.Logger.Level.WARNING,
          "cannot delete settled ledger journal segment " + segment(seq) + ": " + e);
    }
  }

  private Path segment(long seq) {
    return FILES.path(dir, seq);
  }
}
