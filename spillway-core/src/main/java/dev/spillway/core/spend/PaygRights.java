package dev.spillway.core.spend;

import dev.spillway.core.config.BudgetPeriod;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.SpillRights;
import dev.spillway.core.config.TeamConfig;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The spill rights that apply to one caller: its consumer's own and its team's, both at once. Pure: which rule closes
 * PAYG, which budgets to look up, and whether the spend read for them closes PAYG.
 *
 * <p>Order of the reasons: a consumer's deny, then its team's deny, then each budget in turn (the consumer's, then
 * the team's; day, week, month). The first that applies is the one the client reads.
 *
 * @param consumer the consumer's id
 * @param own the consumer's own rights
 * @param team the consumer's team
 * @param teamRights the team's rights ({@link SpillRights#NONE} when the team is not under {@code teams:})
 */
public record PaygRights(String consumer, SpillRights own, String team, SpillRights teamRights) {
  public PaygRights {
    Objects.requireNonNull(consumer, "consumer");
    Objects.requireNonNull(own, "own");
    Objects.requireNonNull(team, "team");
    Objects.requireNonNull(teamRights, "teamRights");
  }

  /** The rights of {@code consumer}, with its team's rules when {@code team} has any. */
  public static PaygRights of(ConsumerConfig consumer, Optional<TeamConfig> team) {
    return new PaygRights(
        consumer.id(), consumer.spillRights(), consumer.team(), team.map(TeamConfig::spillRights).orElse(SpillRights.NONE));
  }

  /** True when anything limits this caller's PAYG (otherwise nothing needs to be looked up). */
  public boolean restricts() {
    return own.restricts() || teamRights.restricts();
  }

  /** Why PAYG is closed whatever the spend ({@code payg: deny}), when it is. */
  public Optional<String> closedByRule() {
    if (!own.paygAllowed()) {
      return Optional.of("consumer " + consumer + " may not use pay-as-you-go (payg: deny)");
    }
    if (!teamRights.paygAllowed()) {
      return Optional.of("team " + team + " may not use pay-as-you-go (payg: deny)");
    }
    return Optional.empty();
  }

  /** Every budget that applies: the consumer's, then the team's, each by period. */
  public List<PaygBudget> budgets() {
    List<PaygBudget> budgets = new ArrayList<>();
    add(budgets, false, consumer, own.paygBudget());
    add(budgets, true, team, teamRights.paygBudget());
    return budgets;
  }

  /**
   * Why PAYG is closed by spend, when a budget is used up.
   *
   * @param spentMicros the spend of each of {@code budgets}' counters, in the same order
   * @param currency {@code costs.currency}, for the message
   */
  public static Optional<String> closedByBudget(List<PaygBudget> budgets, List<Long> spentMicros, String currency) {
    if (budgets.size() != spentMicros.size()) {
      throw new IllegalArgumentException(budgets.size() + " budgets but " + spentMicros.size() + " amounts");
    }
    for (int i = 0; i < budgets.size(); i++) {
      if (budgets.get(i).usedUpBy(spentMicros.get(i))) {
        return Optional.of(budgets.get(i).usedUpReason(currency));
      }
    }
    return Optional.empty();
  }

  private static void add(List<PaygBudget> into, boolean team, String owner, Map<BudgetPeriod, BigDecimal> budget) {
    budget.forEach((period, amount) -> into.add(new PaygBudget(team, owner, period, amount)));
  }
}
