package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.config.Tier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {

  @Test
  void exampleFileLoads() {
    SimulatorConfig config = SimulatorConfig.load(Path.of("../examples/sim.yaml"));

    assertThat(config.port()).isEqualTo(8081);
    assertThat(config.seed()).isEqualTo(42);
    assertThat(config.zeroLatency()).isFalse();
    assertThat(config.apiKey()).isEmpty();
    assertThat(config.timing()).isEqualTo(Timing.defaults());
    assertThat(config.deployments()).extracting(DeploymentConfig::name).containsExactly(
        "gpt-4o-ptu-eastus", "gpt-4o-payg-eastus", "gpt-4o-ptu-swedencentral",
        "gpt-4o-payg-swedencentral", "text-embedding-3-small");
    assertThat(config.deployment("gpt-4o-ptu-eastus")).contains(DeploymentConfig.ptu("gpt-4o-ptu-eastus", 60_000).withModel("gpt-4o"));
    assertThat(config.deployment("gpt-4o-payg-eastus"))
        .contains(DeploymentConfig.payg("gpt-4o-payg-eastus", 300_000, 1_800).withModel("gpt-4o"));
    assertThat(config.deployment("gpt-4o-payg-swedencentral").orElseThrow().faults().kinds())
        .containsExactly(FaultKind.HTTP_500, FaultKind.HTTP_503, FaultKind.RESET);
    DeploymentConfig embeddings = config.deployment("text-embedding-3-small").orElseThrow();
    assertThat(embeddings.kind()).isEqualTo(DeploymentKind.EMBEDDINGS);
    assertThat(embeddings.embeddingDimensions()).isEqualTo(1536);
    assertThat(config.contentFilter().blockAt()).isEqualTo(FilterSeverity.MEDIUM);
    assertThat(config.contentFilter().terms()).contains(
        TriggerTerm.prompt(FilterCategory.VIOLENCE, "sim-violence", FilterSeverity.HIGH),
        TriggerTerm.prompt(FilterCategory.HATE, "sim-mild-hate", FilterSeverity.LOW),
        TriggerTerm.completion(FilterCategory.HATE, "sim-hateful-poem", FilterSeverity.MEDIUM),
        TriggerTerm.jailbreak("ignore previous instructions"));
    assertThat(config.contentSafety().apiKey()).isEmpty();
    assertThat(config.contentSafety().latency()).isEqualTo(Duration.ofMillis(40));
    assertThat(config.contentSafety().faults().enabled()).isFalse();
    assertThat(config.contentSafety().blocklists()).containsKey("demo-banned");
  }

  @Test
  void parsesEveryKey() {
    SimulatorConfig config = SimulatorConfig.parse("""
        host: 0.0.0.0
        port: 9000
        seed: 7
        zeroLatency: true
        apiKey: secret
        timing: {ttftBase: 20ms, ttftPerPromptToken: 0.5ms, outputTokensPerSecond: 200, ptuBurst: 5s}
        deployments:
          - {name: p, tier: ptu, capacityTokensPerMinute: 1000}
          - name: e
            kind: embeddings
            tier: payg
            tokensPerMinute: 10
            requestsPerMinute: 2
            embeddingDimensions: 8
            faults: {probability: 0.5, kinds: [503, hang, garbage, slow, midstream]}
        """);

    assertThat(config).isEqualTo(SimulatorConfig.builder()
        .host("0.0.0.0").port(9000).seed(7).zeroLatency(true).apiKey("secret")
        .timing(new Timing(Duration.ofMillis(20), Duration.ofNanos(500_000), 200, Duration.ofSeconds(5)))
        .deployment(DeploymentConfig.ptu("p", 1000))
        .deployment(DeploymentConfig.embeddings("e", 8).withQuotas(10, 2).withFaults(FaultConfig.of(0.5,
            FaultKind.HTTP_503, FaultKind.HANG, FaultKind.GARBAGE, FaultKind.SLOW, FaultKind.MIDSTREAM)))
        .build());
  }

  @Test
  void deploymentModelDefaultsToItsNameAndCanBeSet() {
    SimulatorConfig config = SimulatorConfig.parse("""
        deployments:
          - { name: chat-ptu, tier: ptu, capacityTokensPerMinute: 50000, model: gpt-4o }
          - { name: gpt-4o-mini, tier: payg }
        """);
    assertThat(config.deployment("chat-ptu").orElseThrow().modelName()).isEqualTo("gpt-4o");
    assertThat(config.deployment("gpt-4o-mini").orElseThrow().modelName()).isEqualTo("gpt-4o-mini");
    assertThatThrownBy(() -> DeploymentConfig.payg("x", 0, 0).withModel(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("model");
  }

  @Test
  void builderDefaults() {
    SimulatorConfig config = SimulatorConfig.builder().deployment(DeploymentConfig.embeddings("e")).build();
    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.seed()).isEqualTo(42);
    assertThat(config.apiKey()).isEqualTo(Optional.empty());
    assertThat(config.timing().ttftBase()).isEqualTo(Duration.ofMillis(150));
    assertThat(config.timing().outputTokensPerSecond()).isEqualTo(80);
    assertThat(config.deployments().get(0).tier()).isEqualTo(Tier.PAYG);
    assertThat(config.toBuilder().build()).isEqualTo(config);
  }

  @Test
  void unknownKeyIsNamedWithItsLine() {
    assertThatThrownBy(() -> SimulatorConfig.parse("""
        seed: 1
        deployments:
          - name: a
            tier: ptu
            capacity: 100
        """))
        .isInstanceOf(SimulatorConfigException.class)
        .hasMessageContaining("line 5")
        .hasMessageContaining("deployments[0].capacity")
        .hasMessageContaining("unknown key");
  }

  @Test
  void badValuesAreNamedWithTheirLine() {
    assertThatThrownBy(() -> SimulatorConfig.parse("""
        deployments:
          - {name: a, tier: payg}
          - name: b
            tier: ptux
        """))
        .isInstanceOf(SimulatorConfigException.class)
        .hasMessageContaining("line 4: deployments[1].tier: expected one of [ptu, payg], got 'ptux'");
    assertThatThrownBy(() -> SimulatorConfig.parse("timing: {ttftBase: 150}\ndeployments: [{name: a, tier: payg}]"))
        .hasMessageContaining("timing.ttftBase").hasMessageContaining("duration");
    assertThatThrownBy(() -> SimulatorConfig.parse("deployments: [{name: a, tier: ptu}]"))
        .hasMessageContaining("capacityTokensPerMinute");
    assertThatThrownBy(() -> SimulatorConfig.parse("deployments: [{name: a, tier: payg, faults: {probability: 0.1, kinds: [boom]}}]"))
        .hasMessageContaining("deployments[0].faults.kinds[0]").hasMessageContaining("unknown fault 'boom'");
    assertThatThrownBy(() -> SimulatorConfig.parse("deployments:\n  - {name: a, tier: payg}\n  - {name: a, tier: payg}"))
        .hasMessageContaining("line 3").hasMessageContaining("used twice");
    assertThatThrownBy(() -> SimulatorConfig.parse("port: 70000\ndeployments: [{name: a, tier: payg}]"))
        .hasMessageContaining("line 1: port");
    assertThatThrownBy(() -> SimulatorConfig.parse("deployments: []"))
        .hasMessageContaining("deployments");
    assertThatThrownBy(() -> SimulatorConfig.parse("deployments: [ {name: a"))
        .hasMessageContaining("not valid YAML");
  }

  @Test
  void factoriesValidate() {
    assertThatThrownBy(() -> DeploymentConfig.ptu("p", 0)).hasMessageContaining("capacityTokensPerMinute");
    assertThatThrownBy(() -> DeploymentConfig.ptu("p", 10).withQuotas(5, 0)).hasMessageContaining("payg");
    assertThatThrownBy(() -> SimulatorConfig.builder()
        .deployments(List.of(DeploymentConfig.ptu("p", 10), DeploymentConfig.ptu("p", 10))).build())
        .hasMessageContaining("used twice");
  }
}
