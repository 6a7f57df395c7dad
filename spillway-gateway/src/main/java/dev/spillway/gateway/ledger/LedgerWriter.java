package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.LedgerSink;
import dev.spillway.core.ledger.UsageRecord;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Moves usage records from request handlers to a {@link LedgerSink} without blocking them and without losing what was
 * answered.
 *
 * <p><b>While the database answers</b>, {@link #offer} hands the record to the journal's group commit ({@link
 * GroupCommitter}, its own thread: one write into the page cache for all records that arrived meanwhile, which
 * survives the process's death; {@link LedgerJournal}), which then puts it in a bounded queue; the stage it returns
 * completes once the record is journaled, microseconds later, and the answer does not wait for the database. One background thread drains the queue in
 * batches of at most {@code maxBatch} records, lingering up to {@code linger} to fill one, writes each batch to the
 * sink, waiting at most {@code writeTimeout} for it ({@link TimedSink}), and then settles the batch's journal lines.
 * Without a journal (off, or the disk refused a line) the stage completes only once the record is committed (or,
 * should that write fail, spilled), and such batches are not held back: the records that arrive while one write runs
 * make the next batch (a group commit), so an answer waits for about one insert.
 *
 * <p><b>Otherwise</b> — a write failed or did not return in time, or none has succeeded yet since start — {@link
 * #offer} does not queue in memory: the record goes to the spill's group commit ({@link GroupCommitter}) and the returned
 * stage completes once it is fsynced to a spill segment ({@link SpillSegments}), a few milliseconds later. The request
 * pipeline ends the client's answer only when that stage has completed, so <em>a request answered while the database
 * is not known to answer is on disk before its client has the answer</em>: a crash (even {@code kill -9}) loses no
 * such request. A full queue takes the same path, and when a write fails the writer spills the batch and whatever is
 * still queued. The writer replays the segments into the sink, oldest first, deleting each once all its records are
 * committed: at once when records first go to disk, then every {@code retryInterval} while that fails. A replay that
 * gets everything in shows that the database answers: offers go to memory again. Segments left by a previous process
 * in the same directory are replayed the same way. Re-writing is safe because the sinks insert on conflict do nothing.
 *
 * <p>So <em>every answered request is in the database, the journal or a spill segment before its client has the
 * answer</em>: a crash of the process loses only requests whose answers had not ended, and none of those was answered;
 * the journal's segments left by a crash are replayed at the next start like spill segments. (A crash of the machine
 * can lose journal lines not yet written back by the kernel, as it can lose SQLite's last commits in WAL mode with
 * {@code synchronous=NORMAL}; records spilled while the database is down are fsynced and survive that too.)
 *
 * <p>Thread-safe: {@link #offer} is called by the event loops and never blocks them (the disk is written by the
 * writer and the group commit threads).
 */
public final class LedgerWriter implements AutoCloseable {
  private static final Logger LOG = System.getLogger(LedgerWriter.class.getName());
  private static final long CLOSE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(25);

  private final LedgerSink sink;
  private final LedgerWriterOptions options;
  private final ArrayBlockingQueue<Queued> queue;
  private final SpillSegments segments;
  private final GroupCommitter committer;
  /** Null when there is no journal. */
  private final GroupCommitter journaling;
  private final TimedSink timedSink;
  private final SpillReplay replays;
  /** Null when off, or when the spill directory refused it at start (answers then wait for the commit). */
  private final LedgerJournal journal;
  private final long lingerNanos;
  private final Thread thread;
  private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
  private volatile boolean closing;
  /** Whether the database answers; offers are queued in memory only while it is {@link Database#ANSWERS}. */
  private volatile Database database = Database.NOT_YET_SEEN;
  private long nextReplayAtNanos; // writer thread only

  /**
   * A record in the queue: with the stage its request's answer waits for (completed once it is stored), or null when
   * no answer waits because it is journaled, in journal segment {@code journalSeq} (-1 when not journaled).
   */
  private record Queued(UsageRecord record, CompletableFuture<Void> stored, long journalSeq) {}

