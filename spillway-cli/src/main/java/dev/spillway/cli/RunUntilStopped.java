package dev.spillway.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import sun.misc.Signal;

/** Keeps a long-running command alive until the JVM is asked to stop, then closes what it started. */
final class RunUntilStopped {
  private RunUntilStopped() {}

  /**
   * Blocks until SIGINT/SIGTERM; then closes {@code service} and {@code vertx}, in that order.
   * (Closing Vert.x last, and outside any future chain, lets the close of the service complete.)
   */
  static void await(Vertx vertx, Supplier<Future<Void>> service, String threadName) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  service.get().await();
                  vertx.close().await();
                  stopped.countDown();
                },
                threadName));
    stopped.await();
  }

  /**
   * From now on SIGHUP calls {@code reload} (the gateway reloads its config file and logs what it did); a failed reload
   * is reported and the command keeps running. Call it before saying the command is up, so that no early SIGHUP finds
   * the JVM's default action (which ends it).
   */
  static void reloadOnHangup(Supplier<? extends Future<?>> reload) {
    Signal.handle(new Signal("HUP"), signal -> reload.get()
        .onFailure(failed -> System.err.println("spillway: reload failed: " + failed.getMessage())));
  }

  /**
   * Blocks until SIGTERM or SIGINT, then stops gracefully with {@code drain} and returns (the command then exits 0, not
   * the 143 of a JVM ended by the signal); a second signal during the drain stops at once with {@code now}. Signals are
   * caught rather than left to shutdown hooks, because a hook cannot choose the exit status nor tell a second signal.
   */
  static void awaitDraining(Vertx vertx, Supplier<Future<Void>> drain, Supplier<Future<Void>> now, String threadName)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicInteger signals = new AtomicInteger();
    sun.misc.SignalHandler handler = signal -> {
      boolean first = signals.incrementAndGet() == 1;
      if (!first) {
        System.err.println("spillway: second " + signal.getName() + ", stopping now");
      }
      Thread.ofPlatform().name(threadName + (first ? "" : "-now")).start(() -> {
        try {
          (first ? drain : now).get().await();
        } catch (RuntimeException failed) {
          System.err.println("spillway: stop failed: " + failed.getMessage());
        }
        stopped.countDown();
      });
    };
    Signal.handle(new Signal("TERM"), handler);
    Signal.handle(new Signal("INT"), handler);
    stopped.await();
    vertx.close().await();
  }
}
