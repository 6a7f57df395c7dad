package dev.spillway.gateway.time;

import dev.spillway.core.time.Scheduler;
import dev.spillway.core.time.Ticker;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.concurrent.TimeUnit;

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
        if (Vertx.currentContext() instanceof ContextInternal context && context.isEventLoopContext()
            && context.inThread()) {
          return new LoopTimer(context, task, millis);
        }
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

  /**
   * A timer set on the scheduling event loop's own Netty loop, run on its context. Each request sets two or three
   * (its attempt's total and first-byte deadlines) and nearly always cancels them; a Vert.x timer adds an entry to a
   * map all event loops share, a boxed id and two lambdas, each set and cancelled. The task runs as a Vert.x timer's
   * would: on the context, as its handler ({@code emit}).
   */
  private static final class LoopTimer implements Runnable, Handler<Void>, Scheduler.Cancellable {
    private final ContextInternal context;
    private final Runnable task;
    private final ScheduledFuture<?> future;

    LoopTimer(ContextInternal context, Runnable task, long millis) {
      this.context = context;
      this.task = task;
      this.future = context.nettyEventLoop().schedule(this, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void run() {
      context.emit(this);
    }

    @Override
    public void handle(Void ignored) {
      task.run();
    }

    @Override
    public void cancel() {
      future.cancel(false);
    }
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
