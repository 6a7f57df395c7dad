package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.LedgerSink;
import dev.spillway.core.ledger.UsageRecord;
import dev.spillway.core.ledger.UsageRecordJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Moves usage records from request handlers to a {@link LedgerSink} without ever blocking or dropping.
 *
 * <p>{@link #offer} puts the record in a bounded queue; one background platform thread (never the event loop) drains
 * it in batches of at most {@code maxBatch} records or {@code maxDelay}. When the sink throws, the batch is appended
 * to a spill segment on local disk (one JSON line per record, fsync per batch). When the queue is full, the record
 * goes straight to the spill segment (counted as overflow). Spill segments are replayed into the sink later, every
 * {@code retryInterval} while the sink is down, and a segment is deleted only after all its records were committed.
 * Segments left by a previous process in the same directory are replayed too. Re-writing is safe because the sink
 * inserts on conflict do nothing.
 */
public final class LedgerWriter implements AutoCloseable {
  private static final Logger LOG = System.getLogger(LedgerWriter.class.getName());
  static final String SEGMENT_PREFIX = "spill-";
  static final String SEGMENT_SUFFIX = ".jsonl";
  private static final long CLOSE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
  /** While collecting a batch, how often the writer looks whether it is full. */
  private static final long COLLECT_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final LedgerSink sink;
  private final LedgerWriterOptions options;
  private final ArrayBlockingQueue<UsageRecord> queue;
  private final Thread thread;
  private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
  private volatile boolean closing;

  private final Object spillLock = new Object();
  private FileChannel activeSegment; // guarded by spillLock
  private long nextSegmentSeq; // guarded by spillLock
  private volatile boolean spillPending;
  /** {@code System.nanoTime()} when records first went to disk since the sink last caught up; 0 when it has. */
  private volatile long spillingSinceNanos;
  /** Overflow records were appended to the active segment without a sync yet. Guarded by spillLock. */
  private boolean syncPending;
  private long nextReplayAtNanos; // writer thread only

  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong spilled = new AtomicLong();
  private final AtomicLong overflowed = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong corruptLines = new AtomicLong();

  public LedgerWriter(LedgerSink sink, LedgerWriterOptions options) throws IOException {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.options = Objects.requireNonNull(options, "options");
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    Files.createDirectories(options.spillDir());
    List<Path> existing = segments();
    for (Path p : existing) {
      nextSegmentSeq = Math.max(nextSegmentSeq, seqOf(p) + 1);
    }
    spillPending = !existing.isEmpty();
    this.thread = new Thread(this::run, "spillway-ledger-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Hands a record to the ledger. Never blocks on the sink; never drops (queue full → spill file). */
  public void offer(UsageRecord record) {
    Objects.requireNonNull(record, "record");
    offered.incrementAndGet();
    ReentrantReadWriteLock.ReadLock read = closeLock.readLock();
    if (read.tryLock()) {
      try {
        if (!closing && queue.offer(record)) {
          return;
        }
      } finally {
        read.unlock();
      }
    }
    overflowed.incrementAndGet();
    // The caller is an event loop: append without waiting for the disk; the writer thread syncs it (syncOverflow).
    spill(List.of(record), false);
  }

  public long offered() {
    return offered.get();
  }

  /** Records committed directly by the sink (not counting replays). */
  public long written() {
    return written.get();
  }

  /** Records appended to spill segments (sink failures and queue overflow). */
  public long spilled() {
    return spilled.get();
  }

  /** Records that bypassed the queue because it was full (or the writer was closing); included in spilled. */
  public long overflowed() {
    return overflowed.get();
  }

  /** Records committed from spill segments. */
  public long replayed() {
    return replayed.get();
  }

  /** Records that could be neither written nor spilled (local disk failure). Should stay 0. */
  public long lost() {
    return lost.get();
  }

  /** Unparseable spill lines skipped during replay (e.g. a torn line after a crash). */
  public long corruptLines() {
    return corruptLines.get();
  }

  public int queued() {
    return queue.size();
  }

  public boolean hasPendingSpill() {
    return spillPending;
  }

  /**
   * What {@code /readyz} and the metrics say about the ledger.
   *
   * @param spilling true while records wait on disk for the database
   * @param backlogRecords records not yet in the database: queued, plus spilled since start and not yet replayed
   * @param spillingSeconds how long records have been waiting on disk (0 when none is)
   */
  public record Health(boolean spilling, long backlogRecords, long spillingSeconds) {}

  public Health health() {
    long since = spillingSinceNanos;
    boolean spilling = spillPending;
    long backlog = queue.size() + Math.max(0, spilled.get() - replayed.get());
    long seconds = since == 0 || !spilling ? 0 : Math.max(0, (System.nanoTime() - since) / 1_000_000_000L);
    return new Health(spilling, backlog, seconds);
  }

  private void run() {
    long pollNanos = Math.max(1, Math.min(options.maxDelay().toNanos(), options.retryInterval().toNanos()));
    List<UsageRecord> batch = new ArrayList<>(options.maxBatch());
    while (true) {
      boolean stopping = closing;
      try {
        batch.clear();
        drain(batch, stopping ? 0 : pollNanos);
        if (!batch.isEmpty()) {
          writeOrSpill(batch);
        }
        syncOverflow();
        if (spillPending && System.nanoTime() - nextReplayAtNanos >= 0) {
          replay();
        }
      } catch (InterruptedException e) {
        // close() does not interrupt; keep going until the queue is drained
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "ledger writer loop error", e);
      }
      if (stopping && queue.isEmpty()) {
        break;
      }
    }
    if (spillPending) {
      replay(); // last chance before shutdown; on failure the segments stay on disk for the next start
    }
    synchronized (spillLock) {
      closeActiveSegment();
    }
  }

  private void drain(List<UsageRecord> batch, long firstWaitNanos) throws InterruptedException {
    int max = options.maxBatch();
    UsageRecord first = poll(System.nanoTime() + firstWaitNanos);
    if (first == null) {
      return;
    }
    batch.add(first);
    // Collect for maxDelay, looking at the queue every few milliseconds rather than taking each record as it comes:
    // a writer woken per record costs a context switch per request, on the core the event loop needs.
    long deadline = System.nanoTime() + options.maxDelay().toNanos();
    while (batch.size() + queue.size() < max && !closing) {
      long remaining = deadline - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      LockSupport.parkNanos(Math.min(remaining, COLLECT_CHECK_NANOS));
    }
    queue.drainTo(batch, max - batch.size());
  }

  /** Polls until the deadline in short slices so that close() is noticed promptly without interrupting. */
  private UsageRecord poll(long deadlineNanos) throws InterruptedException {
    while (true) {
      UsageRecord r = queue.poll();
      if (r != null) {
        return r;
      }
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0 || closing) {
        return null;
      }
      r = queue.poll(Math.min(remaining, CLOSE_CHECK_NANOS), TimeUnit.NANOSECONDS);
      if (r != null) {
        return r;
      }
    }
  }

  private void writeOrSpill(List<UsageRecord> batch) {
    try {
      sink.write(batch);
      written.addAndGet(batch.size());
    } catch (Exception e) {
      LOG.log(Level.WARNING, "ledger sink unavailable, spilling " + batch.size() + " records: " + e.getMessage());
      spill(batch);
      nextReplayAtNanos = System.nanoTime() + options.retryInterval().toNanos();
    }
  }

  /** Appends records to the active spill segment and fsyncs. Called by the writer thread and by overflowing callers. */
  /** Forces overflow records appended by {@link #offer} to disk. Writer thread. */
  private void syncOverflow() {
    synchronized (spillLock) {
      if (!syncPending || activeSegment == null) {
        return;
      }
      try {
        activeSegment.force(false);
        syncPending = false;
      } catch (IOException e) {
        LOG.log(Level.ERROR, "cannot sync the ledger spill segment in " + options.spillDir(), e);
      }
    }
  }

  private void spill(List<UsageRecord> records) {
    spill(records, true);
  }

  /**
   * Appends {@code records} to the active spill segment; {@code sync} forces them to disk before returning, otherwise
   * the writer thread does so within {@code maxDelay} ({@link #syncOverflow}).
   */
  private void spill(List<UsageRecord> records, boolean sync) {
    StringBuilder sb = new StringBuilder(records.size() * 400);
    for (UsageRecord r : records) {
      sb.append(UsageRecordJson.toJson(r)).append('\n');
    }
    ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
    synchronized (spillLock) {
      try {
        if (activeSegment == null) {
          Path p = options.spillDir().resolve(
              String.format("%s%020d%s", SEGMENT_PREFIX, nextSegmentSeq++, SEGMENT_SUFFIX));
          activeSegment = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
              StandardOpenOption.APPEND);
        }
        while (buf.hasRemaining()) {
          activeSegment.write(buf);
        }
        if (sync) {
          activeSegment.force(false);
        } else {
          syncPending = true;
        }
        spilled.addAndGet(records.size());
        spillPending = true;
        if (spillingSinceNanos == 0) {
          spillingSinceNanos = System.nanoTime() | 1; // never 0
        }
        if (closing && !thread.isAlive()) {
          closeActiveSegment(); // late offer after close: do not keep a descriptor open
        }
      } catch (IOException e) {
        lost.addAndGet(records.size());
        LOG.log(Level.ERROR, "cannot spill " + records.size() + " usage records to " + options.spillDir(), e);
        closeActiveSegment();
      }
    }
  }

  /** Replays all closed segments, oldest first; stops at the first sink failure. Writer thread only. */
  private void replay() {
    List<Path> segs;
    synchronized (spillLock) {
      closeActiveSegment(); // new spills go to a fresh segment while we replay
      spillPending = false;
      try {
        segs = segments();
      } catch (IOException e) {
        LOG.log(Level.ERROR, "cannot list spill directory " + options.spillDir(), e);
        spillPending = true;
        nextReplayAtNanos = System.nanoTime() + options.retryInterval().toNanos();
        return;
      }
    }
    for (int i = 0; i < segs.size(); i++) {
      if (!replaySegment(segs.get(i))) {
        spillPending = true;
        nextReplayAtNanos = System.nanoTime() + options.retryInterval().toNanos();
        return;
      }
    }
    synchronized (spillLock) {
      if (!spillPending) {
        spillingSinceNanos = 0; // every spilled record is in the database again
      }
    }
  }

  private boolean replaySegment(Path seg) {
    List<UsageRecord> records = new ArrayList<>();
    long corrupt = 0;
    try (BufferedReader in = Files.newBufferedReader(seg, StandardCharsets.UTF_8)) {
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
    } catch (IOException e) {
      LOG.log(Level.ERROR, "cannot read spill segment " + seg, e);
      return false;
    }
    int max = options.maxBatch();
    for (int from = 0; from < records.size(); from += max) {
      List<UsageRecord> chunk = records.subList(from, Math.min(records.size(), from + max));
      try {
        sink.write(chunk);
      } catch (Exception e) {
        return false; // segment kept; already-committed chunks are idempotent on the next replay
      }
    }
    try {
      Files.delete(seg);
    } catch (IOException e) {
      LOG.log(Level.ERROR, "cannot delete replayed spill segment " + seg, e);
      return false;
    }
    replayed.addAndGet(records.size());
    if (corrupt > 0) {
      corruptLines.addAndGet(corrupt);
      LOG.log(Level.WARNING, "skipped " + corrupt + " malformed lines in spill segment " + seg);
    }
    return true;
  }

  private void closeActiveSegment() {
    if (activeSegment != null) {
      try {
        if (syncPending) {
          activeSegment.force(false);
          syncPending = false;
        }
        activeSegment.close();
      } catch (IOException e) {
        LOG.log(Level.ERROR, "cannot close the ledger spill segment in " + options.spillDir(), e);
      }
      activeSegment = null;
    }
  }

  private List<Path> segments() throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(options.spillDir(),
        SEGMENT_PREFIX + "*" + SEGMENT_SUFFIX)) {
      for (Path p : ds) {
        if (seqOf(p) >= 0) {
          out.add(p);
        }
      }
    }
    out.sort((a, b) -> Long.compare(seqOf(a), seqOf(b)));
    return out;
  }

  private static long seqOf(Path p) {
    String name = p.getFileName().toString();
    try {
      return Long.parseLong(name.substring(SEGMENT_PREFIX.length(), name.length() - SEGMENT_SUFFIX.length()));
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /**
   * {@link #close()}, then closes the sink too (its connection or pool): what the gateway does when it stops.
   */
  public void shutdown() {
    close();
    sink.close();
  }

  /**
   * Stops accepting into the queue (later offers go to the spill file), drains the queue into the sink (spilling
   * what the sink refuses), makes a last replay attempt, and waits for the writer thread up to closeTimeout. Does
   * not close the sink (see {@link #shutdown()}).
   */
  @Override
  public void close() {
    closeLock.writeLock().lock();
    try {
      closing = true;
    } finally {
      closeLock.writeLock().unlock();
    }
    try {
      thread.join(options.closeTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.log(Level.WARNING, "ledger writer did not finish within " + options.closeTimeout()
          + "; spilling the remaining queue");
      List<UsageRecord> rest = new ArrayList<>();
      queue.drainTo(rest);
      if (!rest.isEmpty()) {
        spill(rest);
      }
    }
  }
}
