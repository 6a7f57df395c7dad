package dev.spillway.core.spend;

import dev.spillway.core.limits.Window;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One spend total: whose it is and over which calendar period. A new period is a new counter, so spend starts again
 * from zero without anything being reset, and a store can let a counter expire once its period is over.
 *
 * @param owner {@link #consumer} or {@link #team} of a name
 * @param window the period, {@code [start, end)} in epoch millis
 */
public record SpendCounter(String owner, Window window) {
  public SpendCounter {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(window, "window");
    if (owner.isEmpty()) {
      throw new IllegalArgumentException("a spend counter needs an owner");
    }
  }

  /** The owner key of a consumer's own spend. */
  public static String consumer(String id) {
    return "consumer:" + id;
  }

  /** The owner key of a team's spend (all of its consumers together). */
  public static String team(String name) {
    return "team:" + name;
  }

  /** @throws IllegalArgumentException when a counter appears twice (it would be added to twice) */
  public static void requireDistinct(List<SpendCounter> counters) {
    if (new HashSet<>(counters).size() != counters.size()) {
      throw new IllegalArgumentException("spend counters must be distinct: " + counters);
    }
  }
}
