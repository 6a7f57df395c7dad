package dev.spillway.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class BackendCapacityKeysTest {
  private static String yaml(String capacity) {
    return """
        models:
          gpt-4o:
            backends:
              - id: a
                url: https://a.example
                deployment: d
                tier: payg
                capacity:
        """ + capacity.indent(10);
  }

  @Test
  void aDeclaredCapacityIsRead() {
    BackendConfig b = ConfigLoader.parse(yaml("tokensPerMinute: 300000\nrequestsPerMinute: 1800\n"), "s.yaml",
        Map.<String, String>of()::get).model("gpt-4o").orElseThrow().backends().getFirst();
    assertThat(b.capacity()).isEqualTo(new BackendCapacity(OptionalLong.of(300_000), OptionalLong.of(1_800)));
  }

  @Test
  void aZeroOrUnknownKeyIsAProblem() {
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.parse(yaml("tokensPerMinute: 0\ntpm: 5\n"), "s.yaml", Map.<String, String>of()::get));
    assertThat(e.problems()).extracting(ConfigProblem::toString)
        .anySatisfy(p -> assertThat(p).contains("backends[0].capacity.tokensPerMinute"))
        .anySatisfy(p -> assertThat(p).contains("backends[0].capacity.tpm: unknown key"));
  }

  private static String ptu(String tier, String extra) {
    return """
        models:
          gpt-4o:
            backends:
              - id: a
                url: https://a.example
                deployment: gpt-4o-ptu
        """ + ("tier: " + tier + "\n" + extra).indent(8);
  }

  @Test
  void anAzurePtuMayNameItsAzureSpilloverDeployment() {
    BackendConfig b = ConfigLoader.parse(ptu("ptu", "azureSpillover: gpt-4o-standard\n"), "s.yaml",
        Map.<String, String>of()::get).model("gpt-4o").orElseThrow().backends().getFirst();
    assertThat(b.azureSpillover()).contains("gpt-4o-standard");
    ConfigException e = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.parse(ptu("payg", "azureSpillover: gpt-4o-standard\n"), "s.yaml", Map.<String, String>of()::get));
    assertThat(e.problems()).extracting(ConfigProblem::toString)
        .singleElement()
        .asString()
        .startsWith("s.yaml:8: models.gpt-4o.backends[0].azureSpillover: only applies to a type: azure, tier: ptu backend");
  }
}
