package dev.spillway.gateway.reload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import org.junit.jupiter.api.Test;

/** What a reload applies and what waits for a restart, from two config texts. */
class ConfigDiffTest {
  private static final String BASE = """
      server:
        listen: 127.0.0.1:8080
      models:
        gpt-4o:
          backends:
            - { id: a, url: "http://127.0.0.1:1", deployment: d-a, tier: payg }
            - { id: b, url: "http://127.0.0.1:2", deployment: d-b, tier: payg }
      consumers:
        - { id: app, team: t, models: ["*"], limits: { requestsPerMinute: 50 } }
      auth:
        keyPepper: pepper-0123456789abcdef
      """;

  private static SpillwayConfig parse(String yaml) {
    return ConfigLoader.parse(yaml, "spillway.yaml", name -> null);
  }

  @Test
  void theSameFileChangesNothing() {
    ConfigDiff diff = ConfigDiff.between(parse(BASE), parse(BASE));

    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff.needsRestart()).isEmpty();
  }

  @Test
  void backendsAddedRemovedMovedAndTunedAreNamedEachWithWhatHappensToTheirState() {
    String next = BASE
        .replace("deployment: d-a, tier: payg }", "deployment: d-a, tier: payg, weight: 3 }")
        .replace("url: \"http://127.0.0.1:2\"", "url: \"http://127.0.0.1:9\"")
        .replace("consumers:", "      - { id: c, url: \"http://127.0.0.1:3\", deployment: d-c, tier: payg }\nconsumers:");

    ConfigDiff diff = ConfigDiff.between(parse(BASE), parse(next));

    assertThat(diff.changes()).containsExactly(
        "models.gpt-4o.backends.a changed (its state is kept)",
        "models.gpt-4o.backends.b now another deployment (its state starts afresh)",
        "models.gpt-4o.backends.c added");
  }

  @Test
  void modelsAndConsumersAddedRemovedOrChangedAreLiveChanges() {
    String next = BASE.replace("gpt-4o:", "gpt-4o-mini:").replace("requestsPerMinute: 50", "requestsPerMinute: 7");

    ConfigDiff diff = ConfigDiff.between(parse(BASE), parse(next));

    assertThat(diff.changes()).containsExactly("models.gpt-4o removed", "models.gpt-4o-mini added", "consumers.app changed");
    assertThat(diff.needsRestart()).isEmpty();
    assertThat(diff.effective().models()).containsOnlyKeys("gpt-4o-mini");
  }

  @Test
  void restartOnlySectionsAreReportedAndKeptAsTheyRun() {
    String next = BASE.replace("listen: 127.0.0.1:8080", "listen: 127.0.0.1:9090")
        + "limits:\n  store: redis\n  redisUrl: redis://127.0.0.1:6379\n";
    SpillwayConfig running = parse(BASE);

    ConfigDiff diff = ConfigDiff.between(running, parse(next));

    assertThat(diff.needsRestart()).containsExactly("server", "limits");
    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff.effective().server()).isEqualTo(running.server());
    assertThat(diff.effective().limits()).isEqualTo(running.limits());
  }

  @Test
  void changedPaygRightsAreReportedAndARunningConsumerKeepsItsRunningRights() {
    String next = BASE.replace("limits: { requestsPerMinute: 50 } }", "limits: { requestsPerMinute: 50 }, payg: deny }");
    SpillwayConfig running = parse(BASE);

    ConfigDiff diff = ConfigDiff.between(running, parse(next));

    assertThat(diff.needsRestart()).containsExactly("payg rights and budgets of consumers and teams");
    assertThat(diff.isEmpty()).as("nothing else changed").isTrue();
    assertThat(diff.effective().consumer("app").orElseThrow().spillRights())
        .isEqualTo(running.consumer("app").orElseThrow().spillRights());
  }
}
