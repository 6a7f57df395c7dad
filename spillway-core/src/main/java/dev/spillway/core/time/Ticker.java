package dev.spillway.core.time;

/**
 * A monotonic source of nanoseconds, injected wherever a decision depends on elapsed time.
 *
 * <p>Production code uses {@link #systemTicker()}; tests use {@link ManualTicker} and advance it
 * explicitly, so no unit test needs to sleep. Values are only meaningful as differences.
 */
@FunctionalInterface
public interface Ticker {

  /** Current reading in nanoseconds; only differences between readings are meaningful. */
  long read();

  /** The ticker backed by {@link System#nanoTime()}. */
  static Ticker systemTicker() {
    return SystemTicker.INSTANCE;
  }
}
