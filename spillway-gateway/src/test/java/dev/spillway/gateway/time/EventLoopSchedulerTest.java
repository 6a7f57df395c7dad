package dev.spillway.gateway.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.time.Scheduler;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The production scheduler on real Vert.x timers: where a task runs, and that a cancelled one does not. */
class EventLoopSchedulerTest {
  private final Vertx vertx = Vertx.vertx();
  private final Scheduler scheduler = EventLoopScheduler.vertxTimers(vertx, Ticker.systemTicker());

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void runsATaskOnTheEventLoopContextThatScheduledIt() throws Exception {
    Context context = vertx.getOrCreateContext();
    CompletableFuture<Boolean> sameContext = new CompletableFuture<>();
    context.runOnContext(v -> scheduler.schedule(1_000_000, () -> sameContext.complete(Vertx.currentContext() == context
        && Context.isOnEventLoopThread())));
    assertThat(sameContext.get(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aCancelledTaskDoesNotRunWhileALaterOneDoes() throws Exception {
    Context context = vertx.getOrCreateContext();
    AtomicBoolean cancelledRan = new AtomicBoolean();
    CompletableFuture<Boolean> later = new CompletableFuture<>();
    context.runOnContext(v -> {
      Scheduler.Cancellable first = scheduler.schedule(1_000_000, () -> cancelledRan.set(true));
      scheduler.schedule(20_000_000, () -> later.complete(cancelledRan.get()));
      first.cancel();
    });
    assertThat(later.get(10, TimeUnit.SECONDS)).as("the cancelled task ran").isFalse();
  }

  @Test
  void aTaskScheduledOffTheEventLoopStillRuns() throws Exception {
    CompletableFuture<Boolean> ran = new CompletableFuture<>();
    scheduler.schedule(1_000_000, () -> ran.complete(true));
    assertThat(ran.get(10, TimeUnit.SECONDS)).isTrue();
  }
}
