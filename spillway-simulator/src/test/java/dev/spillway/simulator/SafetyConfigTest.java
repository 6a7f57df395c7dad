package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contentFilter and contentSafety sections: YAML, defaults, validation with key and line. */
class SafetyConfigTest {
  private static final String DEPLOYMENTS = "deployments: [{name: a, tier: payg}]\n";

  @Test
  void readsEveryKeyOfBothSections() {
    SimulatorConfig config = SimulatorConfig.parse(DEPLOYMENTS + """
        contentFilter:
          blockAt: high
          hate: [sim-hate, Slur]
          violence:
            severity: medium
            terms:
              - sim-violence
              - {term: sim-brawl, severity: low}
              - {term: sim-war-story, severity: 7, stage: completion}
          self_harm: [{term: sim-harm}]
          jailbreak: ["ignore previous instructions", {term: DAN mode}]
        contentSafety:
          apiKey: cs-key
          latency: 5ms
          faults: {probability: 0.5, kinds: [503, slow]}
          blocklists:
            banned: [foo, bar baz]
        """);

    assertThat(config.contentFilter()).isEqualTo(new ContentFilterConfig(FilterSeverity.HIGH, List.of(
        TriggerTerm.prompt(FilterCategory.HATE, "sim-hate", FilterSeverity.HIGH),
        TriggerTerm.prompt(FilterCategory.HATE, "Slur", FilterSeverity.HIGH),
        TriggerTerm.prompt(FilterCategory.VIOLENCE, "sim-violence", FilterSeverity.MEDIUM),
        TriggerTerm.prompt(FilterCategory.VIOLENCE, "sim-brawl", FilterSeverity.LOW),
        TriggerTerm.completion(FilterCategory.VIOLENCE, "sim-war-story", new FilterSeverity(7)),
        TriggerTerm.prompt(FilterCategory.SELF_HARM, "sim-harm", FilterSeverity.HIGH),
        TriggerTerm.jailbreak("ignore previous instructions"),
        TriggerTerm.jailbreak("DAN mode"))));
    assertThat(config.contentSafety()).isEqualTo(new ContentSafetyConfig(Optional.of("cs-key"), Duration.ofMillis(5),
        FaultConfig.of(0.5, FaultKind.HTTP_503, FaultKind.SLOW), java.util.Map.of("banned", List.of("foo", "bar baz"))));
    assertThat(config.toBuilder().build()).isEqualTo(config);
  }

  @Test
  void bothSectionsDefaultToNothingTriggeredAndAnOpenResource() {
    SimulatorConfig config = SimulatorConfig.parse(DEPLOYMENTS);

    assertThat(config.contentFilter()).isEqualTo(ContentFilterConfig.NONE);
    assertThat(config.contentFilter().blockAt()).isEqualTo(FilterSeverity.MEDIUM);
    assertThat(config.contentSafety()).isEqualTo(ContentSafetyConfig.DEFAULTS);
    assertThat(config.contentSafety().latency()).isEqualTo(Duration.ofMillis(40));
  }

  @Test
  void mistakesAreNamedWithTheirKeyAndLine() {
    assertThatThrownBy(() -> SimulatorConfig.parse(DEPLOYMENTS + "contentFilter:\n  gore: [x]\n"))
        .hasMessageContaining("line 3: contentFilter.gore: unknown key");
    assertThatThrownBy(() -> SimulatorConfig.parse(DEPLOYMENTS + "contentFilter:\n  hate: [{term: x, severity: extreme}]\n"))
        .hasMessageContaining("contentFilter.hate[0].severity: expected safe, low, medium, high or a level 0 to 7");
    assertThatThrownBy(() -> SimulatorConfig.parse(DEPLOYMENTS + "contentFilter:\n  hate: [{term: x, stage: reply}]\n"))
        .hasMessageContaining("contentFilter.hate[0].stage: expected prompt or completion");
    assertThatThrownBy(() -> SimulatorConfig.parse(DEPLOYMENTS + "contentFilter:\n  jailbreak: [{term: x, stage: completion}]\n"))
        .hasMessageContaining("contentFilter.jailbreak[0].stage");
    assertThatThrownBy(() -> SimulatorConfig.parse(DEPLOYMENTS + "contentFilter:\n  jailbreak: {severity: high, terms: [x]}\n"))
        .hasMessageContaining("contentFilter.jailbreak.severity");
    assertThatThrownBy(() -> SimulatorConfig.parse(DEPLOYMENTS + "contentFilter:\n  blockAt: safe\n"))
        .hasMessageContaining("line 3: contentFilter.blockAt");
    assertThatThrownBy(() -> SimulatorConfig.parse(DEPLOYMENTS + "contentFilter:\n  violence: {severity: low}\n"))
        .hasMessageContaining("contentFilter.violence: missing key 'terms'");
    assertThatThrownBy(() -> SimulatorConfig.parse(DEPLOYMENTS + "contentFilter:\n  hate: [\"  \"]\n"))
        .hasMessageContaining("contentFilter.hate[0]: expected a non-empty string");
    assertThatThrownBy(() -> SimulatorConfig.parse(DEPLOYMENTS + "contentSafety:\n  faults: {probability: 1, kinds: [content_filter]}\n"))
        .hasMessageContaining("line 3: contentSafety.faults.kinds: content_filter does not apply");
    assertThatThrownBy(() -> SimulatorConfig.parse(DEPLOYMENTS + "contentSafety:\n  blocklists:\n    \"bad name\": [x]\n"))
        .hasMessageContaining("contentSafety.blocklists.bad name").hasMessageContaining("0-9 A-Z a-z");
    assertThatThrownBy(() -> SimulatorConfig.parse(DEPLOYMENTS + "contentSafety:\n  latency: fast\n"))
        .hasMessageContaining("contentSafety.latency").hasMessageContaining("duration");
  }

  @Test
  void severitiesReadAsNamesOrLevelsAndReportAzuresBands() {
    assertThat(FilterSeverity.parse("Medium")).contains(FilterSeverity.MEDIUM);
    assertThat(FilterSeverity.parse("5")).contains(new FilterSeverity(5));
    assertThat(FilterSeverity.parse("8")).isEmpty();
    assertThat(new FilterSeverity(5).label()).isEqualTo("medium");
    assertThat(new FilterSeverity(5).fourLevel()).isEqualTo(4);
    assertThat(new FilterSeverity(1).label()).isEqualTo("safe");
    assertThat(new FilterSeverity(5).reaches(FilterSeverity.MEDIUM)).isTrue();
    assertThat(new FilterSeverity(3).reaches(FilterSeverity.MEDIUM)).isFalse();
    assertThat(FilterSeverity.HIGH.reaches(FilterSeverity.HIGH)).isTrue();
    assertThatThrownBy(() -> new ContentFilterConfig(FilterSeverity.SAFE, List.of())).hasMessageContaining("blockAt");
    assertThatThrownBy(() -> new TriggerTerm(FilterCategory.JAILBREAK, "x", FilterSeverity.HIGH,
        TriggerTerm.Stage.COMPLETION)).hasMessageContaining("prompt only");
  }
}
