package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.faults.FaultyUpstream;
import dev.spillway.simulator.faults.UpstreamFault;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client's behaviour is the client's business, never a backend's failure: a client that leaves cancels the upstream
 * call at once, without a retry elsewhere (a second, paid call for nobody) and without counting against the backend.
 * The gateway's clock is manual, so no timeout fires unless the test moves it.
 */
class ClientFaultTest {
  private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker(1_000_000_000L));
  private TestWorld world;
  private FaultyUpstream faulty;

  @AfterEach
  void stop() {
    world.close();
    if (faulty != null) {
      faulty.close();
    }
  }

  private static String request(String body) {
    return "POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: "
        + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
  }

  @Test
  void aClientThatLeavesCancelsTheCallWithoutRetryOrBlame() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    AtomicInteger ptuCalls = new AtomicInteger();
    AtomicInteger ptuResets = new AtomicInteger();
    HttpServer hanging = world.vertx.createHttpServer()
        .requestHandler(req -> {
          ptuCalls.incrementAndGet();
          req.connection().closeHandler(v -> ptuResets.incrementAndGet());
        })
        .listen(0, "127.0.0.1").await();
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("ptu", "http://127.0.0.1:" + hanging.actualPort(), "ptu", Tier.PTU, 1),
        Backends.azure("payg", world.simUrl(), "payg", Tier.PAYG, 2)))), scheduler);

    try (Socket client = new Socket("127.0.0.1", world.gateway.port())) {
      client.getOutputStream().write(request(Http.chat("gpt-4o", false)).getBytes(StandardCharsets.UTF_8));
      client.getOutputStream().flush();
      TestWorld.await("the PTU has the request", () -> ptuCalls.get() == 1);
    } // the client gives up

    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(outcome.status()).isEqualTo(499);
    assertThat(outcome.attempts()).isEqualTo(1);
    // The PTU had the request and may bill its prompt: booked against it, estimated, no completion seen.
    assertThat(outcome.backend()).map(b -> b.id()).contains("ptu");
    assertThat(outcome.usageEstimated()).isTrue();
    assertThat(outcome.usage().orElseThrow().completionTokens()).isZero();
    assertThat(outcome.usage().orElseThrow().promptTokens()).isPositive();
    TestWorld.await("the upstream call is cancelled", () -> ptuResets.get() == 1);
    List<AttemptOutcome> attempts = List.copyOf(world.listener.attempts);
    assertThat(attempts).extracting(AttemptOutcome::result).containsExactly(AttemptResult.CANCELLED);
    assertThat(world.simulator.stats().total().requests()).as("no second, paid call for a client that left").isZero();
    BackendState ptu = world.gateway.pools().get("gpt-4o").backend("ptu").orElseThrow();
    assertThat(ptu.breaker().snapshot(scheduler.ticker().read()).windowFailures()).isZero();
    assertThat(ptu.inFlight()).isZero();
    hanging.close().await();
  }

  @Test
  void aStreamingClientThatLeavesMidStreamCancelsTheCallWithoutRetryOrBlame() throws Exception {
    faulty = FaultyUpstream.start(UpstreamFault.HANG_MID_STREAM); // three events, then it holds the connection
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("ptu", faulty.baseUrl(), "ptu", Tier.PTU, 1),
        Backends.azure("payg", world.simUrl(), "payg", Tier.PAYG, 2)))), scheduler);

    try (Socket client = new Socket("127.0.0.1", world.gateway.port())) {
      client.setSoTimeout(10_000);
      client.getOutputStream().write(request(Http.chat("gpt-4o", true)).getBytes(StandardCharsets.UTF_8));
      readUntil(client.getInputStream(), "chat.completion.chunk");
    } // the client leaves mid-stream

    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(outcome.status()).isEqualTo(499);
    assertThat(outcome.attempts()).isEqualTo(1);
    TestWorld.await("the upstream call is cancelled", () -> faulty.peerClosures() == 1);
    assertThat(List.copyOf(world.listener.attempts)).extracting(AttemptOutcome::result).containsExactly(AttemptResult.CANCELLED);
    assertThat(world.simulator.stats().total().requests()).as("no second, paid call for a client that left").isZero();
    BackendState ptu = world.gateway.pools().get("gpt-4o").backend("ptu").orElseThrow();
    assertThat(ptu.breaker().snapshot(scheduler.ticker().read()).windowFailures()).isZero();
    assertThat(ptu.inFlight()).isZero();
    assertThat(interruptedBy(outcome)).as("RequestOutcome.interruptedBy()").contains("client");
  }

  /**
   * A client that stops reading a stream pushes back on the gateway, which pauses the backend: the stream is quiet
   * because of the client, not the backend, so the backend's idle timeout must not cut it, and nothing counts against
   * the backend. The gateway's clock is manual: the test waits until the backend is held back, moves the clock past
   * five idle timeouts, then reads the rest.
   */
  @Test
  void aSlowReaderIsNotCutByTheIdleTimeoutNorBlamedOnTheBackend() throws Exception {
    world = new TestWorld();
    Duration idle = Duration.ofMillis(300);
    int events = 200_000; // about 40 MB: far more than the sockets and write queues between client and backend hold
    AtomicLong written = new AtomicLong();
    AtomicBoolean heldBack = new AtomicBoolean();
    HttpServer producer = world.vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> {
          HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
          produce(resp, events, written, heldBack);
        }))
        .listen(0, "127.0.0.1").await();
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("ptu", "http://127.0.0.1:" + producer.actualPort(), "ptu", Tier.PTU, 1,
            Backends.shortTimeouts(Duration.ofSeconds(5), idle))))), scheduler);

    String tail;
    try (Socket client = new Socket()) {
      client.setReceiveBufferSize(8 * 1024);
      client.connect(new InetSocketAddress("127.0.0.1", world.gateway.port()));
      client.setSoTimeout(20_000);
      client.getOutputStream().write(request(Http.chat("gpt-4o", true)).getBytes(StandardCharsets.UTF_8));
      InputStream in = client.getInputStream();
      readUntil(in, "chat.completion.chunk");
      // The client reads nothing more: wait until the backend is held back and stays so.
      TestWorld.await("the backend is held back by the client", () -> heldBack.get() && stable(written));
      scheduler.advance(idle.multipliedBy(5));
      tail = readUntil(in, "data: [DONE]", "stream_interrupted");
    }

    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(tail).as("the stream's end (booked %d, interrupted by '%s')", outcome.status(), outcome.interruptedBy())
        .contains("data: [DONE]").doesNotContain("stream_interrupted");
    assertThat(outcome.status()).isEqualTo(200);
    assertThat(interruptedBy(outcome)).isEmpty();
    assertThat(List.copyOf(world.listener.attempts)).extracting(AttemptOutcome::result).containsExactly(AttemptResult.OK);
    BackendState ptu = world.gateway.pools().get("gpt-4o").backend("ptu").orElseThrow();
    assertThat(ptu.breaker().snapshot(scheduler.ticker().read()).windowFailures()).isZero();
  }

  private static final Buffer EVENT = Buffer.buffer(
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":null}]}\n\n");

  /** Writes {@code left} events with back-pressure, then {@code [DONE]}; notes when the write queue holds it back. */
  private static void produce(HttpServerResponse resp, int left, AtomicLong written, AtomicBoolean heldBack) {
    int remaining = left;
    while (remaining > 0 && !resp.writeQueueFull()) {
      resp.write(EVENT);
      written.addAndGet(EVENT.length());
      remaining--;
    }
    if (remaining == 0) {
      resp.end("data: [DONE]\n\n");
      return;
    }
    heldBack.set(true);
    int rest = remaining;
    resp.drainHandler(v -> produce(resp, rest, written, heldBack));
  }

  private long lastWritten = -1;

  /** True when {@code written} has not moved since the previous call (polled every few milliseconds). */
  private boolean stable(AtomicLong written) {
    long now = written.get();
    boolean same = now == lastWritten;
    lastWritten = now;
    if (same) {
      try {
        Thread.sleep(200); // and stays so a while longer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return written.get() == now;
    }
    return false;
  }

  /** Reads until one of {@code marks} has been seen (or the connection ends); returns the last few kilobytes read. */
  private static String readUntil(InputStream in, String... marks) throws IOException {
    StringBuilder window = new StringBuilder();
    byte[] buf = new byte[16 * 1024];
    for (int n; (n = in.read(buf)) >= 0; ) {
      window.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      for (String mark : marks) {
        if (window.indexOf(mark) >= 0) {
          return window.toString();
        }
      }
      if (window.length() > 8192) {
        window.delete(0, window.length() - 4096);
      }
    }
    return window.toString();
  }

  /** Who broke the stream ({@code backend}, {@code client}, {@code shutdown}); empty when nobody did. */
  private static Optional<String> interruptedBy(RequestOutcome outcome) {
    return Optional.of(outcome.interruptedBy()).filter(s -> !s.isEmpty());
  }
}
