package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendTimeouts;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.gateway.events.RequestOutcome;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stop drains: readiness turns 503 at once while the listener still accepts for {@code drainDelay}; then it stops
 * accepting, and what is in flight gets {@code drainTimeout} to finish — a stream and a plain request that finish in
 * time are answered whole; a stream still open at the end gets an SSE error event and is booked 503, interrupted by
 * the shutdown, with no blame on its backend. Time is the gateway's manual clock.
 */
class GracefulStopTest {
  private static final String CHUNK =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":null}]}\n\n";
  private static final String COMPLETION =
      "{\"id\":\"x\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
          + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":1,\"total_tokens\":10}}";

  private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker(1_000_000_000L));
  /** The upstream's open answers, in the order the requests came. */
  private final List<HttpServerResponse> upstream = new CopyOnWriteArrayList<>();
  private TestWorld world;

  @AfterEach
  void tearDown() {
    world.close();
  }

  @Test
  void aStopLetsWhatIsInFlightFinishAndEndsWhatIsLeftWithAnErrorEvent() throws Exception {
    start(Duration.ofSeconds(1), Duration.ofSeconds(5));
    try (RawClient finishing = open(true, 1);
        RawClient plain = open(false, 2);
        RawClient endless = open(true, 3)) {
      upstream.get(0).write(CHUNK);
      finishing.readChunks(1);

      Future<Void> stopped = world.gateway.drain();
      int port = world.gateway.port();
      assertThat(Http.get("http://127.0.0.1:" + port + "/readyz").statusCode()).as("not ready at once").isEqualTo(503);

      scheduler.advance(Duration.ofSeconds(1));
      TestWorld.await("the listener stopped accepting", () -> refuses(port));

      // In the drain time: one stream and the plain request finish.
      upstream.get(0).end(CHUNK + "data: [DONE]\n\n");
      upstream.get(1).putHeader("content-type", "application/json").end(COMPLETION);
      assertThat(finishing.readToEnd()).contains("data: [DONE]").doesNotContain("error");
      assertThat(plain.readToEnd()).startsWith("HTTP/1.1 200").contains("\"content\":\"hi\"");
      assertThat(stopped.isComplete()).as("still draining").isFalse();

      // The drain time is over: the stream still open is ended with an error event.
      scheduler.advance(Duration.ofSeconds(5));
      assertThat(endless.readToEnd()).contains("gateway_shutting_down").doesNotContain("[DONE]");
      stopped.await(10, TimeUnit.SECONDS);
    }
    BackendState paced = world.gateway.pools().get("gpt-4o").backend("paced").orElseThrow();
    assertThat(paced.breaker().snapshot(scheduler.ticker().read()).windowFailures()).as("no blame").isZero();
    world.gateway = null; // stopped: nothing left for the world to close

    Map<Integer, RequestOutcome> byStatus = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      RequestOutcome o = world.listener.nextRequest();
      byStatus.merge(o.status(), o, (a, b) -> a);
      if (o.status() == 503) {
        assertThat(o.interruptedBy()).isEqualTo("shutdown");
        assertThat(o.stream()).isTrue();
      } else {
        assertThat(o.status()).isEqualTo(200);
        assertThat(o.interruptedBy()).isEmpty();
      }
    }
    assertThat(byStatus).containsOnlyKeys(200, 503);
  }

  @Test
  void aStopWithNothingInFlightEndsAfterTheDelayAlone() throws Exception {
    start(Duration.ofMillis(200), Duration.ofSeconds(30));
    Future<Void> stopped = world.gateway.drain();
    assertThat(stopped.isComplete()).as("still draining").isFalse();
    scheduler.advance(Duration.ofMillis(200));
    stopped.await(10, TimeUnit.SECONDS);
    world.gateway = null;
  }

  private RawClient open(boolean stream, int upstreamCalls) throws Exception {
    RawClient client = RawClient.connect(world.gateway.port()).chat(stream);
    TestWorld.await("the upstream has request " + upstreamCalls, () -> upstream.size() == upstreamCalls);
    return client;
  }

  private static boolean refuses(int port) {
    try (Socket probe = new Socket("127.0.0.1", port)) {
      return false;
    } catch (ConnectException refused) {
      return true;
    } catch (java.io.IOException other) {
      return false;
    }
  }

  private void start(Duration drainDelay, Duration drainTimeout) throws Exception {
    world = new TestWorld();
    HttpServer server = world.vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> {
          HttpServerResponse resp = req.response();
          if (b.toString().contains("\"stream\":true")) {
            resp.setChunked(true).putHeader("content-type", "text/event-stream").write(": open\n\n");
          }
          upstream.add(resp);
        }))
        .listen(0, "127.0.0.1").await();
    BackendConfig backend = Backends.azure("paced", "http://127.0.0.1:" + server.actualPort(), "d", Tier.PAYG, 1,
        new BackendTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(60), Duration.ofSeconds(60),
            Duration.ofSeconds(120)));
    SpillwayConfig config = Backends.config(Map.of("gpt-4o", List.of(backend)));
    config = config.toBuilder().server(config.server().toBuilder().drain(drainDelay, drainTimeout).build()).build();
    world.gateway(config, scheduler);
  }
}
