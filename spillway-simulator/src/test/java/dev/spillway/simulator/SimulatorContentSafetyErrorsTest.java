package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Content Safety look-alike's refusals and faults over real HTTP: key, URL, bad bodies, injected failures. */
class SimulatorContentSafetyErrorsTest {
  private static final String ANALYZE = SimulatorContentSafetyTest.ANALYZE;
  private static final String SHIELD = SimulatorContentSafetyTest.SHIELD;
  private static SimHarness harness;
  private static Simulator sim;

  @BeforeAll
  static void start() {
    harness = new SimHarness();
    sim = harness.start(SimulatorConfig.builder().zeroLatency(true).apiKey("openai-key")
        .deployment(DeploymentConfig.payg("gpt-4o", 0, 0))
        .contentSafety(ContentSafetyConfig.DEFAULTS.withApiKey(SimulatorContentSafetyTest.KEY))
        .build());
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static HttpResponse<String> call(String url, String body, String... headers) {
    return callOn(sim, url, body, headers);
  }

  private static HttpResponse<String> callOn(Simulator target, String url, String body, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = ContentSafetyApi.KEY_HEADER;
    all[1] = SimulatorContentSafetyTest.KEY;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return harness.post(target, url, body, all);
  }

  private static void assertError(HttpResponse<String> r, int status, String code) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(SimHarness.json(r).path("error").path("code").asText()).isEqualTo(code);
    assertThat(SimHarness.json(r).path("error").path("message").asText()).isNotBlank();
    assertThat(r.headers().firstValue("x-ms-error-code")).hasValue(code);
  }

  @Test
  void aMissingOrWrongKeyIs401InAzuresShape() {
    assertError(harness.post(sim, ANALYZE, "{\"text\":\"x\"}"), 401, "401");
    assertError(harness.post(sim, ANALYZE, "{\"text\":\"x\"}", ContentSafetyApi.KEY_HEADER, "wrong"), 401, "401");
    assertError(harness.post(sim, SHIELD, "{\"userPrompt\":\"x\"}", "api-key", "openai-key"), 401, "401");
    assertThat(SimHarness.json(harness.post(sim, ANALYZE, "{}")).path("error").path("message").asText())
        .contains("Access denied");
  }

  @Test
  void withoutAKeyOfItsOwnTheSimulatorsKeyApplies() {
    Simulator shared = harness.start(sim.config().toBuilder().contentSafety(ContentSafetyConfig.DEFAULTS).build());

    assertThat(harness.post(shared, ANALYZE, "{\"text\":\"x\"}", ContentSafetyApi.KEY_HEADER, "openai-key")
        .statusCode()).isEqualTo(200);
    assertThat(harness.post(shared, ANALYZE, "{\"text\":\"x\"}").statusCode()).isEqualTo(401);
  }

  @Test
  void badBodiesAre400InvalidRequestBody() {
    for (String body : new String[] {"not json", "[1]", "{}", "{\"text\":5}", "{\"text\":\"x\",\"outputType\":\"Two\"}",
        "{\"text\":\"x\",\"categories\":[\"Gore\"]}", "{\"text\":\"x\",\"categories\":\"Hate\"}",
        "{\"text\":\"x\",\"haltOnBlocklistHit\":\"yes\"}"}) {
      assertError(call(ANALYZE, body), 400, "InvalidRequestBody");
    }
    for (String body : new String[] {"{}", "{\"userPrompt\":3}", "{\"documents\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\"]}",
        "{\"documents\":\"one\"}"}) {
      assertError(call(SHIELD, body), 400, "InvalidRequestBody");
    }
    assertError(call(ANALYZE, "{\"text\":\"x\"}", ContentFilterHeader.NAME, "prompt=gore"), 400, "InvalidRequestBody");
  }

