package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.UsageRecord;
import dev.spillway.core.ledger.UsageRecordJson;
import dev.spillway.core.time.Ticker;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's spill directory: usage records that are not in the database yet, as segments of JSON lines ({@code
 * spill-<seq>.jsonl}, one record per line). Records are appended to the one active segment and forced to disk before
 * {@link #append} returns, so a record appended is a record that survives a crash of the process or of the machine.
 * Replaying seals the active segment ({@link #sealAndList}) so that new records go to a fresh one while the sealed ones
 * are written to the database and deleted, oldest first. Segments left by an earlier process are replayed the same
 * way.
 *
 * <p>Thread-safe: the writer thread and the group commit thread append; only the writer thread replays.
 */
final class SpillSegments implements AutoCloseable {
  static final String PREFIX = "spill-";
  static final String SUFFIX = ".jsonl";
  static final SegmentFiles FILES = new SegmentFiles(PREFIX, SUFFIX);

  private final Path dir;
  private final Ticker ticker;
  private FileChannel active; // guarded by this
  private long nextSeq; // guarded by this
  private long appended; // guarded by this
  private long failed; // guarded by this
  /** Records wait on disk: set by an append, cleared when a replay took everything and nothing came since its seal. */
  private volatile boolean pending;
  private boolean appendedSinceSeal; // guarded by this
  /** {@link Ticker#read()} when the oldest record still on disk went there; 0 when none is. */
  private volatile long oldestNanos;

  SpillSegments(Path dir, Ticker ticker) throws IOException {
    this.dir = dir;
    this.ticker = ticker;
    Files.createDirectories(dir);
    List<Path> existing = FILES.list(dir);
    nextSeq = nextSeq(dir);
    if (!existing.isEmpty()) {
      pending = true;
      oldestNanos = ticker.read() | 1; // their age is unknown: count from now
    }
  }

  Path dir() {
    return dir;
  }

  /** The number after the highest spill segment's in {@code dir}: where new segments start. */
  static long nextSeq(Path dir) throws IOException {
    return FILES.nextSeq(dir);
  }

  /**
   * Appends {@code records} to the active segment and forces them to disk (one write, one fsync).
   *
   * @throws IOException when the disk refused; the records are counted in {@link #failedRecords()}
   */
  synchronized void append(List<UsageRecord> records) throws IOException {
    if (records.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder(records.size() * 400);
    for (UsageRecord r : records) {
      sb.append(UsageRecordJson.toJson(r)).append('\n');
    }
    ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
    try {
      if (active == null) {
        Path p = FILES.path(dir, nextSeq++);
        active = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      }
      while (buf.hasRemaining()) {
        active.write(buf);
      }
      active.force(false);
    } catch (IOException e) {
      failed += records.size();
      closeActive();
      throw e;
    }
    appended += records.size();
    appendedSinceSeal = true;
    pending = true;
    if (oldestNanos == 0) {
      oldestNanos = ticker.read() | 1; // never 0
    }
  }

  /** Records appended (and synced) since start. */
  synchronized long appendedRecords() {
    return appended;
  }

  /** Records the disk refused since start. */
  synchronized long failedRecords() {
    return failed;
  }

  boolean pending() {
    return pending;
  }

  /** Nanoseconds the oldest record still on disk has waited; 0 when none waits. */
  long oldestAgeNanos() {
    long since = oldestNanos;
    return since == 0 ? 0 : Math.max(0, ticker.read() - since);
  }

  /**
   * Closes the active segment (later appends start a new one) and lists every segment on disk, oldest first: what a
   * replay takes over.
   */
  synchronized List<Path> sealAndList() throws IOException {
    closeActive();
    appendedSinceSeal = false;
    return FILES.list(dir);
  }

  /**
   * A replay wrote every segment it took over. True when nothing waits on disk any more (no append came since the
   * seal): {@link #pending()} turns false and the oldest-record age starts over.
   */
  synchronized boolean replayed() {
    if (appendedSinceSeal) {
      return false;
    }
    pending = false;
    oldestNanos = 0;
    return true;
  }

  /** A segment's records, skipping lines that do not parse (a line torn by a crash while it was written). */
  static Segment read(Path segment) throws IOException {
    List<UsageRecord> records = new ArrayList<>();
    long corrupt = 0;
    try (BufferedReader in = Files.newBufferedReader(segment, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try {
          records.add(UsageRecordJson.fromJson(line));
        } catch (IllegalArgumentException e) {
          corrupt++;
        }
      }
    }
    return new Segment(records, corrupt);
  }

  /** A segment as read: its records and how many lines were unreadable. */
  record Segment(List<UsageRecord> records, long corruptLines) {}

  private void closeActive() {
    if (active != null) {
      try {
        active.close();
      } catch (IOException ignored) {
        // every append was forced already; nothing is lost by a failed close
      }
      active = null;
    }
  }

  /** Closes the active segment; a later append opens a new one. */
  @Override
  public synchronized void close() {
    closeActive();
  }
}
