package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendTimeouts;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.gateway.events.RequestOutcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Who broke a stream is who is booked for it. A client that leaves mid-stream is the client's doing: the upstream call
 * is cancelled, nothing is blamed on the backend, and the request is booked 499 with the tokens streamed so far. A
 * client that reads slowly holds the backend back, and that is not the backend's silence: neither the idle nor the
 * total timeout cuts it. A backend that goes quiet mid-stream is the backend's failure: 502, interrupted by the backend.
 * The gateway's clock is manual; no timeout fires unless the test moves it.
 */
class StreamFaultTest {
  private static final Duration IDLE = Duration.ofMillis(300);
  private static final Duration TOTAL = Duration.ofSeconds(5);
  private static final String CHUNK = Http.CHUNK;

  private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker(1_000_000_000L));
  private final AtomicReference<HttpServerResponse> upstream = new AtomicReference<>();
  private final AtomicInteger upstreamClosed = new AtomicInteger();
  private TestWorld world;

  @AfterEach
  void tearDown() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void aClientThatLeavesMidStreamIsBookedWithWhatWasStreamedAndBlamesNoBackend() throws Exception {
    start();
    try (RawClient client = RawClient.connect(world.gateway.port()).chat(true)) {
      TestWorld.await("the upstream has the request", () -> upstream.get() != null);
      for (int i = 0; i < 3; i++) {
        upstream.get().write(CHUNK);
      }
      client.readChunks(3);
    } // the client leaves mid-stream

    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(outcome.status()).isEqualTo(499);
    assertThat(outcome.interruptedBy()).isEqualTo("client");
    assertThat(outcome.backend()).map(BackendConfig::id).contains("paced");
    assertThat(outcome.usageEstimated()).isTrue();
    assertThat(outcome.usage().orElseThrow().completionTokens()).as("the three streamed chunks").isEqualTo(3);
    TestWorld.await("the upstream call is cancelled", () -> upstreamClosed.get() == 1);
    assertThat(List.copyOf(world.listener.attempts)).extracting(AttemptOutcome::result)
        .containsExactly(AttemptResult.CANCELLED);
    assertNoBlame();
  }

  @Test
  void aSlowReaderIsCutByNeitherTheIdleNorTheTotalTimeout() throws Exception {
    start();
    AtomicLong sent = new AtomicLong();
    long streamBytes = 24L * 1024 * 1024;
    try (RawClient client = RawClient.connect(world.gateway.port()).chat(true)) {
      TestWorld.await("the upstream has the request", () -> upstream.get() != null);
      HttpServerResponse resp = upstream.get();
      Buffer block = Buffer.buffer(CHUNK.repeat(64 * 1024 / CHUNK.length()));
      // The client reads nothing: the backend writes until the gateway stops taking its bytes.
      world.vertx.runOnContext(v -> fill(resp, block, sent, streamBytes));
      // Twenty idle timeouts, more than the total timeout, pass while the client reads nothing and the gateway holds
      // the backend back.
      for (int i = 0; i < 20; i++) {
        TestWorld.await("the gateway holds the backend back", () -> world.gateway.streamsHeldBack() == 1);
        scheduler.advance(IDLE);
      }
      assertThat(scheduler.ticker().read() - 1_000_000_000L).isGreaterThan(TOTAL.toNanos());
      assertThat(upstreamClosed.get()).as("the backend was not cut").isZero();

      // The client reads again; the backend sends the rest and ends the stream.
      String tail = client.readToEnd();
      assertThat(tail).doesNotContain("upstream_stream_interrupted").contains("data: [DONE]");
    }

    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(outcome.status()).isEqualTo(200);
    assertThat(outcome.interruptedBy()).isEmpty();
    assertThat(sent.get()).isGreaterThanOrEqualTo(streamBytes);
    assertThat(world.gateway.streamsHeldBack()).isZero();
    assertNoBlame();
  }

  @Test
  void aBackendThatGoesQuietMidStreamIsBookedAsItsInterruption() throws Exception {
    start();
    try (RawClient client = RawClient.connect(world.gateway.port()).chat(true)) {
      TestWorld.await("the upstream has the request", () -> upstream.get() != null);
      upstream.get().write(CHUNK);
      client.readChunks(1);
      scheduler.advance(IDLE);
      String tail = client.readToEnd();
      assertThat(tail).contains("upstream_stream_interrupted");
    }

    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(outcome.status()).isEqualTo(502);
    assertThat(outcome.interruptedBy()).isEqualTo("backend");
    assertThat(outcome.usage().orElseThrow().completionTokens()).isEqualTo(1);
    BackendState paced = world.gateway.pools().get("gpt-4o").backend("paced").orElseThrow();
    assertThat(paced.breaker().snapshot(scheduler.ticker().read()).windowFailures()).isEqualTo(1);
  }

  /** Writes {@code block}s until the gateway stops reading (the write queue stays full), then the rest as it drains. */
  private static void fill(HttpServerResponse resp, Buffer block, AtomicLong sent, long total) {
    while (!resp.writeQueueFull() && sent.get() < total) {
      resp.write(block);
      sent.addAndGet(block.length());
    }
    if (sent.get() >= total) {
      resp.end("data: [DONE]\n\n");
      return;
    }
    resp.drainHandler(v -> fill(resp, block, sent, total));
  }

  private void start() throws Exception {
    world = new TestWorld();
    HttpServer server = world.vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> {
          req.connection().closeHandler(v -> upstreamClosed.incrementAndGet());
          HttpServerResponse resp = req.response().setChunked(true);
          resp.putHeader("content-type", "text/event-stream");
          resp.write(": open\n\n");
          upstream.set(resp);
        }))
        .listen(0, "127.0.0.1").await();
    BackendConfig backend = Backends.azure("paced", "http://127.0.0.1:" + server.actualPort(), "d", Tier.PAYG, 1,
        new BackendTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), IDLE, TOTAL));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(backend))), scheduler);
  }

  private void assertNoBlame() {
    BackendState paced = world.gateway.pools().get("gpt-4o").backend("paced").orElseThrow();
    assertThat(paced.breaker().snapshot(scheduler.ticker().read()).windowFailures()).isZero();
    assertThat(paced.inFlight()).isZero();
  }
}
