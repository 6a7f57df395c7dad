package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The station's model keys: ptuWait, maxWaitForPtu per class, reserveForCritical and ptuDemandWindow. */
class PtuStationKeysTest {

  private static ModelConfig gpt4o(String modelKeys) {
    return ConfigLoader.parse(model(modelKeys), "spillway.yaml", name -> null).model("gpt-4o").orElseThrow();
  }

  private static List<String> problems(String modelKeys) {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.parse(model(modelKeys), "spillway.yaml", name -> null));
    assertThat(e).as("expected a ConfigException").isNotNull();
    return e.problems().stream().map(ConfigProblem::toString).toList();
  }

  /** One PTU backend under gpt-4o; {@code modelKeys} (4-space indent) start on line 3. */
  private static String model(String modelKeys) {
    return "models:\n  gpt-4o:\n"
        + modelKeys
        + """
            backends:
              - id: ptu-eastus
                url: https://contoso.openai.azure.com
                deployment: gpt-4o-ptu
                tier: ptu
        """;
  }

  @Test
  void theStationIsTheDefaultAndOneBudgetGivesCriticalTwiceAndBatchNone() {
    PtuStation station = gpt4o("    maxWaitForPtu: 1500ms\n").ptuStation();
    assertThat(station.mode()).isEqualTo(PtuStation.Mode.STATION);
    assertThat(station.budget(PriorityClass.CRITICAL)).isEqualTo(Duration.ofSeconds(3));
    assertThat(station.budget(PriorityClass.STANDARD)).isEqualTo(Duration.ofMillis(1500));
    assertThat(station.budget(PriorityClass.BATCH)).isZero();
    assertThat(station.reserveForCriticalPercent()).isZero();
    assertThat(station.demandWindow()).isEqualTo(Duration.ofSeconds(60));
    assertThat(gpt4o("").ptuStation().budget(PriorityClass.CRITICAL)).isZero();
  }

  @Test
  void everyKeyIsRead() {
    PtuStation station =
        gpt4o(
                """
                    ptuWait: fixed
                    maxWaitForPtu: { critical: 5s, standard: 1s, batch: 200ms }
                    reserveForCritical: 20%
                    ptuDemandWindow: 2m
                """)
            .ptuStation();
    assertThat(station.mode()).isEqualTo(PtuStation.Mode.FIXED);
    assertThat(station.budgets())
        .containsEntry(PriorityClass.CRITICAL, Duration.ofSeconds(5))
        .containsEntry(PriorityClass.STANDARD, Duration.ofSeconds(1))
        .containsEntry(PriorityClass.BATCH, Duration.ofMillis(200));
    assertThat(station.reserveForCriticalPercent()).isEqualTo(20);
    assertThat(station.demandWindow()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aClassLeftOutOfTheMappingKeepsItsDefault() {
    PtuStation station = gpt4o("    maxWaitForPtu:\n      standard: 2s\n").ptuStation();
    assertThat(station.budget(PriorityClass.CRITICAL)).isEqualTo(Duration.ofSeconds(4));
    assertThat(station.budget(PriorityClass.BATCH)).isZero();
  }

  @Test
  void mistakesAreReportedWithKeyAndLine() {
    assertThat(problems("    ptuWait: patient\n"))
        .singleElement()
        .asString()
        .startsWith("spillway.yaml:3: models.gpt-4o.ptuWait: ")
        .contains("station")
        .contains("fixed");
    assertThat(problems("    maxWaitForPtu: { urgent: 1s }\n"))
        .singleElement()
        .asString()
        .startsWith("spillway.yaml:3: models.gpt-4o.maxWaitForPtu.urgent: unknown key");
    assertThat(problems("    reserveForCritical: 120%\n"))
        .containsExactly(
            "spillway.yaml:3: models.gpt-4o.reserveForCritical: must be a percentage from 0 to below 100, like 20%, got"
                + " \"120%\"");
    assertThat(problems("    ptuDemandWindow: 1s\n"))
        .containsExactly("spillway.yaml:3: models.gpt-4o.ptuDemandWindow: must be at least 2s, got \"1s\"");
  }
}
