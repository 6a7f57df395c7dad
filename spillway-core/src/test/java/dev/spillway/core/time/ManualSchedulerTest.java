package dev.spillway.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {
  private final ManualTicker ticker = new ManualTicker(1_000L);
  private final ManualScheduler scheduler = new ManualScheduler(ticker);
  private final List<String> ran = new ArrayList<>();

  @Test
  void tasksRunOnlyWhenTheClockPassesTheirDueTimeInOrderOfDueTime() {
    scheduler.schedule(300, () -> ran.add("b@" + ticker.read()));
    scheduler.schedule(100, () -> ran.add("a@" + ticker.read()));
    scheduler.schedule(500, () -> ran.add("c@" + ticker.read()));

    scheduler.advance(java.time.Duration.ofNanos(299));
    assertThat(ran).containsExactly("a@1100");
    assertThat(scheduler.nanosUntilNext()).isEqualTo(1);

    scheduler.advance(java.time.Duration.ofNanos(1_000));
    assertThat(ran).containsExactly("a@1100", "b@1300", "c@1500");
    assertThat(ticker.read()).isEqualTo(2_299);
    assertThat(scheduler.pending()).isZero();
    assertThat(scheduler.nanosUntilNext()).isEqualTo(-1);
  }

  @Test
  void aCancelledTaskNeverRunsAndATaskMaySetTheNextInTheSameAdvance() {
    Scheduler.Cancellable cancelled = scheduler.schedule(10, () -> ran.add("cancelled"));
    scheduler.schedule(20, () -> scheduler.schedule(30, () -> ran.add("chained@" + ticker.read())));
    cancelled.cancel();

    scheduler.advanceMillis(1);
    assertThat(ran).containsExactly("chained@1050");
  }
}
