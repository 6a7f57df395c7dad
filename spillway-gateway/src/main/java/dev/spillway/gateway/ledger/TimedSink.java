package dev.spillway.gateway.ledger;

import dev.spillway.core.ledger.LedgerSink;
import dev.spillway.core.ledger.UsageRecord;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The ledger sink under a deadline: a write that has not returned after {@code writeTimeout} counts as failed, whatever
 * the driver does. A database that stops answering (a dead host, a network that drops packets, a pool waiting for a
 * connection) blocks JDBC for as long as its own timeouts say, which are in seconds and not all of them settable below
 * that (HikariCP waits at least 250 ms for a connection, the PostgreSQL driver counts its timeouts in seconds, a
 * migration connects on its own). So the write runs on a thread of its own and the writer waits for it only this long:
 * then it spills the batch, and the abandoned write ends when the driver gives up. If it committed after all, replaying
 * the spilled copy inserts nothing (the sinks insert on conflict do nothing).
 *
 * <p>Until a write has succeeded once, a write may take up to {@link #FIRST_WRITE_TIMEOUT} (if the write timeout is
 * shorter): the first one also connects and creates or migrates the schema, which takes a second or two on a new
 * PostgreSQL database. One write at a time: while an abandoned write is still running, a new one is refused at once
 * ({@link Result#BUSY}), since the database is evidently not answering. Called by the ledger writer's thread only.
 */
final class TimedSink implements AutoCloseable {
  /** How a write ended. */
  enum Result {
    WRITTEN,
    /** The sink threw: {@link #lastFailure()} says why. */
    FAILED,
    /** No answer within the write timeout. */
    TIMED_OUT,
    /** An earlier write that timed out is still waiting for the database. */
    BUSY
  }

  static final Duration FIRST_WRITE_TIMEOUT = Duration.ofSeconds(5);

  private final LedgerSink sink;
  private final long timeoutNanos;
  private final long firstTimeoutNanos;
  private boolean answered;
  private final ExecutorService thread;
  private Future<?> inFlight;
  private String lastFailure = "";

  TimedSink(LedgerSink sink, Duration writeTimeout) {
    this.sink = sink;
    this.timeoutNanos = writeTimeout.toNanos();
    this.firstTimeoutNanos = Math.max(timeoutNanos, FIRST_WRITE_TIMEOUT.toNanos());
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "spillway-ledger-sink");
      t.setDaemon(true);
      return t;
    });
  }

  /** Writes {@code batch} (copied: the caller may reuse its list), waiting at most the write timeout. */
  Result write(List<UsageRecord> batch) {
    if (inFlight != null && !inFlight.isDone()) {
      return Result.BUSY;
    }
    List<UsageRecord> copy = List.copyOf(batch);
    inFlight = thread.submit(() -> {
      sink.write(copy);
      return null;
    });
    try {
      inFlight.get(answered ? timeoutNanos : firstTimeoutNanos, TimeUnit.NANOSECONDS);
      answered = true;
      return Result.WRITTEN;
    } catch (TimeoutException e) {
      return Result.TIMED_OUT;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      String message = cause.getMessage() == null ? "" : cause.getMessage().lines().findFirst().orElse("");
      lastFailure = message.isBlank() ? cause.getClass().getSimpleName() : message.strip(); // one log line
      return Result.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      lastFailure = "interrupted";
      return Result.FAILED;
    }
  }

  /** Waits up to {@code limit} for an abandoned write to end, so that the next write is not refused as busy. */
  void awaitIdle(Duration limit) {
    if (inFlight == null || inFlight.isDone()) {
      return;
    }
    try {
      inFlight.get(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // still stuck, or failed: the next write says so
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Why the last {@link Result#FAILED} write failed: the sink's message (never SQL text or values). */
  String lastFailure() {
    return lastFailure;
  }

  /** Stops the sink thread; a write still waiting for the database is interrupted. Does not close the sink. */
  @Override
  public void close() {
    thread.shutdownNow();
  }
}
