package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.time.ManualTicker;
import io.vertx.core.http.UpgradeRejectedException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the Realtime API refuses at the upgrade (key, URL, deployment, a full deployment) and inside a
 * session (a second response while one runs, a response over the rate limit), and cancelling.
 */
class SimulatorRealtimeAdmissionTest {
  private static final int CHAT_PROMPT_TOKENS =
      CompletionRequest.parse(Operation.CHAT_COMPLETIONS, SimHarness.parse(SimHarness.CHAT)).promptTokens();
  private static final String KEY = "k-rt";
  private static SimHarness harness;
  private static Simulator keyed;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    keyed = harness.start(SimHarness.fast(DeploymentConfig.payg("gpt-4o", 0, 0), DeploymentConfig.embeddings("emb"))
        .toBuilder().apiKey(KEY).build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void aMissingOrWrongKeyIs401BeforeAnyUpgrade() {
    DeploymentStats before = keyed.stats().deployment("gpt-4o");
    for (String[] headers : new String[][] {{}, {"api-key", "wrong"}, {"authorization", "Bearer wrong"},
        {"sec-websocket-protocol", "realtime, openai-insecure-api-key.wrong"}}) {
      UpgradeRejectedException e = RealtimeClient.rejected(harness.vertx, keyed, "/v1/realtime?model=gpt-4o", headers);
      assertThat(e.getStatus()).as("headers %s", (Object) headers).isEqualTo(401);
      assertThat(SimHarness.parse(e.getBody().toString()).path("error").path("code").asText()).isEqualTo("401");
    }
    // the api-key query parameter is Azure's, not OpenAI's
    assertThat(RealtimeClient.rejected(harness.vertx, keyed, "/v1/realtime?model=gpt-4o&api-key=" + KEY).getStatus())
        .isEqualTo(401);
    assertThat(keyed.stats().deployment("gpt-4o").minus(before).requests()).as("refused before the deployment").isZero();
  }

  @Test
  void theKeyIsAcceptedInAHeaderInTheSubprotocolAndOnAzureInTheQuery() {
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, keyed, "/v1/realtime?model=gpt-4o", "api-key", KEY)) {
      c.next("session.created");
    }
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, keyed, "/openai/v1/realtime?model=gpt-4o",
        "authorization", "Bearer " + KEY)) {
      c.next("session.created");
    }
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, keyed,
        "/openai/realtime?api-version=2025-04-01-preview&deployment=gpt-4o&api-key=" + KEY)) {
      c.next("session.created");
    }
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, RealtimeClient.options(keyed,
        "/v1/realtime?model=gpt-4o").addSubProtocol("realtime").addSubProtocol("openai-insecure-api-key." + KEY))) {
      c.next("session.created");
      assertThat(c.subProtocol()).isEqualTo("realtime");
    }
  }

  @Test
  void urlsAndDeploymentsTheSimulatorDoesNotServeAreRefusedAtTheUpgrade() {
    String[] key = {"api-key", KEY};
    assertThat(RealtimeClient.rejected(harness.vertx, keyed, "/v1/realtime?model=nope", key).getStatus()).isEqualTo(404);
    UpgradeRejectedException unknown = RealtimeClient.rejected(harness.vertx, keyed,
        "/openai/realtime?api-version=2025-04-01-preview&deployment=nope", key);
    assertThat(SimHarness.parse(unknown.getBody().toString()).path("error").path("code").asText())
        .isEqualTo("DeploymentNotFound");
    assertThat(RealtimeClient.rejected(harness.vertx, keyed, "/openai/realtime?deployment=gpt-4o", key).getStatus())
        .as("no api-version").isEqualTo(404);
    UpgradeRejectedException noModel = RealtimeClient.rejected(harness.vertx, keyed, "/openai/v1/realtime", key);
    assertThat(noModel.getStatus()).isEqualTo(400);
    assertThat(SimHarness.parse(noModel.getBody().toString()).path("error").path("param").asText()).isEqualTo("model");
    assertThat(RealtimeClient.rejected(harness.vertx, keyed, "/v1/realtime?model=emb", key).getStatus())
        .as("an embeddings deployment").isEqualTo(400);
    assertThat(harness.get(keyed, "/v1/realtime?model=gpt-4o", key).statusCode()).as("no upgrade").isEqualTo(400);
    assertThat(harness.post(keyed, "/v1/realtime?model=gpt-4o", "{}", key).statusCode()).isEqualTo(405);
  }

  @Test
  void aFullPtuDeploymentAnswers429AtTheUpgradeUntilItDrains() {
    ManualTicker ticker = new ManualTicker();
    // 600 tokens/minute: a 100-token bucket draining 10 tokens/s; one chat request fills it exactly.
    Simulator sim = harness.start(SimHarness.fast(DeploymentConfig.ptu("ptu", 600)), ticker);
    String fill = SimHarness.chat(null, "\"max_tokens\":" + (100 - CHAT_PROMPT_TOKENS));
    assertThat(harness.post(sim, "/openai/deployments/ptu/chat/completions?api-version=2024-10-21", fill).statusCode())
        .isEqualTo(200);

    UpgradeRejectedException full = RealtimeClient.rejected(harness.vertx, sim, "/v1/realtime?model=ptu");

    assertThat(full.getStatus()).isEqualTo(429);
    assertThat(full.getHeaders().get("retry-after-ms")).isEqualTo("100"); // one token drains in 100 ms
    assertThat(full.getHeaders().get("retry-after")).isEqualTo("1");
    assertThat(full.getHeaders().get("x-ms-deployment-name")).isEqualTo("ptu");
    assertThat(full.getHeaders().get("azure-openai-deployment-utilization")).isEqualTo("100.0%");
    assertThat(SimHarness.parse(full.getBody().toString()).path("error").path("code").asText()).isEqualTo("429");
    assertThat(sim.realtimeStats("ptu").sessionsThrottled()).isEqualTo(1);
    assertThat(sim.stats().deployment("ptu").throttled()).isEqualTo(1);

    ticker.advance(Duration.ofMillis(100));
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, "/v1/realtime?model=ptu")) {
      c.next("session.created");
    }
    assertThat(sim.realtimeStats("ptu").sessionsOpened()).isEqualTo(1);
  }

  @Test
  void aPaygDeploymentOutOfRequestsAnswers429AtTheUpgrade() {
    Simulator sim = harness.start(SimHarness.fast(DeploymentConfig.payg("payg", 0, 1)), new ManualTicker());
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, "/openai/v1/realtime?model=payg")) {
      c.next("session.created");
      UpgradeRejectedException second = RealtimeClient.rejected(harness.vertx, sim, "/openai/v1/realtime?model=payg");
      assertThat(second.getStatus()).isEqualTo(429);
      assertThat(Long.parseLong(second.getHeaders().get("retry-after-ms"))).isPositive();
      assertThat(second.getHeaders().get("x-ratelimit-remaining-requests")).isEqualTo("0");
    }
  }

  @Test
  void aResponseOverTheRateLimitFailsInsideTheSession() {
    // 60 tokens/minute: a 10-token bucket, which the session's first token leaves too full for any response
    Simulator sim = harness.start(SimHarness.fast(DeploymentConfig.ptu("ptu", 60)), new ManualTicker());
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, "/v1/realtime?model=ptu")) {
      c.next("session.created");
      c.say("Say something about rivers.");
      c.next("conversation.item.done");

      for (String options : new String[] {null, "{\"max_output_tokens\":5}"}) {
        java.util.List<JsonNode> events = c.respond(options);

        assertThat(events).hasSize(2);
        assertThat(events.getFirst().path("type").asText()).isEqualTo("response.created");
        JsonNode response = events.getLast().path("response");
        assertThat(response.path("id").asText()).isEqualTo(events.getFirst().path("response").path("id").asText());
        assertThat(response.path("status").asText()).isEqualTo("failed");
        assertThat(response.path("status_details").path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(response.path("output")).isEmpty();
        assertThat(response.path("usage").path("total_tokens").asInt()).isZero();
      }
    }
    assertThat(sim.realtimeStats("ptu").responsesThrottled()).isEqualTo(2);
    assertThat(sim.realtimeStats("ptu").responsesDone()).isZero();
    assertThat(sim.stats().deployment("ptu").totalTokens()).isZero();
  }

  @Test
  void aRunningResponseRefusesASecondOneAndCanBeCancelled() {
    Timing slow = Timing.defaults().withTtftBase(Duration.ofHours(1)); // the first delta never comes by itself
    Simulator sim = harness.start(SimulatorConfig.builder().timing(slow)
        .deployment(DeploymentConfig.payg("gpt-4o", 0, 0)).build());
    try (RealtimeClient c = RealtimeClient.connect(harness.vertx, sim, "/v1/realtime?model=gpt-4o")) {
      c.next("session.created");
      c.say("Say something about rivers.");
      c.next("conversation.item.done");
      c.send("{\"type\":\"response.create\"}");
      String id = c.next("response.created").path("response").path("id").asText();

      c.send("{\"type\":\"response.create\",\"event_id\":\"evt_2\"}");
      JsonNode busy = c.next("error").path("error");
      c.send("{\"type\":\"response.cancel\"}");
      java.util.List<JsonNode> rest = c.until("response.done");

      assertThat(busy.path("code").asText()).isEqualTo("conversation_already_has_active_response");
      assertThat(busy.path("message").asText()).contains(id);
      assertThat(rest.stream().map(e -> e.path("type").asText())).containsExactly("response.output_item.added",
          "conversation.item.added", "response.content_part.added", "response.output_text.done",
          "response.content_part.done", "response.output_item.done", "conversation.item.done", "response.done");
      JsonNode response = rest.getLast().path("response");
      assertThat(response.path("id").asText()).isEqualTo(id);
      assertThat(response.path("status").asText()).isEqualTo("cancelled");
      assertThat(response.path("status_details").path("reason").asText()).isEqualTo("client_cancelled");
      assertThat(response.path("usage").path("output_tokens").asInt()).isZero();
      assertThat(response.path("output").get(0).path("status").asText()).isEqualTo("incomplete");

      c.send("{\"type\":\"response.cancel\"}");
      assertThat(c.next("error").path("error").path("code").asText()).isEqualTo("response_cancel_not_active");
    }
    assertThat(sim.realtimeStats("gpt-4o").responsesDone()).isEqualTo(1);
    assertThat(sim.realtimeStats("gpt-4o").outputTokens()).isZero();
  }
}
