package dev.spillway.core.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} on a {@link ManualTicker}: tasks run only when a test calls {@link #advance},
 * in order of their due time, on the thread that advances (the gateway's adapter hands each to its
 * event loop). A task scheduled by a task with a due time already passed runs in the same advance.
 * Thread-safe.
 */
public final class ManualScheduler implements Scheduler {
  private final ManualTicker ticker;
  private final PriorityQueue<Entry> queue =
      new PriorityQueue<>(Comparator.comparingLong(Entry::dueNanos).thenComparingLong(Entry::sequence));
  private long sequence;

  public ManualScheduler(ManualTicker ticker) {
    this.ticker = ticker;
  }

  @Override
  public ManualTicker ticker() {
    return ticker;
  }

  @Override
  public synchronized Cancellable schedule(long delayNanos, Runnable task) {
    if (delayNanos < 0) {
      throw new IllegalArgumentException("delay cannot be negative: " + delayNanos);
    }
    Entry entry = new Entry(ticker.read() + delayNanos, sequence++, task);
    queue.add(entry);
    return () -> {
      synchronized (this) {
        queue.remove(entry);
      }
    };
  }

  /** Tasks scheduled and not yet run or cancelled. */
  public synchronized int pending() {
    return queue.size();
  }

  /** Nanoseconds until the earliest pending task is due, or -1 when none is pending. */
  public synchronized long nanosUntilNext() {
    Entry next = queue.peek();
    return next == null ? -1 : Math.max(0, next.dueNanos() - ticker.read());
  }

  /** Moves the ticker forward by {@code amount}, running every task that falls due on the way. */
  public void advance(Duration amount) {
    long target = ticker.read() + amount.toNanos();
    while (true) {
      List<Runnable> due = new ArrayList<>();
      synchronized (this) {
        Entry next = queue.peek();
        if (next == null || next.dueNanos() > target) {
          break;
        }
        long now = ticker.read();
        if (next.dueNanos() > now) {
          ticker.advance(Duration.ofNanos(next.dueNanos() - now));
        }
        while (!queue.isEmpty() && queue.peek().dueNanos() <= ticker.read()) {
          due.add(queue.poll().task());
        }
      }
      due.forEach(Runnable::run);
    }
    long now = ticker.read();
    if (target > now) {
      ticker.advance(Duration.ofNanos(target - now));
    }
  }

  public void advanceMillis(long millis) {
    advance(Duration.ofMillis(millis));
  }

  private record Entry(long dueNanos, long sequence, Runnable task) {}
}
