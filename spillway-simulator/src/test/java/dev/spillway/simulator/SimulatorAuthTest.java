package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SimulatorAuthTest {
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o", 0, 0)).toBuilder().apiKey("k-123").build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void missingOrWrongKeyIs401() {
    for (String[] headers : new String[][] {{}, {"api-key", "wrong"}, {"authorization", "Bearer wrong"},
        {"authorization", "k-123"}}) {
      HttpResponse<String> r = harness.post(sim, "/v1/chat/completions", SimHarness.chat("gpt-4o"), headers);
      assertThat(r.statusCode()).as("headers %s", (Object) headers).isEqualTo(401);
      assertThat(SimHarness.json(r).path("error").path("code").asText()).isEqualTo("401");
    }
    assertThat(harness.get(sim, "/v1/models").statusCode()).isEqualTo(401);
  }

  @Test
  void apiKeyHeaderOrBearerIsAccepted() {
    assertThat(harness.post(sim, "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
        SimHarness.CHAT, "api-key", "k-123").statusCode()).isEqualTo(200);
    assertThat(harness.post(sim, "/v1/chat/completions", SimHarness.chat("gpt-4o"),
        "authorization", "Bearer k-123").statusCode()).isEqualTo(200);
    assertThat(harness.get(sim, "/v1/models", "api-key", "k-123").statusCode()).isEqualTo(200);
  }
}