  /** What the writer knows about the database. */
  private enum Database {
    /** No write has succeeded since start. */
    NOT_YET_SEEN,
    /** The last write (or replay) succeeded. */
    ANSWERS,
    /** The last write failed or timed out. */
    DOWN
  }

  private final AtomicLong offered = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong overflowed = new AtomicLong();

  public LedgerWriter(LedgerSink sink, LedgerWriterOptions options) throws IOException {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.options = Objects.requireNonNull(options, "options");
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    Files.createDirectories(options.spillDir());
    int adopted = LedgerJournal.adoptLeftovers(options.spillDir());
    if (adopted > 0) {
      LOG.log(Level.INFO, "usage ledger: " + adopted + " journal segments of an earlier process are replayed into the"
          + " database (records already there are skipped)");
    }
    this.segments = new SpillSegments(options.spillDir(), options.ticker());
    this.journal = options.journal() ? new LedgerJournal(options.spillDir(), LedgerJournal.DEFAULT_SEGMENT_BYTES) : null;
    this.journaling = journal == null ? null : new GroupCommitter("spillway-ledger-journal", this::journal,
        "journal usage records in " + segments.dir(), () -> {});
    this.lingerNanos = options.linger().toNanos();
    this.committer = new GroupCommitter("spillway-ledger-spill", segments::append,
        "spill usage records to " + segments.dir(), segments::close); // a late record after close: no descriptor kept
    this.timedSink = new TimedSink(sink, options.writeTimeout());
    this.replays = new SpillReplay(segments, timedSink, options.maxBatch());
    this.nextReplayAtNanos = System.nanoTime();
    this.thread = new Thread(this::run, "spillway-ledger-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Hands a record to the ledger; never blocks and never drops. Returns a stage that completes once the record
   * survives a crash of the process: journaled while the database answers ({@link LedgerJournal}: a write into the
   * page cache, microseconds), else committed to the database (no journal) or fsynced to a spill segment. The caller
   * should not tell anyone the request is done before it completes (it always completes, also if the disk fails; such
   * records are counted in {@link #lost()}).
   */
  public CompletionStage<Void> offer(UsageRecord record) {
    Objects.requireNonNull(record, "record");
    offered.incrementAndGet();
    if (database == Database.ANSWERS && !closing) {
      if (journaling != null) {
        return journaling.append(record);
      }
      ReentrantReadWriteLock.ReadLock read = closeLock.readLock();
      if (read.tryLock()) {
        try {
          CompletableFuture<Void> stored = new CompletableFuture<>();
          if (!closing && queue.offer(new Queued(record, stored, -1))) {
            return stored;
          }
        } finally {
          read.unlock();
        }
      }
      overflowed.incrementAndGet();
    }
    return committer.append(record);
  }

  /**
   * One group commit of the journal, on its thread: appends the records with one write, then queues them for the
   * database. What the journal refuses, and what the queue cannot take (full, or the writer is closing), is spilled
   * (fsynced) instead, before the answers go on.
   */
  private void journal(List<UsageRecord> records) throws IOException {
    long seq;
    try {
      seq = journal.append(records);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot append " + records.size() + " usage records to the ledger journal in "
          + segments.dir() + " (" + e + "); spilling them");
      segments.append(records);
      return;
    }
    List<UsageRecord> refused = null;
    ReentrantReadWriteLock.ReadLock read = closeLock.readLock();
    boolean locked = read.tryLock();
    try {
      for (UsageRecord record : records) {
        if (!(locked && !closing && queue.offer(new Queued(record, null, seq)))) {
          refused = refused == null ? new ArrayList<>() : refused;
          refused.add(record);
        }
      }
    } finally {
      if (locked) {
        read.unlock();
      }
    }
    if (refused != null) {
      overflowed.addAndGet(refused.size());
      segments.append(refused); // should the disk refuse, they stay unsettled in the journal for the next start
      for (int i = 0; i < refused.size(); i++) {
        journal.settle(seq);
      }
    }
  }

  public long offered() {
    return offered.get();
  }

  /** Records committed directly by the sink (not counting replays). */
  public long written() {
    return written.get();
  }

  /** Records appended to spill segments (and synced): while the database was down, on queue overflow, at close. */
  public long spilled() {
    return segments.appendedRecords();
  }

  /** Records that bypassed the queue because it was full or the writer was closing; included in spilled. */
  public long overflowed() {
    return overflowed.get();
  }

  /** Records committed from spill segments. */
  public long replayed() {
    return replays.replayed();
  }

  /** Records that could be neither written nor spilled (local disk failure). Should stay 0. */
  public long lost() {
    return segments.failedRecords();
  }

  /** Unparseable spill lines skipped during replay (e.g. a torn line after a crash). */
  public long corruptLines() {
    return replays.corruptLines();
  }

  public int queued() {
    return queue.size();
  }

  /** Records wait on disk for the database, or it is known to be down (so the next ones will). */
  public boolean hasPendingSpill() {
    return database == Database.DOWN || segments.pending();
  }

  /**
   * What {@code /readyz} and the metrics say about the ledger.
   *
   * @param spilling true while records wait on disk for the database, or the database is known to be down
   * @param backlogRecords records not yet in the database: queued, plus spilled since start and not yet replayed
   * @param spillingSeconds how long the oldest record on disk has waited (0 when none does)
   */
  public record Health(boolean spilling, long backlogRecords, long spillingSeconds) {}

  public Health health() {
    boolean waiting = hasPendingSpill();
    long backlog = queue.size() + Math.max(0, spilled() - replays.replayed());
    long seconds = waiting ? segments.oldestAgeNanos() / 1_000_000_000L : 0;
    return new Health(waiting, backlog, seconds);
  }

  private void run() {
    long pollNanos = Math.max(1, Math.min(options.maxDelay().toNanos(), options.retryInterval().toNanos()));
    List<Queued> batch = new ArrayList<>(options.maxBatch());
    while (true) {
      boolean stopping = closing;
      try {
        batch.clear();
        drain(batch, stopping ? 0 : pollNanos);
        if (!batch.isEmpty()) {
          writeOrSpill(batch);
        }
        if (segments.pending() && System.nanoTime() - nextReplayAtNanos >= 0) {
          replay();
        }
      } catch (RuntimeException e) {
        LOG.log(Level.ERROR, "ledger writer loop error", e);
      }
      if (stopping && queue.isEmpty()) {
        break;
      }
    }
    if (journaling != null) {
      journaling.close(); // what it still held is spilled (the writer is closing), not queued
    }
    // Records handed to the group commit just before close may not be on disk yet: commit them first, so that the
    // last replay sees them (later appends are committed on their caller's thread).
    committer.close();
    if (segments.pending()) {
      timedSink.awaitIdle(options.closeTimeout().dividedBy(2)); // a write abandoned moments ago may still end well
      replay(); // last chance before shutdown; on failure the segments stay on disk for the next start
    }
    if (journal != null) {
      journal.close(); // every queued record is settled by now: its segments go
    }
    segments.close();
    timedSink.close();
  }

  /**
   * Takes the first record to come (waiting at most {@code firstWaitNanos}) and whatever else is queued, up to {@code
   * maxBatch}. While no record taken holds an answer back (they are journaled), it lingers up to {@code linger} for
   * more, sleeping rather than waking for each record, so that one commit takes many; otherwise it does not linger.
   */
  private void drain(List<Queued> batch, long firstWaitNanos) {
    Queued first = poll(System.nanoTime() + firstWaitNanos);
    if (first == null) {
      return;
    }
    batch.add(first);
    queue.drainTo(batch, options.maxBatch() - 1);
    long until = System.nanoTime() + lingerNanos;
    while (batch.size() < options.maxBatch() && noneWaits(batch) && !closing) {
      long left = until - System.nanoTime();
      if (left <= 0) {
        break;
      }
      LockSupport.parkNanos(Math.min(left, CLOSE_CHECK_NANOS));
      queue.drainTo(batch, options.maxBatch() - batch.size());
    }
  }

  private static boolean noneWaits(List<Queued> batch) {
    for (Queued q : batch) {
      if (q.stored() != null) {
        return false;
      }
    }
    return true;
  }

  /** Polls until the deadline in short slices so that close() is noticed promptly without interrupting. */
  private Queued poll(long deadlineNanos) {
    while (true) {
      Queued r = queue.poll();
      if (r != null) {
        return r;
      }
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0 || closing) {
        return null;
      }
      try {
        r = queue.poll(Math.min(remaining, CLOSE_CHECK_NANOS), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        // close() does not interrupt; keep going until the queue is drained
      }
      if (r != null) {
        return r;
      }
    }
  }

  /** Writes a batch, or spills it (and goes on spilling) when the database is down or turns out to be. */
  private void writeOrSpill(List<Queued> batch) {
    List<UsageRecord> records = batch.stream().map(Queued::record).toList();
    if (database != Database.ANSWERS) {
      spill(records); // queued before the writer knew; the sink is tried again by the next replay
    } else {
      TimedSink.Result result = timedSink.write(records);
      if (result == TimedSink.Result.WRITTEN) {
        written.addAndGet(records.size());
      } else {
        wentDown(result);
        spill(records);
      }
    }
    stored(batch);
  }

  /**
   * Lets the answers of {@code batch} end and settles its journaled records: they are in the database or on disk (or
   * the disk refused, logged).
   */
  private void stored(List<Queued> batch) {
    for (Queued q : batch) {
      if (q.stored() != null) {
        q.stored().complete(null);
      }
      if (q.journalSeq() >= 0) {
        journal.settle(q.journalSeq());
      }
    }
  }

  /** A write failed: from now on records go to disk first, and the sink is tried again after the retry interval. */
  private void wentDown(TimedSink.Result result) {
    nextReplayAtNanos = System.nanoTime() + options.retryInterval().toNanos();
    if (database == Database.DOWN) {
      return;
    }
    database = Database.DOWN;
    LOG.log(Level.WARNING, "usage ledger: the database " + why(result) + "; spilling usage records to "
        + segments.dir() + " (each fsynced before its answer ends) and trying again every "
        + options.retryInterval().toMillis() + " ms");
  }

  private String why(TimedSink.Result result) {
    return switch (result) {
      case TIMED_OUT, BUSY -> "did not answer within " + options.writeTimeout().toMillis() + " ms";
      default -> "failed (" + timedSink.lastFailure() + ")";
    };
  }

  /** Appends records to disk from the writer thread (synced before it returns). */
  private void spill(List<UsageRecord> records) {
    try {
      segments.append(records);
    } catch (IOException e) {
      LOG.log(Level.ERROR, "cannot spill " + records.size() + " usage records to " + segments.dir() + ": " + e);
    }
  }

  /** Replays the spill segments; the database answers again once all are in. Writer thread only. */
  private void replay() {
    TimedSink.Result result = replays.replayAll();
    if (result == null) {
      nextReplayAtNanos = System.nanoTime() + options.retryInterval().toNanos(); // the local disk, logged
      return;
    }
    if (result != TimedSink.Result.WRITTEN) {
      wentDown(result);
      return;
    }
    if (database == Database.DOWN) {
      LOG.log(Level.INFO, "usage ledger: the database answers again; " + replays.replayed()
          + " spilled records replayed since start");
    }
    database = Database.ANSWERS; // offers go to memory again; what came to disk meanwhile is replayed next
    segments.replayed();
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
      List<Queued> rest = new ArrayList<>();
      queue.drainTo(rest);
      spill(rest.stream().map(Queued::record).toList());
      stored(rest);
    }
  }
}
