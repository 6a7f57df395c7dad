package dev.spillway.core.spend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BudgetPeriod;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.SpillRights;
import dev.spillway.core.config.TeamConfig;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rules alone: a deny wins, both the consumer's and the team's rights apply, each budget is checked. */
class PaygRightsTest {
  private static ConsumerConfig consumer(String id, String team, SpillRights rights) {
    return ConsumerConfig.builder().id(id).team(team).models(List.of("*")).spillRights(rights).build();
  }

  private static SpillRights budget(BudgetPeriod period, String amount) {
    return SpillRights.budget(Map.of(period, new BigDecimal(amount)));
  }

  @Test
  void withoutRulesNothingIsRestrictedOrLookedUp() {
    PaygRights rights = PaygRights.of(consumer("app", "retail", SpillRights.NONE), Optional.empty());
    assertThat(rights.restricts()).isFalse();
    assertThat(rights.closedByRule()).isEmpty();
    assertThat(rights.budgets()).isEmpty();
  }

  @Test
  void aDenyOfTheConsumerOrOfItsTeamClosesPaygWhateverTheBudgets() {
    assertThat(PaygRights.of(consumer("app", "retail", SpillRights.denied()), Optional.empty()).closedByRule())
        .contains("consumer app may not use pay-as-you-go (payg: deny)");
    TeamConfig interns = new TeamConfig("interns", SpillRights.denied());
    assertThat(PaygRights.of(consumer("bot", "interns", budget(BudgetPeriod.MONTH, "100")), Optional.of(interns)).closedByRule())
        .contains("team interns may not use pay-as-you-go (payg: deny)");
  }

  @Test
  void theConsumersAndTheTeamsBudgetsAreEachChecked() {
    TeamConfig finance = new TeamConfig("finance", budget(BudgetPeriod.MONTH, "500"));
    PaygRights rights = PaygRights.of(consumer("reports", "finance", budget(BudgetPeriod.DAY, "20")), Optional.of(finance));
    List<PaygBudget> budgets = rights.budgets();
    assertThat(budgets).extracting(PaygBudget::ownerKey).containsExactly("consumer:reports", "team:finance");

    assertThat(PaygRights.closedByBudget(budgets, List.of(19_999_999L, 499_999_999L), "USD")).isEmpty();
    assertThat(PaygRights.closedByBudget(budgets, List.of(20_000_000L, 0L), "USD"))
        .contains("consumer reports has used its PAYG budget for today (20.00 USD)");
    assertThat(PaygRights.closedByBudget(budgets, List.of(0L, 500_000_001L), "EUR"))
        .contains("team finance has used its PAYG budget for this month (500.00 EUR)");
  }

  @Test
  void aBudgetShowsItsOwnDecimalsAndCountsInMillionths() {
    PaygBudget tiny = new PaygBudget(true, "t", BudgetPeriod.WEEK, new BigDecimal("0.0125"));
    assertThat(tiny.amountMicros()).isEqualTo(12_500);
    assertThat(tiny.usedUpReason("USD")).isEqualTo("team t has used its PAYG budget for this week (0.0125 USD)");
    assertThat(Micros.of(new BigDecimal("0.0000005"))).isZero(); // half-even
    assertThat(Micros.of(new BigDecimal("0.0000015"))).isEqualTo(2);
    assertThat(Micros.toAmount(12_500)).isEqualByComparingTo("0.0125");
  }
}
