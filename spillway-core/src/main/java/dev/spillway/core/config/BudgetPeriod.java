package dev.spillway.core.config;

import dev.spillway.core.limits.LimitKind;
import dev.spillway.core.limits.Window;
import java.util.Locale;

/**
 * The calendar period a PAYG budget ({@code paygBudget}) covers, in UTC: a day, an ISO week (from Monday 00:00) or a
 * month (from the first at 00:00). Spend starts again from zero when a new period starts. The windows are the ones
 * token quotas use ({@link Window}), so a budget and a quota of the same period always turn over together.
 */
public enum BudgetPeriod {
  DAY(LimitKind.TOKENS_PER_DAY, "today"),
  WEEK(LimitKind.TOKENS_PER_WEEK, "this week"),
  MONTH(LimitKind.TOKENS_PER_MONTH, "this month");

  private final LimitKind window;
  private final String current;

  BudgetPeriod(LimitKind window, String current) {
    this.window = window;
    this.current = current;
  }

  /** The key used in config and metric labels: {@code day}, {@code week}, {@code month}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The period that contains {@code epochMillis}. */
  public Window windowAt(long epochMillis) {
    return Window.of(window, epochMillis);
  }

  /** Words for the current period in a message: "today", "this week", "this month". */
  public String current() {
    return current;
  }
}
