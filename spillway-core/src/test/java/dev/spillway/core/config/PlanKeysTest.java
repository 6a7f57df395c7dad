package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code plan:} and {@code costs.ptuUnitMonthly}, the keys {@code spillway plan} reads. */
class PlanKeysTest {
  private static final String MODELS = """
      models:
        gpt-4o:
          backends:
            - { id: ptu-eastus, url: https://a.example, deployment: d, tier: ptu }
            - { id: payg-eastus, url: https://a.example, deployment: d, tier: payg }
        chat:
          backends:
            - { id: payg-chat, url: https://a.example, deployment: c, tier: payg }
      """;

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(MODELS + yaml, "spillway.yaml", Map.<String, String>of()::get);
  }

  private static List<String> problems(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void withoutAPlanSectionThePublishedFiguresAndATenSecondBurstApply() {
    SpillwayConfig config = parse("");
    assertThat(config.plan()).isEqualTo(PlanConfig.DEFAULTS);
    assertThat(config.plan().burst()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.plan().figures("gpt-4o")).isEqualTo(PlanConfig.PtuFigures.NONE);
    assertThat(config.costs().ptuUnitMonthly()).isEmpty();
  }

  @Test
  void theUnitPriceAndEveryFigureAreRead() {
    SpillwayConfig config = parse("""
        costs:
          ptuUnitMonthly: 260.50
        plan:
          burst: 5s
          models:
            gpt-4o: { minimumPtu: 50, ptuIncrement: 50 }
            chat:
              azureModel: gpt-4.1
              inputTokensPerMinutePerPtu: 3100
              outputTokenWeight: 4.5
        """);
    assertThat(config.costs().ptuUnitMonthly()).contains(new BigDecimal("260.50"));
    assertThat(config.plan().burst()).isEqualTo(Duration.ofSeconds(5));
    PlanConfig.PtuFigures gpt4o = config.plan().figures("gpt-4o");
    assertThat(gpt4o.minimumPtu()).hasValue(50);
    assertThat(gpt4o.ptuIncrement()).hasValue(50);
    assertThat(gpt4o.inputTokensPerMinutePerPtu()).isEmpty();
    PlanConfig.PtuFigures chat = config.plan().figures("chat");
    assertThat(chat.azureModel()).isEqualTo(Optional.of("gpt-4.1"));
    assertThat(chat.inputTokensPerMinutePerPtu()).hasValue(3_100);
    assertThat(chat.outputTokenWeight()).contains(new BigDecimal("4.5"));
  }

  @Test
  void badValuesUnknownKeysAndUnknownModelsAreReportedWithTheirKeys() {
    assertThat(problems("""
        costs:
          ptuUnitMonthly: -1
        plan:
          burst: 0s
          bursts: 1s
          models:
            gpt-5: { minimumPtu: 15 }
            gpt-4o:
              inputTokensPerMinutePerPtu: 0
              outputTokenWeight: four
              minimumPTU: 15
              ptuIncrement: "5"
        """))
        .anySatisfy(p -> assertThat(p).contains("costs.ptuUnitMonthly").contains("non-negative amount"))
        .anySatisfy(p -> assertThat(p).contains("plan.burst").contains("positive duration"))
        .anySatisfy(p -> assertThat(p).contains("plan.bursts: unknown key; did you mean burst?"))
        .anySatisfy(p -> assertThat(p).contains("plan.models.gpt-5").contains("no model is named \"gpt-5\""))
        .anySatisfy(p -> assertThat(p).contains("plan.models.gpt-4o.inputTokensPerMinutePerPtu"))
        .anySatisfy(p -> assertThat(p).contains("plan.models.gpt-4o.outputTokenWeight").contains("non-negative number"))
        .anySatisfy(p -> assertThat(p).contains("plan.models.gpt-4o.minimumPTU: unknown key; did you mean minimumPtu?"))
        .anySatisfy(p -> assertThat(p).contains("plan.models.gpt-4o.ptuIncrement").contains("without quotes"));
  }

  @Test
  void problemsNameTheLineOfTheFile() {
    assertThat(problems("""
        plan:
          models:
            chat: { outputTokenWeight: lots }
        """)).anySatisfy(p -> assertThat(p).contains("spillway.yaml:" + (MODELS.lines().count() + 3)));
  }
}
