package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.time.ManualTicker;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Azure's native spillover over HTTP: a PTU deployment's 429 served by its PAYG spillover deployment
 * instead, by config or by the {@code x-ms-spillover-deployment} header. Time is a manual ticker.
 */
class SimulatorSpilloverTest {
  private static final String PTU = "gpt-4o-ptu";
  private static final String PAYG = "gpt-4o-payg";
  private static final String PTU_URL = "/openai/deployments/" + PTU + "/chat/completions?api-version=2024-10-21";
  private static final String BODY = SimHarness.chat(null, "\"max_tokens\":40");
  private static final long COST =
      CompletionRequest.parse(Operation.CHAT_COMPLETIONS, SimHarness.parse(SimHarness.CHAT)).promptTokens() + 40;
  private static SimHarness harness;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  /** 600 tokens/minute with the default 10 s burst: a 100-token bucket, so the second request does not fit. */
  private static Simulator start(DeploymentConfig ptu, DeploymentConfig... others) {
    List<DeploymentConfig> all = new java.util.ArrayList<>(List.of(ptu));
    all.addAll(List.of(others));
    return harness.start(SimHarness.fast(all.toArray(DeploymentConfig[]::new)), new ManualTicker());
  }

  @Test
  void aRequestThePtuWouldThrottleIsServedByItsSpilloverDeployment() {
    Simulator sim = start(DeploymentConfig.ptu(PTU, 600).withSpilloverDeployment(PAYG),
        DeploymentConfig.payg(PAYG, 0, 0));

    HttpResponse<String> first = harness.post(sim, PTU_URL, BODY);
    HttpResponse<String> spilled = harness.post(sim, PTU_URL, BODY);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-ms-spillover-from-deployment")).isEmpty();
    assertThat(spilled.statusCode()).isEqualTo(200);
    assertThat(spilled.headers().firstValue("x-ms-deployment-name")).hasValue(PAYG);
    assertThat(spilled.headers().firstValue("x-ms-spillover-from-deployment")).hasValue(PTU);
    assertThat(spilled.headers().firstValue("x-ms-spillover-error")).hasValue("429");
    assertThat(spilled.headers().firstValue("azure-openai-deployment-utilization")).isEmpty();
    assertThat(spilled.headers().firstValue("retry-after-ms")).isEmpty();
    assertThat(SimHarness.json(spilled).path("model").asText()).isEqualTo(PAYG);
    assertThat(SimHarness.json(spilled).path("usage").path("total_tokens").asLong()).isEqualTo(COST);
    DeploymentStats ptu = sim.stats().deployment(PTU);
    DeploymentStats payg = sim.stats().deployment(PAYG);
    assertThat(ptu.requests()).isEqualTo(2);
    assertThat(ptu.succeeded()).isEqualTo(1);
    assertThat(ptu.throttled()).isZero();
    assertThat(ptu.spilledOver()).isEqualTo(1);
    assertThat(ptu.totalTokens()).isEqualTo(COST);
    assertThat(payg.requests()).isZero();
    assertThat(payg.spilledIn()).isEqualTo(1);
    assertThat(payg.succeeded()).isEqualTo(1);
    assertThat(payg.totalTokens()).isEqualTo(COST);
    assertThat(payg.spilledInTokens()).isEqualTo(COST);
  }

  @Test
  void aSpilledStreamCarriesTheSpilloverHeaders() {
    Simulator sim = start(DeploymentConfig.ptu(PTU, 600).withSpilloverDeployment(PAYG),
        DeploymentConfig.payg(PAYG, 0, 0));
    String stream = SimHarness.chat(null, "\"max_tokens\":40", "\"stream\":true");
    assertThat(harness.post(sim, PTU_URL, stream).statusCode()).isEqualTo(200);

    HttpResponse<String> spilled = harness.post(sim, PTU_URL, stream);

    assertThat(spilled.statusCode()).isEqualTo(200);
    assertThat(spilled.headers().firstValue("content-type")).hasValue("text/event-stream");
    assertThat(spilled.headers().firstValue("x-ms-spillover-from-deployment")).hasValue(PTU);
    assertThat(SimHarness.sseData(spilled.body())).last().isEqualTo("[DONE]");
    assertThat(sim.stats().deployment(PAYG).spilledInTokens()).isEqualTo(COST);
  }

