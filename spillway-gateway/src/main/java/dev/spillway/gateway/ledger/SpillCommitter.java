package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.UsageRecord;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit into the spill segments, for records that must be on disk before their request's answer ends (the
 * database is known to be down, or the queue is full). {@link #append} returns at once with a stage; one thread takes
 * every record that arrived, appends them with one write and one fsync ({@link SpillSegments#append}) and completes
 * their stages. While one fsync runs the next records gather, so each record waits for at most about two fsyncs (a few
 * milliseconds on a local disk) however many requests arrive, and the event loops never touch the disk.
 *
 * <p>Every stage completes, also when the disk refuses (the record is then counted lost and logged): an answer never
 * hangs on the ledger. After {@link #close()} an append is written and synced on the caller's thread (only late
 * requests while the gateway stops). Thread-safe.
 */
final class SpillCommitter implements AutoCloseable {
  private static final Logger LOG = System.getLogger(LedgerWriter.class.getName());

  private final SpillSegments segments;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private List<Pending> waiting = new ArrayList<>(); // guarded by lock
  private boolean closed; // guarded by lock
  private final Thread thread;

  private record Pending(UsageRecord record, CompletableFuture<Void> synced) {}

  SpillCommitter(SpillSegments segments) {
    this.segments = segments;
    this.thread = new Thread(this::run, "spillway-ledger-spill");
    thread.setDaemon(true);
    thread.start();
  }

  /** A stage that completes once {@code record} is on disk (or the disk refused it). Never blocks, until closed. */
  CompletionStage<Void> append(UsageRecord record) {
    CompletableFuture<Void> synced = new CompletableFuture<>();
    lock.lock();
    try {
      if (!closed) {
        waiting.add(new Pending(record, synced));
        arrived.signal();
        return synced;
      }
    } finally {
      lock.unlock();
    }
    commit(List.of(new Pending(record, synced)));
    segments.close(); // a late record after close: keep no descriptor open
    return synced;
  }

  private void run() {
    while (true) {
      List<Pending> batch;
      lock.lock();
      try {
        while (waiting.isEmpty() && !closed) {
          arrived.awaitUninterruptibly();
        }
        if (waiting.isEmpty()) {
          return; // closed and drained
        }
        batch = waiting;
        waiting = new ArrayList<>();
      } finally {
        lock.unlock();
      }
      commit(batch);
    }
  }

  private void commit(List<Pending> batch) {
    List<UsageRecord> records = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      records.add(p.record());
    }
    try {
      segments.append(records);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.ERROR, "cannot spill " + records.size() + " usage records to " + segments.dir() + ": " + e);
    } finally {
      for (Pending p : batch) {
        p.synced().complete(null);
      }
    }
  }

  /** Commits what is waiting and stops the thread; later appends are committed on their caller's thread. */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      arrived.signal();
    } finally {
      lock.unlock();
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
