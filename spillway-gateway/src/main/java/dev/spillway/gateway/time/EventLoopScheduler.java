package dev.spillway.gateway.time;

import dev.spillway.core.time.Scheduler;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * The gateway's {@link Scheduler}: every task runs on the event loop that scheduled it, so request-path code stays
 * single-threaded per request.
 *
 * <p>Two forms: {@link #vertxTimers} sets a Vert.x timer (production, with the system ticker), and {@link #driving}
 * wraps another scheduler (a test's {@code ManualScheduler}) and hands each task it fires to the scheduling event loop.
 */
public final class EventLoopScheduler {
  private EventLoopScheduler() {}

  /** Vert.x timers in whole milliseconds (at least 1), measured against {@code ticker} = the system ticker. */
  public static Scheduler vertxTimers(Vertx vertx, Ticker ticker) {
    return new Scheduler() {
      @Override
      public Cancellable schedule(long delayNanos, Runnable task) {
        long millis = Math.max(1, (delayNanos + 999_999) / 1_000_000);
        long id = vertx.setTimer(millis, t -> task.run());
        return () -> vertx.cancelTimer(id);
      }

      @Override
      public Ticker ticker() {
        return ticker;
      }
    };
  }

  /**
   * Tasks that {@code driver} fires run on the event loop (context) that scheduled them; the thread that fires them
   * (a test advancing a manual clock) waits until each has run, so when the advance returns its timers are done.
   */
  public static Scheduler driving(Scheduler driver) {
    return new Scheduler() {
      @Override
      public Cancellable schedule(long delayNanos, Runnable task) {
        Context context = Vertx.currentContext();
        if (context == null) {
          return driver.schedule(delayNanos, task);
        }
        OnContext wrapped = new OnContext(context, task);
        Cancellable inner = driver.schedule(delayNanos, wrapped);
        return () -> {
          wrapped.cancelled = true;
          inner.cancel();
        };
      }

      @Override
      public Ticker ticker() {
        return driver.ticker();
      }
    };
  }

  private static final class OnContext implements Runnable {
    private final Context context;
    private final Runnable task;
    private volatile boolean cancelled;

    OnContext(Context context, Runnable task) {
      this.context = context;
      this.task = task;
    }

    @Override
    public void run() {
      if (Context.isOnEventLoopThread() && Vertx.currentContext() == context) {
        if (!cancelled) {
          task.run();
        }
        return;
      }
      java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
      context.runOnContext(
          v -> {
            try {
              if (!cancelled) {
                task.run();
              }
            } finally {
              ran.countDown();
            }
          });
      try {
        ran.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
