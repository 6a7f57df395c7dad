package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code payg} and {@code paygBudget} on consumers and under {@code teams:}, and the check of budgets against prices. */
class SpillRightsKeysTest {
  private static final String MODELS = """
      models:
        gpt-4o:
          backends:
            - { id: ptu, url: https://a.example, deployment: d, tier: ptu }
            - { id: payg, url: https://a.example, deployment: d, tier: payg }
        mini:
          backends:
            - { id: mini-payg, url: https://a.example, deployment: m, tier: payg }
        ptu-only:
          backends:
            - { id: ptu-2, url: https://a.example, deployment: p, tier: ptu }
      auth:
        keyPepper: pepper-0123456789abcdef
      """;
  private static final String PRICES = """
      costs:
        currency: EUR
        payg:
          gpt-4o: { input: 0.0025, output: 0.01 }
          mini: { input: 0.00015, output: 0.0006 }
      """;

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "spillway.yaml", name -> null);
  }

  private static List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).as("expected problems").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void aConsumersPaygRuleAndBudgetAndTheTeamsAreRead() {
    SpillwayConfig config = parse(PRICES + """
        consumers:
          - id: search
            team: retail
            models: ["*"]
            payg: deny
          - id: reports
            team: finance
            models: [gpt-4o]
            paygBudget: { day: 20, month: 250.50 }
          - id: chat
            team: retail
            models: [mini]
        teams:
          finance:
            payg: allow
            paygBudget: { week: 100, month: 500 }
          interns:
            payg: deny
        """);
    assertThat(config.consumer("search").orElseThrow().spillRights()).isEqualTo(SpillRights.denied());
    assertThat(config.consumer("reports").orElseThrow().spillRights())
        .isEqualTo(SpillRights.budget(Map.of(BudgetPeriod.DAY, new BigDecimal("20"), BudgetPeriod.MONTH, new BigDecimal("250.50"))));
    assertThat(config.consumer("chat").orElseThrow().spillRights()).isEqualTo(SpillRights.NONE);
    assertThat(config.teams().keySet()).containsExactly("finance", "interns");
    assertThat(config.team("finance").orElseThrow().spillRights().paygBudget())
        .containsExactly(Map.entry(BudgetPeriod.WEEK, new BigDecimal("100")), Map.entry(BudgetPeriod.MONTH, new BigDecimal("500")));
    assertThat(config.team("interns").orElseThrow().spillRights()).isEqualTo(SpillRights.denied());
    assertThat(config.team("retail")).isEmpty();
  }

  @Test
  void withoutTheKeysPaygIsAllowedAndThereAreNoTeams() {
    SpillwayConfig config = parse("""
        consumers:
          - { id: app, team: retail, models: [gpt-4o] }
        """);
    assertThat(config.consumers().getFirst().spillRights()).isEqualTo(SpillRights.NONE);
    assertThat(config.teams()).isEmpty();
  }

  @Test
  void wrongValuesAreReportedWithKeyAndLine() {
    List<String> problems = problems(PRICES + """
        consumers:
          - id: app
            team: retail
            models: [gpt-4o]
            payg: never
            paygBudget: { month: -5, year: 100, day: 0 }
        teams:
          retail:
            payg: deny
            budget: 5
            paygBudget: { }
          finance: deny
        """);
    int consumersLine = (int) (MODELS + PRICES).lines().count() + 1;
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).startsWith("spillway.yaml:" + (consumersLine + 4) + ": consumers[0].payg: must be one of allow, deny, got \"never\""))
        .anySatisfy(p -> assertThat(p).contains("consumers[0].paygBudget.month: must be a non-negative amount"))
        .anySatisfy(p -> assertThat(p).contains("consumers[0].paygBudget.year: unknown key"))
        .anySatisfy(p -> assertThat(p).contains("consumers[0].paygBudget.day: must be more than 0 (to close PAYG write payg: deny)"))
        .anySatisfy(p -> assertThat(p).contains("teams.retail.budget: unknown key"))
        .anySatisfy(p -> assertThat(p).contains("teams.retail.paygBudget: must set at least one of day, week, month"))
        .anySatisfy(p -> assertThat(p).contains("teams.finance: must be a mapping with payg and paygBudget"));
  }

  @Test
  void aBudgetWithoutAnyPaygPriceCouldNeverBeReached() {
    assertThat(problems("""
        consumers:
          - { id: app, team: retail, models: [gpt-4o], paygBudget: { month: 100 } }
        teams:
          retail: { paygBudget: { day: 5 } }
        """))
        .anySatisfy(p -> assertThat(p).contains("consumers[0].paygBudget: needs PAYG prices to count spend against: set costs.payg for the models consumer app uses"))
        .anySatisfy(p -> assertThat(p).contains("teams.retail.paygBudget: needs PAYG prices").contains("team retail"));
  }

  @Test
  void aBudgetOwnerMayNotUseAnUnpricedPaygModel() {
    String onlyGpt4oPriced = """
        costs:
          payg:
            gpt-4o: { input: 0.0025, output: 0.01 }
        """;
    // The team's consumers may use mini through PAYG, which has no price; ptu-only has no PAYG backend and needs none.
    assertThat(problems(onlyGpt4oPriced + """
        consumers:
          - { id: app, team: retail, models: [gpt-4o, ptu-only] }
          - { id: bot, team: retail, models: ["m*"] }
        teams:
          retail: { paygBudget: { month: 5 } }
        """))
        .containsExactly("spillway.yaml:" + ((MODELS + onlyGpt4oPriced).lines().count() + 5) + ": teams.retail.paygBudget: team retail may use"
            + " PAYG for mini, which has no price under costs.payg, so that spend would not count toward this budget; add costs.payg.mini");
    // A consumer whose models are all priced (or have no PAYG backend) is fine.
    assertThat(parse(onlyGpt4oPriced + """
        consumers:
          - { id: app, team: retail, models: [gpt-4o, ptu-only], paygBudget: { month: 5 } }
        """).consumers().getFirst().spillRights().paygBudget()).containsKey(BudgetPeriod.MONTH);
  }

  @Test
  void budgetPeriodsAreUtcCalendarPeriodsWithIsoWeeksFromMonday() {
    long thursday = java.time.Instant.parse("2026-12-03T15:30:00Z").toEpochMilli();
    assertThat(BudgetPeriod.DAY.windowAt(thursday).startEpochMillis())
        .isEqualTo(java.time.Instant.parse("2026-12-03T00:00:00Z").toEpochMilli());
    assertThat(BudgetPeriod.WEEK.windowAt(thursday).startEpochMillis())
        .isEqualTo(java.time.Instant.parse("2026-11-30T00:00:00Z").toEpochMilli());
    assertThat(BudgetPeriod.MONTH.windowAt(thursday).endEpochMillis())
        .isEqualTo(java.time.Instant.parse("2027-01-01T00:00:00Z").toEpochMilli());
  }
}
