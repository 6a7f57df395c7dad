package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every fault kind, by header and by config. */
class SimulatorFaultsTest {
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimulatorConfig.builder()
        .zeroLatency(true)
        .timing(Timing.defaults().withTtftBase(Duration.ofMillis(30)).withTtftPerPromptToken(Duration.ZERO)
            .withOutputTokensPerSecond(10_000))
        .deployment(DeploymentConfig.payg("gpt-4o", 0, 0))
        .deployment(DeploymentConfig.embeddings("emb", 4))
        .build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private HttpResponse<String> withFault(String fault) {
    return harness.post(sim, "/v1/chat/completions", SimHarness.chat("gpt-4o"), "x-sim-fault", fault);
  }

  @Test
  void http500And503HaveAzureShapedBodies() {
    HttpResponse<String> r500 = withFault("500");
    assertThat(r500.statusCode()).isEqualTo(500);
    assertThat(SimHarness.json(r500).path("error").path("code").asText()).isEqualTo("InternalServerError");
    HttpResponse<String> r503 = withFault("503");
    assertThat(r503.statusCode()).isEqualTo(503);
    assertThat(SimHarness.json(r503).path("error").path("code").asText()).isEqualTo("ServiceUnavailable");
  }

  @Test
  void resetClosesTheConnectionWithoutAnAnswer() {
    assertThatThrownBy(() -> withFault("reset")).isInstanceOf(UncheckedIOException.class);
    assertThat(withFault("503").statusCode()).isEqualTo(503); // the server carries on
  }

  @Test
  void hangNeverAnswers() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
        .timeout(Duration.ofMillis(300))
        .header("x-sim-fault", "hang")
        .POST(HttpRequest.BodyPublishers.ofString(SimHarness.chat("gpt-4o")))
        .build();
    assertThatThrownBy(() -> harness.http.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void garbageIs200WithABodyThatIsNotJson() {
    HttpResponse<String> r = withFault("garbage");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> SimHarness.JSON.readTree(r.body())).isInstanceOf(IOException.class);
  }

  @Test
  void slowIsTenTimesTheConfiguredLatencyEvenUnderZeroLatency() {
    long normalStart = System.nanoTime();
    assertThat(harness.post(sim, "/v1/chat/completions", SimHarness.chat("gpt-4o", "\"max_tokens\":1")).statusCode())
        .isEqualTo(200);
    long normalMillis = (System.nanoTime() - normalStart) / 1_000_000;

    long slowStart = System.nanoTime();
    HttpResponse<String> slow = harness.post(sim, "/v1/chat/completions", SimHarness.chat("gpt-4o", "\"max_tokens\":1"),
        "x-sim-fault", "slow");
    long slowMillis = (System.nanoTime() - slowStart) / 1_000_000;

    assertThat(slow.statusCode()).isEqualTo(200);
    assertThat(slowMillis).isGreaterThanOrEqualTo(300).isGreaterThan(normalMillis);
  }

  @Test
  void midstreamSendsSomeChunksThenDropsTheConnection() throws Exception {
    // A raw socket shows exactly what the server sent; HTTP clients may discard data buffered before an error.
    byte[] body = SimHarness.chat("gpt-4o", "\"stream\":true", "\"max_tokens\":50").getBytes(StandardCharsets.UTF_8);
    String received;
    try (Socket socket = new Socket("127.0.0.1", sim.port())) {
      socket.setSoTimeout(5_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n"
          + "x-sim-fault: midstream\r\ncontent-length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8); // until the server closes
    }
    assertThat(received).startsWith("HTTP/1.1 200").contains("text/event-stream").contains("transfer-encoding: chunked");
    assertThat(received.split("data: ", -1)).hasSize(1 + 2 + 3); // prompt filter, role, three content chunks
    assertThat(received).doesNotContain("[DONE]").doesNotContain("finish_reason\":\"length").doesNotEndWith("0\r\n\r\n");
    assertThat(sim.stats().deployment("gpt-4o").faulted()).isPositive();
  }

  @Test
  void midstreamOnANonStreamedRequestStillDiesAfterAFewChunks() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/chat/completions"))
        .header("x-sim-fault", "midstream")
        .POST(HttpRequest.BodyPublishers.ofString(SimHarness.chat("gpt-4o")))
        .build();
    assertThatThrownBy(() -> harness.http.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void contentFilterIsAzures400() {
    HttpResponse<String> r = withFault("content_filter");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(SimHarness.json(r).path("error").path("code").asText()).isEqualTo("content_filter");
    assertThat(SimHarness.json(r).path("error").path("innererror").path("code").asText())
        .isEqualTo("ResponsibleAIPolicyViolation");
  }

  @Test
  void closingTheSimulatorDropsHungConnections() {
    Simulator own = harness.start(SimHarness.fast(DeploymentConfig.payg("m", 0, 0)));
    HttpRequest request = HttpRequest.newBuilder(URI.create(own.baseUrl() + "/v1/chat/completions"))
        .timeout(Duration.ofSeconds(30))
        .header("x-sim-fault", "hang")
        .POST(HttpRequest.BodyPublishers.ofString(SimHarness.chat("m")))
        .build();
    var pending = harness.http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    SimHarness.eventually(() -> own.stats().deployment("m").faulted() == 1);

    own.close().await();

    assertThatThrownBy(() -> pending.get(5, java.util.concurrent.TimeUnit.SECONDS))
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void unknownFaultIs400() {
    assertThat(withFault("explode").statusCode()).isEqualTo(400);
  }

  @Test
  void configuredFaultsFollowTheSeededSequence() {
    SimulatorConfig config = SimHarness.fast(
        DeploymentConfig.payg("flaky", 0, 0).withFaults(FaultConfig.of(0.5, FaultKind.HTTP_500, FaultKind.HTTP_503)));
    List<Integer> first = statuses(harness.start(config), 30);
    List<Integer> second = statuses(harness.start(config), 30);
    List<Integer> otherSeed = statuses(harness.start(config.toBuilder().seed(7).build()), 30);

    assertThat(first).contains(200, 500, 503).containsOnly(200, 500, 503);
    assertThat(second).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  @Test
  void alwaysFaultingDeploymentCountsFaults() {
    Simulator own = harness.start(SimHarness.fast(
        DeploymentConfig.embeddings("e", 4).withFaults(FaultConfig.of(1.0, FaultKind.HTTP_503))));
    assertThat(harness.post(own, "/v1/embeddings", "{\"model\":\"e\",\"input\":\"x\"}").statusCode()).isEqualTo(503);
    assertThat(own.stats().deployment("e").faulted()).isEqualTo(1);
  }

  private List<Integer> statuses(Simulator target, int count) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(harness.post(target, "/v1/chat/completions", SimHarness.chat("flaky", "\"max_tokens\":1")).statusCode());
    }
    return out;
  }
}
