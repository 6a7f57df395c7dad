package dev.spillway.cli;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

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
}
