package dev.spillway.core.config;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Whether a consumer or a team may be served by pay-as-you-go when the PTU capacity is full, and how much PAYG it may
 * spend per period. A request is closed to PAYG when its consumer's rights or its team's deny it (both apply; deny
 * wins, every budget is checked); it then waits for PTU or gets 429, never a silent PAYG answer.
 *
 * @param paygAllowed {@code payg: allow} (the default) or {@code deny}
 * @param paygBudget {@code paygBudget}: the most PAYG spend per period, in {@code costs.currency}, priced with {@code
 *     costs.payg}; each amount positive; empty for no budget
 */
public record SpillRights(boolean paygAllowed, Map<BudgetPeriod, BigDecimal> paygBudget) {
  /** PAYG allowed, no budget: what a consumer or team without these keys has. */
  public static final SpillRights NONE = new SpillRights(true, Map.of());

  public SpillRights {
    Objects.requireNonNull(paygBudget, "paygBudget");
    EnumMap<BudgetPeriod, BigDecimal> copy = new EnumMap<>(BudgetPeriod.class);
    paygBudget.forEach((period, amount) -> {
      if (Objects.requireNonNull(amount, "amount").signum() <= 0) {
        throw new IllegalArgumentException(
            "a PAYG budget must be more than 0 (use payg: deny to close PAYG), got " + amount.toPlainString());
      }
      copy.put(Objects.requireNonNull(period, "period"), amount);
    });
    paygBudget = Collections.unmodifiableMap(copy);
  }

  /** Rights with PAYG denied and no budget. */
  public static SpillRights denied() {
    return new SpillRights(false, Map.of());
  }

  /** Rights with PAYG allowed up to {@code paygBudget}. */
  public static SpillRights budget(Map<BudgetPeriod, BigDecimal> paygBudget) {
    return new SpillRights(true, paygBudget);
  }

  /** True when these rights limit PAYG at all (a deny or a budget). */
  public boolean restricts() {
    return !paygAllowed || !paygBudget.isEmpty();
  }
}
