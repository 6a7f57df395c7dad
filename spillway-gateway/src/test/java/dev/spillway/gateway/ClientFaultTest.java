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
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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
    assertThat(outcome.interruptedBy()).isEqualTo("client");
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
}
