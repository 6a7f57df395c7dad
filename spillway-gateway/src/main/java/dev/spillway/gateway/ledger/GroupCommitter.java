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
 * A group commit of usage records on a thread of its own, for records that must be somewhere durable before their
 * request's answer ends: the fsynced spill segments (the database is known to be down, or the queue is full), or the
 * journal (the database answers; {@link LedgerJournal}). {@link #append} returns at once with a stage; the thread takes
 * every record that arrived, hands them to the {@link Action} at once (one write, and for the spill one fsync) and then
 * completes their stages. While one action runs the next records gather, so each record waits for at most about two
 * actions however many requests arrive, and the event loops never touch the disk.
 *
 * <p>Every stage completes, also when the action fails (it is then logged; the action counts what it lost): an answer
 * never hangs on the ledger. After {@link #close()} an append is committed on the caller's thread (only late requests
 * while the gateway stops), then {@code afterLate} runs. Thread-safe.
 */
final class GroupCommitter implements AutoCloseable {
  private static final Logger LOG = System.getLogger(LedgerWriter.class.getName());

  /** What one group commit does with its records; a failure is logged and the records' stages complete anyway. */
  interface Action {
    void commit(List<UsageRecord> records) throws IOException;
  }

  private final Action action;
  private final String what;
  private final Runnable afterLate;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private List<Pending> waiting = new ArrayList<>(); // guarded by lock
  private boolean closed; // guarded by lock
  private final Thread thread;

  private record Pending(UsageRecord record, CompletableFuture<Void> done) {}

  /**
   * @param threadName the committing thread's name
   * @param action what a group commit does
   * @param what what the action does, for the log line of a failure (e.g. "spill usage records to /x")
   * @param afterLate runs after a late append (after close) was committed on its caller's thread
   */
  GroupCommitter(String threadName, Action action, String what, Runnable afterLate) {
    this.action = action;
    this.what = what;
    this.afterLate = afterLate;
    this.thread = new Thread(this::run, threadName);
    thread.setDaemon(true);
    thread.start();
  }

  /** A stage that completes once {@code record} is committed (or the action failed). Never blocks, until closed. */
  CompletionStage<Void> append(UsageRecord record) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    lock.lock();
    try {
      if (!closed) {
        waiting.add(new Pending(record, done));
        arrived.signal();
        return done;
      }
    } finally {
      lock.unlock();
    }
    commit(List.of(new Pending(record, done)));
    afterLate.run();
    return done;
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
      action.commit(records);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.ERROR, "cannot " + what + " (" + records.size() + " records): " + e);
    } finally {
      for (Pending p : batch) {
        p.done().complete(null);
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