  @Test
  void theRequestHeaderSpillsADeploymentWithoutOneConfigured() {
    Simulator sim = start(DeploymentConfig.ptu(PTU, 600), DeploymentConfig.payg(PAYG, 0, 0));
    assertThat(harness.post(sim, PTU_URL, BODY).statusCode()).isEqualTo(200);
    assertThat(harness.post(sim, PTU_URL, BODY).statusCode()).as("no spillover without the header").isEqualTo(429);

    HttpResponse<String> spilled = harness.post(sim, PTU_URL, BODY, "x-ms-spillover-deployment", PAYG);

    assertThat(spilled.statusCode()).isEqualTo(200);
    assertThat(spilled.headers().firstValue("x-ms-spillover-from-deployment")).hasValue(PTU);
    assertThat(sim.stats().deployment(PTU).throttled()).isEqualTo(1);
    assertThat(sim.stats().deployment(PTU).spilledOver()).isEqualTo(1);
  }

  @Test
  void theRequestHeaderWinsOverTheConfiguredDeployment() {
    Simulator sim = start(DeploymentConfig.ptu(PTU, 600).withSpilloverDeployment(PAYG),
        DeploymentConfig.payg(PAYG, 0, 0), DeploymentConfig.payg("other-payg", 0, 0));
    harness.post(sim, PTU_URL, BODY);

    HttpResponse<String> spilled = harness.post(sim, PTU_URL, BODY, "x-ms-spillover-deployment", "other-payg");

    assertThat(spilled.headers().firstValue("x-ms-deployment-name")).hasValue("other-payg");
    assertThat(sim.stats().deployment("other-payg").spilledIn()).isEqualTo(1);
    assertThat(sim.stats().deployment(PAYG).spilledIn()).isZero();
  }

  @Test
  void aHeaderNamingNoStandardDeploymentIsABadRequest() {
    Simulator sim = start(DeploymentConfig.ptu(PTU, 600), DeploymentConfig.ptu("other-ptu", 600),
        DeploymentConfig.payg(PAYG, 0, 0));

    HttpResponse<String> unknown = harness.post(sim, PTU_URL, BODY, "x-ms-spillover-deployment", "nope");
    HttpResponse<String> provisioned = harness.post(sim, PTU_URL, BODY, "x-ms-spillover-deployment", "other-ptu");

    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(unknown).path("error").path("code").asText()).isEqualTo("BadRequest");
    assertThat(SimHarness.json(unknown).path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(SimHarness.json(unknown).path("error").path("message").asText())
        .contains("'nope'", "x-ms-spillover-deployment");
    assertThat(provisioned.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(provisioned).path("error").path("message").asText()).contains("standard deployment");
    assertThat(sim.stats().deployment(PTU).totalTokens()).as("nothing booked for a bad request").isZero();
  }

