package dev.spillway.core.time;

/**
 * Runs a task once after a delay measured on a {@link Ticker}: the one way the request path sets a
 * timer (PTU waits, first-byte, idle and total timeouts, the body deadline), so that a test moving a
 * {@link ManualScheduler} moves every timer with the clock and never sleeps.
 *
 * <p>Implementations say on which thread tasks run; the gateway's adapter runs each on the event
 * loop that scheduled it.
 */
public interface Scheduler {

  /** A scheduled task; cancelling one that already ran or was cancelled does nothing. */
  @FunctionalInterface
  interface Cancellable {
    Cancellable DONE = () -> {};

    void cancel();
  }

  /**
   * Runs {@code task} once {@code delayNanos} have passed on this scheduler's ticker.
   *
   * @param delayNanos at least 0
   */
  Cancellable schedule(long delayNanos, Runnable task);

  /** The ticker whose readings the delays are measured on. */
  Ticker ticker();
}