  @Test
  void analyzeTakesAtMostTenThousandCharacters() {
    assertThat(call(ANALYZE, "{\"text\":\"" + "a".repeat(10_000) + "\"}").statusCode()).isEqualTo(200);
    assertThat(call(ANALYZE, "{\"text\":\"" + "\uD83C\uDF0A".repeat(10_000) + "\"}").statusCode()).isEqualTo(200);
    assertError(call(ANALYZE, "{\"text\":\"" + "a".repeat(10_001) + "\"}"), 400, "InvalidRequestBody");
    assertError(call(SHIELD, "{\"userPrompt\":\"" + "a".repeat(10_001) + "\"}"), 400, "InvalidRequestBody");
    assertError(call(SHIELD, "{\"documents\":[\"" + "a".repeat(5_001) + "\",\"" + "b".repeat(5_000) + "\"]}"), 400,
        "InvalidRequestBody");
  }

  @Test
  void unknownUrlsMissingVersionsAndOtherMethodsAreRefused() {
    assertError(call("/contentsafety/text:analyze", "{\"text\":\"x\"}"), 404, "404");
    assertError(call("/contentsafety/image:analyze?api-version=2024-09-01", "{}"), 404, "404");
    HttpResponse<String> get = harness.get(sim, ANALYZE, ContentSafetyApi.KEY_HEADER, SimulatorContentSafetyTest.KEY);
    assertError(get, 405, "405");
    assertThat(call("/contentsafety/text%3Aanalyze?api-version=2024-09-01", "{\"text\":\"x\"}").statusCode())
        .isEqualTo(200);
  }

  @Test
  void faultsByHeaderFailTheCallAsAzureWould() {
    ContentSafetyStats before = sim.contentSafetyStats();
    assertError(call(ANALYZE, "{\"text\":\"x\"}", SimulatorHandler.FAULT_HEADER, "500"), 500, "InternalError");
    assertError(call(SHIELD, "{\"userPrompt\":\"x\"}", SimulatorHandler.FAULT_HEADER, "503"), 503, "ServerBusy");
    assertThatThrownBy(() -> call(ANALYZE, "{\"text\":\"x\"}", SimulatorHandler.FAULT_HEADER, "reset"))
        .isInstanceOf(UncheckedIOException.class);
    HttpResponse<String> garbage = call(ANALYZE, "{\"text\":\"x\"}", SimulatorHandler.FAULT_HEADER, "garbage");
    assertThat(garbage.statusCode()).isEqualTo(200);
    assertThat(garbage.body()).startsWith("<html>");
    assertError(call(ANALYZE, "{\"text\":\"x\"}", SimulatorHandler.FAULT_HEADER, "content_filter"), 400,
        "InvalidRequestBody");
    assertThat(sim.contentSafetyStats().minus(before).faulted()).isEqualTo(4);
  }

  @Test
  void aHangNeverAnswers() {
    HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + ANALYZE)).timeout(Duration.ofMillis(300))
        .header(ContentSafetyApi.KEY_HEADER, SimulatorContentSafetyTest.KEY).header(SimulatorHandler.FAULT_HEADER, "hang")
        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"x\"}")).build();

    assertThatThrownBy(() -> harness.http.send(request, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void configuredFaultsAndLatencyApplyWithoutAHeader() {
    Simulator failing = harness.start(sim.config().toBuilder().contentSafety(ContentSafetyConfig.DEFAULTS
        .withApiKey(SimulatorContentSafetyTest.KEY).withFaults(FaultConfig.of(1.0, FaultKind.HTTP_503))).build());
    assertError(callOn(failing, ANALYZE, "{\"text\":\"x\"}"), 503, "ServerBusy");
    assertThat(failing.contentSafetyStats().faulted()).isEqualTo(1);

    Simulator slow = harness.start(sim.config().toBuilder().zeroLatency(false).contentSafety(ContentSafetyConfig
        .DEFAULTS.withApiKey(SimulatorContentSafetyTest.KEY).withLatency(Duration.ofMillis(30))).build());
    long start = System.nanoTime();
    assertThat(callOn(slow, ANALYZE, "{\"text\":\"x\"}").statusCode()).isEqualTo(200);
    long normal = System.nanoTime() - start;
    start = System.nanoTime();
    assertThat(callOn(slow, ANALYZE, "{\"text\":\"x\"}", SimulatorHandler.FAULT_HEADER, "slow")
        .statusCode()).isEqualTo(200);
    long slowed = System.nanoTime() - start;
    assertThat(normal).isGreaterThanOrEqualTo(30_000_000L);
    assertThat(slowed).isGreaterThanOrEqualTo(300_000_000L);
  }
}
