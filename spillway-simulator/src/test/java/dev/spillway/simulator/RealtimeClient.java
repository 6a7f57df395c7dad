package dev.spillway.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Vert.x WebSocket client of the simulator's Realtime API, for tests: it queues the server's
 * JSON events as they arrive and waits (at most 5 s) for the next one, or for the close. Handlers are
 * installed before connecting, so no event is lost. Used from one test thread.
 */
final class RealtimeClient implements AutoCloseable {
  private static final long WAIT_SECONDS = 5;

  private final WebSocketClient client;
  private final ClientWebSocket ws;
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();

  private RealtimeClient(WebSocketClient client, ClientWebSocket ws) {
    this.client = client;
    this.ws = ws;
  }

  /** Options for {@code uri} on {@code sim} with request headers given as name, value pairs. */
  static WebSocketConnectOptions options(Simulator sim, String uri, String... headers) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(sim.port()).setURI(uri);
    for (int i = 0; i < headers.length; i += 2) {
      options.addHeader(headers[i], headers[i + 1]);
    }
    return options;
  }

  /** Connects to {@code uri}; fails the test if the upgrade is refused. */
  static RealtimeClient connect(Vertx vertx, Simulator sim, String uri, String... headers) {
    return connect(vertx, options(sim, uri, headers));
  }

  static RealtimeClient connect(Vertx vertx, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient();
    ClientWebSocket ws = client.webSocket();
    RealtimeClient c = new RealtimeClient(client, ws);
    ws.textMessageHandler(text -> c.events.add(SimHarness.parse(text)));
    ws.closeHandler(v -> c.closed.complete(null));
    try {
      ws.connect(options).await(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (RuntimeException | java.util.concurrent.TimeoutException e) {
      client.close();
      throw new AssertionError("upgrade to " + options.getURI() + " failed", e);
    }
    return c;
  }

  /** The refusal of an upgrade to {@code uri}; fails the test if it is accepted. */
  static UpgradeRejectedException rejected(Vertx vertx, Simulator sim, String uri, String... headers) {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      Future<?> connect = client.connect(options(sim, uri, headers));
      try {
        connect.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (UpgradeRejectedException e) {
        return e;
      } catch (java.util.concurrent.TimeoutException e) {
        throw new AssertionError("no answer to the upgrade within 5 s", e);
      }
      throw new AssertionError("the upgrade to " + uri + " was accepted");
    } finally {
      client.close();
    }
  }

  /** The next server event. */
  JsonNode next() {
    try {
      JsonNode e = events.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (e == null) {
        throw new AssertionError("no server event within 5 s");
      }
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next server event, which must be of {@code type}. */
  JsonNode next(String type) {
    JsonNode e = next();
    assertThat(e.path("type").asText()).as("event %s", e).isEqualTo(type);
    return e;
  }

  /** The server events up to and including the first of {@code type}. */
  List<JsonNode> until(String type) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode e;
    do {
      e = next();
      out.add(e);
    } while (!e.path("type").asText().equals(type));
    return out;
  }

  /** The events up to {@code response.done} after sending {@code response.create} with {@code responseOptions} (null: none). */
  List<JsonNode> respond(String responseOptions) {
    send(responseOptions == null ? "{\"type\":\"response.create\"}"
        : "{\"type\":\"response.create\",\"response\":" + responseOptions + "}");
    return until("response.done");
  }

  /** Sends a user text message and returns the server's first event about it. */
  JsonNode say(String text) {
    send("{\"type\":\"conversation.item.create\",\"item\":{\"type\":\"message\",\"role\":\"user\","
        + "\"content\":[{\"type\":\"input_text\",\"text\":" + SimHarness.JSON.valueToTree(text) + "}]}}");
    return next();
  }

  void send(String json) {
    ws.writeTextMessage(json).await();
  }

  void sendBinary(Buffer data) {
    ws.writeBinaryMessage(data).await();
  }

  /** Whether no event is queued now (events already received; does not wait). */
  boolean idle() {
    return events.isEmpty();
  }

  String subProtocol() {
    return ws.subProtocol();
  }

  /** Starts the closing handshake with {@code code} and {@code reason}. */
  void close(short code, String reason) {
    ws.close(code, reason).await();
  }

  void ping(Buffer data, java.util.function.Consumer<Buffer> onPong) {
    ws.pongHandler(onPong::accept);
    ws.writePing(data).await();
  }

  /** Waits for the socket to close and returns the close code the server sent. */
  short awaitClose() {
    try {
      closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the socket did not close within 5 s", e);
    }
    return ws.closeStatusCode();
  }

  String closeReason() {
    return ws.closeReason();
  }

  @Override
  public void close() {
    if (!ws.isClosed()) {
      ws.close();
    }
    client.close();
  }
}