  @Test
  void whenTheSpilloverDeploymentThrottlesTooItsOwn429ComesBack() {
    Simulator sim = start(DeploymentConfig.ptu(PTU, 600).withSpilloverDeployment(PAYG),
        DeploymentConfig.payg(PAYG, 0, 1));
    harness.post(sim, PTU_URL, BODY);
    assertThat(harness.post(sim, PTU_URL, BODY).statusCode()).isEqualTo(200);

    HttpResponse<String> throttled = harness.post(sim, PTU_URL, BODY);

    assertThat(throttled.statusCode()).isEqualTo(429);
    assertThat(throttled.headers().firstValue("x-ms-deployment-name")).hasValue(PAYG);
    assertThat(throttled.headers().firstValue("x-ms-spillover-from-deployment")).hasValue(PTU);
    assertThat(throttled.headers().firstValue("x-ms-spillover-error")).hasValue("429");
    assertThat(throttled.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
    assertThat(SimHarness.json(throttled).path("error").path("message").asText()).contains("deployment " + PAYG);
    assertThat(sim.stats().deployment(PAYG).throttled()).isEqualTo(1);
    assertThat(sim.stats().deployment(PAYG).spilledIn()).isEqualTo(2);
    assertThat(sim.stats().deployment(PTU).spilledOver()).isEqualTo(2);
    assertThat(sim.stats().deployment(PTU).throttled()).isZero();
  }

  @Test
  void embeddingsSpillOverToo() {
    Simulator sim = start(DeploymentConfig.ptu("e-ptu", 60).withKind(DeploymentKind.EMBEDDINGS)
        .withSpilloverDeployment("e-payg"), DeploymentConfig.embeddings("e-payg", 4));
    String body = "{\"input\":\"" + "word ".repeat(8) + "\"}";
    String url = "/openai/deployments/e-ptu/embeddings?api-version=2024-10-21";
    assertThat(harness.post(sim, url, body).headers().firstValue("x-ms-deployment-name")).hasValue("e-ptu");

    HttpResponse<String> spilled = harness.post(sim, url, body);

    assertThat(spilled.statusCode()).isEqualTo(200);
    assertThat(spilled.headers().firstValue("x-ms-spillover-from-deployment")).hasValue("e-ptu");
    assertThat(SimHarness.json(spilled).path("model").asText()).isEqualTo("e-payg");
  }

  @Test
  void configNamesItsSpilloverDeploymentAndChecksIt() {
    SimulatorConfig config = SimulatorConfig.parse("""
        deployments:
          - {name: p, tier: ptu, capacityTokensPerMinute: 1000, spilloverDeployment: s}
          - {name: s, tier: payg}
        """);
    assertThat(config.deployment("p").orElseThrow().spilloverDeployment()).hasValue("s");
    assertThat(config.deployment("p")).contains(DeploymentConfig.ptu("p", 1000).withSpilloverDeployment("s"));

    assertThatThrownBy(() -> SimulatorConfig.parse("""
        deployments:
          - {name: s, tier: payg}
          - name: p
            tier: ptu
            capacityTokensPerMinute: 1000
            spilloverDeployment: nope
        """))
        .isInstanceOf(SimulatorConfigException.class)
        .hasMessageContaining("line 6: deployments[1].spilloverDeployment: 'nope' is not a deployment");
    assertThatThrownBy(() -> SimulatorConfig.parse("""
        deployments:
          - {name: p, tier: ptu, capacityTokensPerMinute: 1000, spilloverDeployment: q}
          - {name: q, tier: ptu, capacityTokensPerMinute: 1000}
        """))
        .hasMessageContaining("line 2: deployments[0].spilloverDeployment: 'q' must be a payg deployment");
    assertThatThrownBy(() -> SimulatorConfig.parse("""
        deployments:
          - {name: p, tier: ptu, capacityTokensPerMinute: 1000, spilloverDeployment: e}
          - {name: e, kind: embeddings, tier: payg}
        """))
        .hasMessageContaining("deployments[0].spilloverDeployment: 'e' serves embeddings, not chat");
    assertThatThrownBy(() -> SimulatorConfig.parse("""
        deployments:
          - name: s
            tier: payg
            spilloverDeployment: s
        """))
        .hasMessageContaining("line 4: deployments[0].spilloverDeployment: applies to ptu deployments only");
    assertThatThrownBy(() -> SimulatorConfig.builder()
        .deployment(DeploymentConfig.ptu("p", 10).withSpilloverDeployment("gone")).build())
        .hasMessageContaining("deployment p: spilloverDeployment 'gone' is not a deployment");
    assertThatThrownBy(() -> DeploymentConfig.payg("s", 0, 0).withSpilloverDeployment("x"))
        .hasMessageContaining("ptu deployments only");
  }
}
