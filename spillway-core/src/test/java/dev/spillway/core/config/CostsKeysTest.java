package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CostsKeysTest {
  private static final String MODELS = """
      models:
        gpt-4o:
          backends:
            - id: ptu-eastus
              url: https://a.example
              deployment: d
              tier: ptu
            - id: payg-eastus
              url: https://a.example
              deployment: d
              tier: payg
        mini:
          backends:
            - id: payg-mini
              url: https://a.example
              deployment: m
              tier: payg
      """;

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "spillway.yaml", Map.of("PTU_PRICE", "18000.50")::get);
  }

  private static List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void pricesAreReadAsExactDecimals() {
    CostsConfig costs = parse("""
        costs:
          currency: EUR
          ptu:
            ptu-eastus: 18000
          payg:
            gpt-4o: { input: 0.0025, output: 0.01, cachedInput: 0.00125 }
            mini: { input: 0.00015, output: 0.0006 }
        """).costs();
    assertThat(costs.currency()).isEqualTo("EUR");
    assertThat(costs.ptuMonthly()).containsExactly(Map.entry("ptu-eastus", new BigDecimal("18000")));
    assertThat(costs.paygPrice("gpt-4o")).contains(
        new PaygPrice(new BigDecimal("0.0025"), new BigDecimal("0.01"), new BigDecimal("0.00125")));
    assertThat(costs.paygPrice("mini").orElseThrow().inputPer1k()).isEqualTo(new BigDecimal("0.00015"));
  }

  @Test
  void cachedInputDefaultsToTheInputPrice() {
    PaygPrice price = parse("""
        costs:
          payg:
            mini: { input: 0.00015, output: 0.0006 }
        """).costs().paygPrice("mini").orElseThrow();
    assertThat(price.cachedInputPer1k()).isEqualTo(new BigDecimal("0.00015"));
  }

  @Test
  void withoutCostsNothingIsPricedAndTheCurrencyIsUsd() {
    assertThat(parse("").costs()).isEqualTo(CostsConfig.NONE);
    assertThat(parse("costs: {}\n").costs()).isEqualTo(CostsConfig.NONE);
  }

  @Test
  void aPriceMayComeFromTheEnvironmentAndKeepsItsDecimals() {
    assertThat(parse("""
        costs:
          ptu:
            ptu-eastus: ${PTU_PRICE}
        """).costs().ptuMonthlyPrice("ptu-eastus")).contains(new BigDecimal("18000.50"));
  }

  @Test
  void ptuPricesNeedAPtuBackendAndPaygPricesAKnownModel() {
    assertThat(problems("""
        costs:
          ptu:
            payg-eastus: 100
            nowhere: 100
          payg:
            gpt-5: { input: 1, output: 2 }
        """))
        .anySatisfy(p -> assertThat(p).contains("costs.ptu.payg-eastus").contains("is not tier ptu"))
        .anySatisfy(p -> assertThat(p).contains("costs.ptu.nowhere").contains("no backend has id \"nowhere\""))
        .anySatisfy(p -> assertThat(p).contains("costs.payg.gpt-5").contains("no model is named \"gpt-5\""));
  }

  @Test
  void badAmountsAndUnknownKeysAreReportedWithTheirKeys() {
    assertThat(problems("""
        costs:
          currenccy: EUR
          ptu:
            ptu-eastus: -5
          payg:
            gpt-4o: { input: 1e-3, output: 0.01, cached: 0.001 }
            mini: { input: 0.1 }
        """))
        .anySatisfy(p -> assertThat(p).contains("costs.currenccy: unknown key"))
        .anySatisfy(p -> assertThat(p).contains("costs.ptu.ptu-eastus").contains("non-negative amount"))
        .anySatisfy(p -> assertThat(p).contains("costs.payg.gpt-4o.input").contains("non-negative amount"))
        .anySatisfy(p -> assertThat(p).contains("costs.payg.gpt-4o.cached: unknown key"))
        .anySatisfy(p -> assertThat(p).contains("costs.payg.mini.output"));
  }

  /** Regression: an unset variable in a backend used to make every price of its model "unknown" as well. */
  @Test
  void aBrokenModelDoesNotMakeItsPricesUnknown() {
    String yaml = MODELS.replace("url: https://a.example\n        deployment: d\n        tier: ptu",
        "url: ${NO_SUCH_URL}\n        deployment: d\n        tier: ptu") + """
        costs:
          ptu:
            ptu-eastus: 18000
          payg:
            gpt-4o: { input: 0.0025, output: 0.01 }
        """;
    assertThat(yaml).contains("${NO_SUCH_URL}");
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.parse(yaml, "spillway.yaml", Map.<String, String>of()::get));
    assertThat(e.problems()).extracting(ConfigProblem::toString)
        .anySatisfy(p -> assertThat(p).contains("NO_SUCH_URL"))
        .noneSatisfy(p -> assertThat(p).contains("costs."));
  }

  @Test
  void problemsNameTheLineOfTheFile() {
    assertThat(problems("""
        costs:
          ptu:
            ptu-eastus: lots
        """)).anySatisfy(p -> assertThat(p).contains("spillway.yaml:" + (MODELS.lines().count() + 3)));
  }

  /** Found by fuzzing: with a costs section, a backend whose id or tier was left empty threw a NullPointerException. */
  @Test
  void anEmptyBackendIdOrTierIsAProblemNotACrash() {
    for (String empty : new String[] {"id:", "tier:", "id: ~", "tier: null"}) {
      String yaml = """
          models:
            gpt-4o:
              backends:
                - id: ptu-eastus
                  url: https://a.example
                  deployment: d
                  tier: ptu
          costs:
            currency: EUR
          """.replace(empty.startsWith("id") ? "id: ptu-eastus" : "tier: ptu", empty);
      ConfigException e =
          catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
      assertThat(e).as(empty).isNotNull();
      assertThat(e.problems()).as(empty).anySatisfy(p -> assertThat(p.path()).contains("backends[0]"));
    }
  }
}
