package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.config.ConfigLoader;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Realtime sessions through the gateway, over real WebSockets, in front of two simulators (the PTU deployment on one,
 * PAYG on the other): the backend is chosen at connect time, frames go both ways, each response.done is booked with
 * its usage, close codes pass through, the caller's key never reaches the backend.
 */
class RealtimeTest {
  private TestWorld world;
  private WebSocketClient clients;
  private String key;
  private String limitedKey;

  @BeforeEach
  void start() throws Exception {
    Path dir = Files.createTempDirectory("spillway-realtime");
    world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("rt-ptu", 6_000_000)));
    world.simulateOther(List.of(DeploymentConfig.payg("rt-payg", 10_000_000, 100_000)));
    String yaml = """
        server: { listen: "127.0.0.1:0", drainDelay: 0s, drainTimeout: 2s }
        models:
          gpt-4o-realtime:
            backends:
              - { id: ptu, url: "%s", deployment: rt-ptu, auth: { apiKey: %s }, tier: ptu, priority: 1, apiVersion: v1 }
              - { id: payg, url: "%s", deployment: rt-payg, auth: { apiKey: %s }, tier: payg, priority: 2, apiVersion: 2025-04-01-preview }
        consumers:
          - { id: app, team: t, models: ["*"] }
          - { id: small, team: t, models: ["*"], limits: { tokensPerMinute: 40 } }
        auth:
          keyStore: %s
          keyPepper: pepper-0123456789abcdef
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, world.otherUrl(), Backends.BACKEND_KEY, dir.resolve("keys.json"));
    world.gateway(ConfigLoader.parse(yaml, "spillway.yaml", name -> null));
    KeyStore keys = world.gateway.keys().orElseThrow();
    key = keys.create("app", Instant.now()).plaintext();
    limitedKey = keys.create("small", Instant.now()).plaintext();
    clients = world.vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() {
    clients.close().await();
    world.close();
  }

  /** A client session: every text message it receives, and how it was closed. */
  private static final class Session {
    final WebSocket ws;
    final LinkedBlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    final CompletableFuture<Short> closed = new CompletableFuture<>();
    String closeReason;

    /** Handlers set before connecting: the gateway relays the backend's session.created at once. */
    Session(io.vertx.core.http.ClientWebSocket ws) {
      this.ws = ws;
      ws.textMessageHandler(text -> {
        try {
          events.add(Http.JSON.readTree(text));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      ws.closeHandler(v -> {
        closeReason = ws.closeReason();
        closed.complete(ws.closeStatusCode());
      });
    }

    JsonNode next(String type) throws InterruptedException {
      List<String> seen = new ArrayList<>();
      while (true) {
        JsonNode e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("waiting for %s; seen %s", type, seen).isNotNull();
        seen.add(e.path("type").asText());
        if (type.equals(e.path("type").asText())) {
          return e;
        }
      }
    }

    void send(String json) {
      ws.writeTextMessage(json).await();
    }
  }

  private Session connect(String path, String header, String value) {
    return connect(world.gateway, path, header, value);
  }

  private Session connect(GatewayServer gateway, String path, String header, String value) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setAbsoluteURI("ws://127.0.0.1:" + gateway.port() + path);
    if ("sec-websocket-protocol".equals(header)) {
      options.setSubProtocols(List.of(value.split(",\\s*")));
    } else if (header != null) {
      options.addHeader(header, value);
    }
    io.vertx.core.http.ClientWebSocket socket = clients.webSocket();
    Session session = new Session(socket);
    try {
      socket.connect(options.setTimeout(10_000)).toCompletionStage().toCompletableFuture()
          .orTimeout(15, TimeUnit.SECONDS).join();
      return session;
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static final String ITEM = "{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\","
      + "\"content\":[{\"type\":\"input_text\",\"text\":\"Say hello to the gateway\"}]}}";

  @Test
  void aTextTurnIsRelayedAndBookedWithItsUsage() throws Exception {
    Session s = connect("/v1/realtime?model=gpt-4o-realtime", "api-key", key);
    s.next("session.created");
    s.send(ITEM);
    s.send("{\"type\":\"response.create\"}");
    JsonNode done = s.next("response.done");
    JsonNode usage = done.path("response").path("usage");
    assertThat(usage.path("output_tokens").asLong()).isPositive();
    s.ws.close((short) 1000, "bye").await();
    assertThat(s.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1000);

    List<RequestOutcome> outcomes = new ArrayList<>();
    while (outcomes.size() < 2) {
      RequestOutcome o = world.listener.requests.poll(10, TimeUnit.SECONDS);
      assertThat(o).as("outcomes so far: %s", outcomes).isNotNull();
      outcomes.add(o);
    }
    RequestOutcome response = outcomes.stream().filter(o -> o.operation() == Operation.REALTIME_RESPONSE).findFirst().orElseThrow();
    RequestOutcome session = outcomes.stream().filter(o -> o.operation() == Operation.REALTIME).findFirst().orElseThrow();
    assertThat(response.usage().orElseThrow().promptTokens()).isEqualTo(usage.path("input_tokens").asLong());
    assertThat(response.usage().orElseThrow().completionTokens()).isEqualTo(usage.path("output_tokens").asLong());
    assertThat(response.backend().orElseThrow().id()).isEqualTo("ptu");
    assertThat(response.caller().consumer()).isEqualTo("app");
    assertThat(session.status()).isEqualTo(200);
    assertThat(session.usage()).isEmpty();
    assertThat(session.requestId() + ".1").isEqualTo(response.requestId());
  }

  @Test
  void aBackendThatRefusesTheCredentialTwiceIsHeldAndTheSessionGoesToTheNext() throws Exception {
    String yaml = """
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o-realtime:
            backends:
              - { id: ptu, url: "%s", deployment: rt-ptu, auth: { apiKey: wrong-key-0123456789 }, tier: ptu, priority: 1, apiVersion: v1 }
              - { id: payg, url: "%s", deployment: rt-payg, auth: { apiKey: %s }, tier: payg, priority: 2, apiVersion: 2025-04-01-preview }
        """.formatted(world.simUrl(), world.otherUrl(), Backends.BACKEND_KEY);
    GatewayServer wrongKey = GatewayServer.start(world.vertx, ConfigLoader.parse(yaml, "spillway.yaml", name -> null),
        GatewayOptions.builder().build()).await();
    try {
      Session s = connect(wrongKey, "/openai/v1/realtime?model=gpt-4o-realtime", null, null);
      s.next("session.created");
      s.ws.close().await();
      var ptu = wrongKey.pools().get("gpt-4o-realtime").backend("ptu").orElseThrow();
      assertThat(ptu.isAuthHeld(System.nanoTime())).isTrue();
      assertThat(ptu.isThrottled(System.nanoTime())).isFalse();
    } finally {
      wrongKey.close().await();
    }
  }

  @Test
  void aSessionSpillsAtConnectTimeAndTheBrowserKeyWorks() throws Exception {
    assertThat(Http.post(world.url("/admin/backends/ptu/force-open"), "").statusCode()).isEqualTo(200);
    // the browser's way: the key in a subprotocol; Azure's classic shape on the gateway
    Session s = connect("/openai/realtime?api-version=2025-04-01-preview&deployment=gpt-4o-realtime",
        "sec-websocket-protocol", "realtime, openai-insecure-api-key." + key);
    s.next("session.created");
    assertThat(s.ws.subProtocol()).isEqualTo("realtime");
    s.send(ITEM);
    s.send("{\"type\":\"response.create\"}");
    s.next("response.done");
    s.ws.close().await();
    RequestOutcome first = world.listener.requests.poll(10, TimeUnit.SECONDS);
    assertThat(first.backend().orElseThrow().id()).isEqualTo("payg");
  }

  @Test
  void aStopLetsASessionGoOnForTheDrainTimeThenSaysItIsGoingAway() throws Exception {
    Session s = connect("/v1/realtime?model=gpt-4o-realtime", "api-key", key);
    s.next("session.created");
    io.vertx.core.Future<Void> stopped = world.gateway.drain();

    // Draining: the session still works.
    s.send(ITEM);
    s.send("{\"type\":\"response.create\"}");
    assertThat(s.next("response.done").path("response").path("usage").path("output_tokens").asLong()).isPositive();
    assertThat(stopped.isComplete()).as("a stop waits for a session").isFalse();

    // The drain time is over: the client is told the server is going away, and the stop completes.
    assertThat(s.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 1001);
    stopped.await(10, TimeUnit.SECONDS);
    world.gateway = null; // stopped: nothing left for the world to close
    RequestOutcome session = null;
    for (int i = 0; i < 2 && session == null; i++) {
      RequestOutcome o = world.listener.requests.poll(10, TimeUnit.SECONDS);
      assertThat(o).isNotNull();
      session = o.operation() == Operation.REALTIME ? o : null;
    }
    assertThat(session).isNotNull();
    assertThat(session.status()).isEqualTo(503);
    assertThat(session.interruptedBy()).isEqualTo("shutdown");
  }

  @Test
  void theBackendsCloseCodeReachesTheClient() throws Exception {
    Session s = connect("/openai/v1/realtime?model=gpt-4o-realtime", "authorization", "Bearer " + key);
    s.next("session.created");
    s.send("{\"type\":\"sim.close\",\"code\":4000,\"reason\":\"session expired\"}");
    assertThat(s.closed.get(10, TimeUnit.SECONDS)).isEqualTo((short) 4000);
    assertThat(s.closeReason).isEqualTo("session expired");
  }

  @Test
  void refusalsComeBeforeTheUpgrade() throws Exception {
    Throwable noKey = org.assertj.core.api.Assertions.catchThrowable(
        () -> connect("/v1/realtime?model=gpt-4o-realtime", null, null));
    assertThat(noKey).isInstanceOf(UpgradeRejectedException.class);
    assertThat(((UpgradeRejectedException) noKey).getStatus()).isEqualTo(401);
    Throwable noModel = org.assertj.core.api.Assertions.catchThrowable(() -> connect("/v1/realtime", "api-key", key));
    assertThat(((UpgradeRejectedException) noModel).getStatus()).isEqualTo(400);
    HttpResponse<String> plain = Http.send("GET", world.url("/v1/realtime?model=gpt-4o-realtime"), null,
        java.util.Map.of("api-key", key));
    assertThat(plain.statusCode()).isEqualTo(400);
    assertThat(Http.json(plain).path("error").path("code").asText()).isEqualTo("websocket_required");
  }

  @Test
  void aSpentTokenLimitStopsTheNextResponse() throws Exception {
    Session s = connect("/v1/realtime?model=gpt-4o-realtime", "api-key", limitedKey);
    s.next("session.created");
    s.send(ITEM);
    s.send("{\"type\":\"response.create\"}");
    JsonNode done = s.next("response.done");
    assertThat(done.path("response").path("usage").path("total_tokens").asLong()).isGreaterThan(40);
    TestWorld.await("the first response counted", () -> world.listener.requests.stream()
        .anyMatch(o -> o.operation() == Operation.REALTIME_RESPONSE));
    // the limit was spent by the first response: the second is refused by the gateway, never sent on
    JsonNode refused = null;
    for (int attempt = 0; attempt < 50 && refused == null; attempt++) {
      s.send("{\"type\":\"response.create\"}");
      JsonNode e = s.events.poll(10, TimeUnit.SECONDS);
      while (e != null && !e.path("type").asText().equals("error") && !e.path("type").asText().equals("response.done")) {
        e = s.events.poll(10, TimeUnit.SECONDS);
      }
      assertThat(e).isNotNull();
      if (e.path("type").asText().equals("error")) {
        refused = e;
      }
    }
    assertThat(refused).isNotNull();
    assertThat(refused.path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
    s.ws.close().await();
  }
}
