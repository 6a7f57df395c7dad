package dev.spillway.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The limits a gateway puts on what clients send ({@code server.maxHeaderBytes}, {@code
 * maxMessages}, {@code requestTimeout}, {@code idleTimeout}), and that nothing a client sends
 * reaches the backend as a credential or chooses where the request goes.
 *
 * <p>The backend is a loopback recorder; a second loopback server, the canary, is what a forged
 * {@code Host}, absolute-form target or URL-like model points at: any connection to it fails the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InputLimitsTest {
  private static final int MAX_HEADER_BYTES = 2048;
  private static final int MAX_MESSAGES = 4;
  private static final Duration REQUEST_TIMEOUT = Duration.ofMillis(500);
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);
  private static final String BACKEND_KEY = "limits-test-backend-key-7c41";
  private static final String DEPLOYMENT_PATH = "/openai/deployments/gpt-4o-deployment/chat/completions?api-version=2024-10-21";
  private static final String COMPLETION =
      "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}";

  /** A request as the backend received it. */
  private record Forwarded(String uri, MultiMap headers, String body) {}

  private final LinkedBlockingQueue<Forwarded> forwarded = new LinkedBlockingQueue<>();
  private final AtomicInteger canaryContacts = new AtomicInteger();
  private Vertx vertx;
  private HttpServer recorder;
  private NetServer canary;
  private GatewayServer gateway;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
    recorder =
        vertx.createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              forwarded.add(new Forwarded(req.uri(), MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), b.toString()));
                              req.response().putHeader("content-type", "application/json").end(COMPLETION);
                            }))
            .listen(0, "127.0.0.1")
            .await();
    canary =
        vertx.createNetServer()
            .connectHandler(
                socket -> {
                  canaryContacts.incrementAndGet();
                  socket.close();
                })
            .listen(0, "127.0.0.1")
            .await();
    gateway = startGateway(IDLE_TIMEOUT);
  }

  private GatewayServer startGateway(Duration idleTimeout) {
    ServerConfig server =
        ServerConfig.builder()
            .host("127.0.0.1")
            .port(0)
            .maxBodyBytes(64 * 1024)
            .maxHeaderBytes(MAX_HEADER_BYTES)
            .maxMessages(MAX_MESSAGES)
            .requestTimeout(REQUEST_TIMEOUT)
            .idleTimeout(idleTimeout)
            .build();
    BackendConfig backend =
        BackendConfig.builder()
            .id("recorder")
            .type(BackendType.AZURE)
            .url(URI.create("http://127.0.0.1:" + recorder.actualPort()))
            .deployment("gpt-4o-deployment")
            .apiVersion("2024-10-21")
            .auth(BackendAuth.apiKey(BACKEND_KEY))
            .tier(Tier.PAYG)
            .priority(1)
            .region("test")
            .build();
    SpillwayConfig config = SpillwayConfig.builder()
        .server(server)
        .routing(RoutingConfig.DEFAULTS)
        .models(Map.of("gpt-4o", ModelConfig.builder()
            .name("gpt-4o")
            .strategy(RoutingStrategy.PRIORITY)
            .backends(List.of(backend))
            .build()))
        .build();
    return GatewayServer.start(vertx, config, GatewayOptions.defaults()).await();
  }

  @BeforeEach
  void clearRecords() {
    forwarded.clear();
  }

  @AfterEach
  void nothingButTheBackendWasEverContacted() {
    assertThat(canaryContacts.get()).as("connections to a host named by the client").isZero();
  }

  @AfterAll
  void stop() {
    gateway.close().await();
    recorder.close().await();
    canary.close().await();
    vertx.close().await();
  }

  private String canaryAuthority() {
    return "127.0.0.1:" + canary.actualPort();
  }

  private RawHttp connect() throws IOException {
    return RawHttp.connect(gateway.port(), Duration.ofSeconds(10));
  }

  private static String chat(String model, int messages) {
    StringBuilder b = new StringBuilder("{\"model\":").append(TextNode.valueOf(model).toString()).append(",\"messages\":[");
    for (int i = 0; i < messages; i++) {
      b.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"message ").append(i).append("\"}");
    }
    return b.append("],\"max_tokens\":5}").toString();
  }

  /** A fresh client per call: the gateway's one-second idle timeout would break pooled connections. */
  private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
              .timeout(Duration.ofSeconds(10))
              .header("content-type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
  }

  private Forwarded nextForwarded() throws InterruptedException {
    Forwarded f = forwarded.poll(5, TimeUnit.SECONDS);
    assertThat(f).as("a request reached the backend").isNotNull();
    return f;
  }

  private void assertNothingForwarded() {
    assertThat(forwarded).as("requests that reached the backend").isEmpty();
  }

  private static JsonNode assertError(RawHttp.Response r, int status, String code) throws IOException {
    return OpenAiErrors.assertShape(r.status(), r.header("content-type"), r.body(), status, code);
  }

  private static JsonNode assertError(HttpResponse<String> r, int status, String code) throws IOException {
    return OpenAiErrors.assertShape(r.statusCode(), r.headers().firstValue("content-type").orElse(null), r.body(), status, code);
  }

  // ---- server.maxHeaderBytes ----------------------------------------------------------------

  @Test
  void oneHeaderOverMaxHeaderBytesIs431InTheOpenAiShapeAndTheConnectionCloses() throws Exception {
    try (RawHttp raw = connect()) {
      raw.write(RawHttp.request("GET", "/v1/models", "localhost", Map.of("x-big", "a".repeat(MAX_HEADER_BYTES + 500)), null));
      RawHttp.Response r = raw.readResponse();
      assertError(r, 431, "request_header_fields_too_large");
      assertThat(r.header("connection")).isEqualToIgnoringCase("close");
      raw.awaitClose();
    }
  }

  @Test
  void aRequestTheDecoderRefusesLeavesNoErrorInTheLog() throws Exception {
    try (LogCapture logs = LogCapture.start()) {
      try (RawHttp raw = connect()) {
        raw.write(RawHttp.request("GET", "/v1/models", "localhost", Map.of("x-big", "a".repeat(MAX_HEADER_BYTES + 500)), null));
        assertError(raw.readResponse(), 431, "request_header_fields_too_large");
        raw.awaitClose();
      }
      // The error, if any, is logged on the event loop right after the answer went out: give it a bounded moment.
      long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
      while (logs.recordsAtLeast(java.util.logging.Level.WARNING).isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(logs.recordsAtLeast(java.util.logging.Level.WARNING))
          .extracting(r -> r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage() + " " + r.getThrown())
          .isEmpty();
    }
  }

  @Test
  void manySmallHeadersOverMaxHeaderBytesAre431() throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      headers.put("x-h" + i, "v".repeat(70));
    }
    try (RawHttp raw = connect()) {
      raw.write(RawHttp.request("POST", "/v1/chat/completions", "localhost", headers, chat("gpt-4o", 1)));
      assertError(raw.readResponse(), 431, "request_header_fields_too_large");
    }
    assertNothingForwarded();
  }

  @Test
  void headersJustUnderMaxHeaderBytesAreServed() throws Exception {
    try (RawHttp raw = connect()) {
      raw.write(RawHttp.request("GET", "/healthz", "localhost", Map.of("x-big", "a".repeat(MAX_HEADER_BYTES - 400)), null));
      assertThat(raw.readResponse().status()).isEqualTo(200);
    }
  }

  // ---- the request line ----------------------------------------------------------------------

  /**
   * Vert.x's default limit on the request line (4096 bytes) is not configurable through Spillway;
   * what matters is that the answer is a clean OpenAI-shaped 4xx and the connection ends.
   */
  @Test
  void aRequestLineOverTheLimitGetsAnOpenAiShaped4xx() throws Exception {
    try (RawHttp raw = connect()) {
      raw.write(RawHttp.request("GET", "/v1/models?pad=" + "a".repeat(8192), "localhost", Map.of(), null));
      RawHttp.Response r = raw.readResponse();
      assertThat(r.status()).isBetween(400, 499);
      OpenAiErrors.assertShape(r.header("content-type"), r.body());
      raw.awaitClose();
    }
  }

  @Test
  void aRequestLineOverTheLimitIs414NotAHeaderError() throws Exception {
    try (RawHttp raw = connect()) {
      raw.write(RawHttp.request("GET", "/v1/models?pad=" + "a".repeat(8192), "localhost", Map.of(), null));
      RawHttp.Response r = raw.readResponse();
      assertThat(r.status()).isEqualTo(414);
      assertThat(OpenAiErrors.assertShape(r.header("content-type"), r.body()).path("message").asText())
          .doesNotContainIgnoringCase("header");
    }
  }

  // ---- server.maxMessages --------------------------------------------------------------------

  @Test
  void moreThanMaxMessagesIs400NamingMessagesAndIsNotForwarded() throws Exception {
    JsonNode error = assertError(post("/v1/chat/completions", chat("gpt-4o", MAX_MESSAGES + 1)), 400, "invalid_value");
    assertThat(error.path("param").asText()).isEqualTo("messages");
    assertThat(error.path("message").asText()).contains(Integer.toString(MAX_MESSAGES));
    assertNothingForwarded();
  }

  @Test
  void exactlyMaxMessagesIsForwarded() throws Exception {
    assertThat(post("/v1/chat/completions", chat("gpt-4o", MAX_MESSAGES)).statusCode()).isEqualTo(200);
    assertThat(nextForwarded().uri()).isEqualTo(DEPLOYMENT_PATH);
  }

  // ---- server.requestTimeout -----------------------------------------------------------------

  /** Sends the headers and half the body of a chat request, then nothing more. */
  private static void sendHalfABody(RawHttp raw) throws IOException {
    String body = chat("gpt-4o", 1);
    raw.write("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, body.length() / 2));
  }

  @Test
  void aClientThatStallsMidBodyGets408AfterTheRequestTimeout() throws Exception {
    try (RawHttp raw = connect()) {
      long sent = System.nanoTime();
      sendHalfABody(raw);
      RawHttp.Response r = raw.readResponse();
      Duration took = Duration.ofNanos(System.nanoTime() - sent);

      assertError(r, 408, "request_timeout");
      assertThat(took).isGreaterThanOrEqualTo(REQUEST_TIMEOUT.minusMillis(50)).isLessThan(REQUEST_TIMEOUT.plusSeconds(3));
    }
    assertNothingForwarded();
  }

  @Test
  void afterA408TheGatewayClosesTheStalledConnectionAtOnce() throws Exception {
    // Read timeout below the idle timeout: a close caused by idleness would come too late to pass.
    try (RawHttp raw = RawHttp.connect(gateway.port(), REQUEST_TIMEOUT.plusMillis(300))) {
      sendHalfABody(raw);
      RawHttp.Response r = raw.readResponse();
      assertError(r, 408, "request_timeout");
      assertThat(r.header("connection")).isEqualToIgnoringCase("close");
      raw.awaitClose();
    }
  }

  @Test
  void aBodyTricklingInIsCutOffAtTheRequestTimeoutNotAtTheIdleTimeout() throws Exception {
    String body = chat("gpt-4o", 1);
    String head =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n";
    try (RawHttp raw = connect()) {
      long sent = System.nanoTime();
      raw.write(head);
      // One byte every 100 ms: never idle for the idle timeout, always too slow for the request timeout.
      Thread trickle =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < body.length() - 1; i++) {
                        raw.write(body.substring(i, i + 1));
                        Thread.sleep(100);
                      }
                    } catch (IOException | InterruptedException closed) {
                      // The gateway hung up, as it should.
                    }
                  });
      try {
        RawHttp.Response r = raw.readResponse();
        Duration took = Duration.ofNanos(System.nanoTime() - sent);
        assertError(r, 408, "request_timeout");
        assertThat(took).isLessThan(REQUEST_TIMEOUT.plusSeconds(3));
      } finally {
        trickle.interrupt();
      }
    }
    assertNothingForwarded();
  }

  @Test
  void aClientTricklingItsHeadersIsCutOffAtTheRequestTimeout() throws Exception {
    // An idle timeout far above the request timeout, so only the request timeout can end this in time.
    GatewayServer patient = startGateway(Duration.ofSeconds(5));
    Thread trickle = null;
    try (RawHttp raw = RawHttp.connect(patient.port(), REQUEST_TIMEOUT.plusSeconds(2))) {
      raw.write("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n");
      trickle =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      for (int i = 0; i < 100; i++) {
                        raw.write("x-slow-" + i + ": 1\r\n");
                        Thread.sleep(200);
                      }
                    } catch (IOException | InterruptedException closed) {
                      // The gateway hung up, as it should.
                    }
                  });
      RawHttp.Response r;
      try {
        r = raw.readResponse();
      } catch (SocketTimeoutException stillOpen) {
        throw new AssertionError("the gateway was still reading headers " + REQUEST_TIMEOUT.plusSeconds(2) + " after they began", stillOpen);
      } catch (IOException closedWithoutAnswer) {
        return;
      }
      assertError(r, 408, "request_timeout");
    } finally {
      if (trickle != null) {
        trickle.interrupt();
      }
      patient.close().await();
    }
  }

  // ---- server.idleTimeout --------------------------------------------------------------------

  @Test
  void anIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (RawHttp raw = RawHttp.connect(gateway.port(), IDLE_TIMEOUT.plusSeconds(4))) {
      raw.write(RawHttp.request("GET", "/healthz", "localhost", Map.of(), null));
      RawHttp.Response r = raw.readResponse();
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.header("connection")).as("kept alive after a good request").isNotEqualTo("close");

      Duration closedAfter = raw.awaitClose();
      assertThat(closedAfter).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(300));
    }
  }

  @Test
  void aSubSecondIdleTimeoutStillClosesIdleConnections() throws Exception {
    GatewayServer quick = startGateway(Duration.ofMillis(300));
    try (RawHttp raw = RawHttp.connect(quick.port(), Duration.ofSeconds(3))) {
      raw.write(RawHttp.request("GET", "/healthz", "localhost", Map.of(), null));
      assertThat(raw.readResponse().status()).isEqualTo(200);
      raw.awaitClose();
    } finally {
      quick.close().await();
    }
  }

  // ---- what reaches the backend ----------------------------------------------------------------

  @Test
  void clientCredentialsAndGatewayHeadersNeverReachTheBackend() throws Exception {
    List<String> clientSecrets =
        List.of("client-api-key-1d9f", "client-api-key-dup-77aa", "client-bearer-token-52e0", "session=client-cookie-c0ffee",
            "client-proxy-auth-9b1a", "client-x-api-key-3e3e", "client-apim-key-6a6a");
    // Raw bytes, so names arrive in odd cases and one credential header twice.
    String request =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
            + "API-Key: client-api-key-1d9f\r\n"
            + "api-key: client-api-key-dup-77aa\r\n"
            + "Authorization: Bearer client-bearer-token-52e0\r\n"
            + "Cookie: session=client-cookie-c0ffee\r\n"
            + "Proxy-Authorization: Basic client-proxy-auth-9b1a\r\n"
            + "X-Api-Key: client-x-api-key-3e3e\r\n"
            + "Ocp-Apim-Subscription-Key: client-apim-key-6a6a\r\n"
            + "X-Spillway-Backend: forged-backend\r\n"
            + "x-spillway-attempts: 99\r\n"
            + "X-SPILLWAY-REQUEST-ID: forged-request-id\r\n"
            + "x-spillway-upstream: http://" + canaryAuthority() + "\r\n"
            + "X-Custom: kept\r\n";
    String body = chat("gpt-4o", 1);
    RawHttp.Response r;
    try (RawHttp raw = connect()) {
      raw.write(request + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
      r = raw.readResponse();
    }

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("x-spillway-backend")).isEqualTo("recorder");
    assertThat(r.header("x-spillway-request-id")).isNotEqualTo("forged-request-id");
    assertThat(r.header("x-spillway-attempts")).isEqualTo("1");

    Forwarded f = nextForwarded();
    assertThat(f.uri()).isEqualTo(DEPLOYMENT_PATH);
    assertThat(f.headers().getAll("api-key")).containsExactly(BACKEND_KEY);
    assertThat(f.headers().get("x-custom")).as("ordinary headers are forwarded").isEqualTo("kept");
    for (String name : List.of("authorization", "cookie", "proxy-authorization", "x-api-key", "ocp-apim-subscription-key")) {
      assertThat(f.headers().contains(name)).as("backend received %s", name).isFalse();
    }
    List<String> everything = new ArrayList<>();
    f.headers().forEach(h -> {
      assertThat(h.getKey().toLowerCase()).as("header name").doesNotStartWith("x-spillway-");
      everything.add(h.getKey() + ": " + h.getValue());
    });
    String all = String.join("\n", everything) + "\n" + f.body();
    for (String secret : clientSecrets) {
      assertThat(all).as("what the backend received").doesNotContain(secret);
    }
    assertThat(all).doesNotContain("forged").doesNotContain(canaryAuthority());
  }

  // ---- nothing chooses the upstream --------------------------------------------------------------

  @Test
  void aForgedHostHeaderStillGoesOnlyToTheConfiguredBackend() throws Exception {
    for (String host : List.of("evil.example", canaryAuthority(), "evil.example:443")) {
      RawHttp.Response r;
      try (RawHttp raw = connect()) {
        raw.write(RawHttp.request("POST", "/v1/chat/completions", host, Map.of("Connection", "close"), chat("gpt-4o", 1)));
        r = raw.readResponse();
      }
      assertThat(r.status()).as("Host: %s", host).isEqualTo(200);
      Forwarded f = nextForwarded();
      assertThat(f.uri()).isEqualTo(DEPLOYMENT_PATH);
      assertThat(f.headers().get("host")).isEqualTo("127.0.0.1:" + recorder.actualPort());
    }
  }

  /** Vert.x routes an absolute-form target by its path; its authority is ignored, as is the Host header. */
  @Test
  void anAbsoluteFormTargetStillGoesOnlyToTheConfiguredBackend() throws Exception {
    for (String authority : List.of("evil.example", canaryAuthority())) {
      RawHttp.Response r;
      try (RawHttp raw = connect()) {
        raw.write(RawHttp.request("POST", "http://" + authority + "/v1/chat/completions", authority,
            Map.of("Connection", "close"), chat("gpt-4o", 1)));
        r = raw.readResponse();
      }
      assertThat(r.status()).as("absolute-form to %s: %s", authority, r.body()).isEqualTo(200);
      Forwarded f = nextForwarded();
      assertThat(f.uri()).isEqualTo(DEPLOYMENT_PATH);
      assertThat(f.headers().get("host")).isEqualTo("127.0.0.1:" + recorder.actualPort());
    }
  }

  @Test
  void pathOrUrlLikeModelNamesAreRefusedAndNeverForwarded() throws Exception {
    List<String> models =
        List.of("../../x", "gpt-4o/../../x", "http://evil", "http://" + canaryAuthority() + "/x", "//evil.example/x",
            "gpt-4o\r\nHost: evil.example", "gpt-4o?api-version=evil", "gpt-4o#x", "%2e%2e%2fx");
    for (String model : models) {
      JsonNode error = assertError(post("/v1/chat/completions", chat(model, 1)), 404, "model_not_found");
      assertThat(error.path("param").asText()).isEqualTo("model");
    }
    assertNothingForwarded();
  }

  @Test
  void pathOrUrlLikeAzureDeploymentsAreRefusedAndNeverForwarded() throws Exception {
    List<String> deployments =
        List.of("..%2F..%2Fx", "..", "http:%2F%2F" + canaryAuthority(), "gpt-4o%2F..%2F..%2Fx", "gpt-4o%3Fapi-version%3Devil");
    for (String deployment : deployments) {
      HttpResponse<String> r =
          post("/openai/deployments/" + deployment + "/chat/completions?api-version=2024-10-21", chat("gpt-4o", 1));
      assertThat(r.statusCode()).as(deployment).isBetween(400, 499);
      OpenAiErrors.assertShape(r.headers().firstValue("content-type").orElse(null), r.body());
    }
    assertNothingForwarded();
  }
}
