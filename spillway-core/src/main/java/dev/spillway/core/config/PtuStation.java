package dev.spillway.core.config;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How a model's requests wait for its PTU backends when they are full.
 *
 * <p>With {@link Mode#STATION} (the default) a request that finds every PTU full is given an expected admission time
 * from the work queued ahead of it and the PTU's drain rate; it joins the queue only when that time is within its
 * class's budget and the PTU is not under a sustained overload, and spills to PAYG at once otherwise. {@link
 * Mode#FIXED} is the earlier rule, kept for comparison: wait once for any throttled PTU that frees within the budget.
 *
 * @param mode station or fixed
 * @param budgets the wait budget of each priority class ({@code maxWaitForPtu})
 * @param reserveForCriticalPercent the share of PTU capacity kept for critical requests: while a PTU reports a
 *     utilization above {@code 100 − share}, standard and batch requests do not take it; 0 = no reserve
 * @param demandWindow how far back the station averages offered load to tell a burst from a sustained overload
 */
public record PtuStation(
    Mode mode, Map<PriorityClass, Duration> budgets, double reserveForCriticalPercent, Duration demandWindow) {

  /** How requests wait for PTU. */
  public enum Mode {
    STATION,
    FIXED;

    public String id() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static final Duration DEFAULT_DEMAND_WINDOW = Duration.ofSeconds(60);

  /** No waiting at all: what a model without {@code maxWaitForPtu} gets. */
  public static final PtuStation NO_WAIT = ofBudget(Mode.STATION, Duration.ZERO);

  public PtuStation {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(demandWindow, "demandWindow");
    EnumMap<PriorityClass, Duration> copy = new EnumMap<>(PriorityClass.class);
    for (PriorityClass c : PriorityClass.values()) {
      Duration d = Objects.requireNonNull(budgets.get(c), () -> "budget of class " + c.id());
      if (d.isNegative()) {
        throw new IllegalArgumentException("maxWaitForPtu cannot be negative");
      }
      copy.put(c, d);
    }
    budgets = java.util.Collections.unmodifiableMap(copy);
    if (!(reserveForCriticalPercent >= 0 && reserveForCriticalPercent < 100)) {
      throw new IllegalArgumentException("reserveForCritical must be at least 0 % and below 100 %");
    }
    if (demandWindow.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException("the demand window must be at least 2s");
    }
  }

  /**
   * The budgets one duration gives: {@code standard} waits {@code d}, {@code critical} twice as long (it matters
   * most, and is the traffic the PTU is bought for), {@code batch} not at all (it spills first).
   */
  public static PtuStation ofBudget(Mode mode, Duration d) {
    return new PtuStation(mode, budgets(d.multipliedBy(2), d, Duration.ZERO), 0, DEFAULT_DEMAND_WINDOW);
  }

  public static Map<PriorityClass, Duration> budgets(Duration critical, Duration standard, Duration batch) {
    return Map.of(PriorityClass.CRITICAL, critical, PriorityClass.STANDARD, standard, PriorityClass.BATCH, batch);
  }

  public Duration budget(PriorityClass priority) {
    return budgets.get(priority);
  }

  /** The longest budget of any class. */
  public Duration longestBudget() {
    return budgets.values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
  }

  public PtuStation withReserveForCritical(double percent) {
    return new PtuStation(mode, budgets, percent, demandWindow);
  }

  public PtuStation withDemandWindow(Duration window) {
    return new PtuStation(mode, budgets, reserveForCriticalPercent, window);
  }
}
