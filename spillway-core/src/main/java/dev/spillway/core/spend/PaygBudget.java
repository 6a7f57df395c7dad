package dev.spillway.core.spend;

import dev.spillway.core.config.BudgetPeriod;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One PAYG budget that applies to a caller: a consumer's own, or its team's (shared by every consumer of the team).
 *
 * @param team true for a team's budget
 * @param owner the consumer's id or the team's name
 * @param period the calendar period it covers
 * @param amount the most that may be spent in a period, in {@code costs.currency}; positive
 */
public record PaygBudget(boolean team, String owner, BudgetPeriod period, BigDecimal amount) {
  public PaygBudget {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(amount, "amount");
    if (amount.signum() <= 0) {
      throw new IllegalArgumentException("a PAYG budget must be positive, got " + amount.toPlainString());
    }
  }

  /** The key its spend is counted under. */
  public String ownerKey() {
    return team ? SpendCounter.team(owner) : SpendCounter.consumer(owner);
  }

  /** The counter of the period that contains {@code nowEpochMillis}. */
  public SpendCounter counterAt(long nowEpochMillis) {
    return new SpendCounter(ownerKey(), period.windowAt(nowEpochMillis));
  }

  /** {@link #amount} in millionths. */
  public long amountMicros() {
    return Micros.of(amount);
  }

  /** True once {@code spentMicros} has reached the budget: no more PAYG this period. */
  public boolean usedUpBy(long spentMicros) {
    return spentMicros >= amountMicros();
  }

  /** Why PAYG is closed once it is used up, for the client: "team finance has used its PAYG budget for this month (500.00 USD)". */
  public String usedUpReason(String currency) {
    BigDecimal shown = amount.setScale(Math.max(2, amount.stripTrailingZeros().scale()));
    return (team ? "team " : "consumer ") + owner + " has used its PAYG budget for " + period.current() + " ("
        + shown.toPlainString() + " " + currency + ")";
  }
}
