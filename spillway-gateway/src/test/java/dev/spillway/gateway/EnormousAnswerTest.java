package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendTimeouts;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.simulator.faults.FaultyUpstream;
import dev.spillway.simulator.faults.UpstreamFault;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A non-streamed answer is read whole before it is checked, so what the gateway reads of one is bounded: an answer that
 * declares more than the bound is refused at its head, one whose body grows past it is cut there. Either is an invalid
 * answer (502 {@code upstream_invalid_response} when no other backend is left), not a 200 MB buffer per request; the
 * regression: a 200 MB answer was held (twice) and passed on, and an endless one grew until the total timeout.
 */
class EnormousAnswerTest {
  private static final BackendTimeouts PATIENT =
      new BackendTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60));
  private TestWorld world;
  private FaultyUpstream faulty;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
    if (faulty != null) {
      faulty.close();
    }
  }

  @Test
  void anAnswerThatDeclaresMoreThanTheBoundIsRefusedAtItsHead() throws Exception {
    faulty = FaultyUpstream.start(UpstreamFault.ENORMOUS); // content-length: 200,000,000
    world = new TestWorld();
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(Backends.azure("big", faulty.baseUrl(), "d", Tier.PAYG, 1, PATIENT)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("upstream_invalid_response");
    assertThat(world.listener.nextRequest().status()).isEqualTo(502);
    assertThat(world.listener.attempts).extracting(AttemptOutcome::result).containsExactly(AttemptResult.INVALID_RESPONSE);
  }

  @Test
  void anAnswerThatGrowsPastTheBoundIsCutThere() throws Exception {
    world = new TestWorld();
    AtomicLong written = new AtomicLong();
    byte[] pad = new byte[64 * 1024];
    Arrays.fill(pad, (byte) ' ');
    HttpServer endless = world.vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> {
          HttpServerResponse resp = req.response().setChunked(true).putHeader("content-type", "application/json");
          resp.write("{\"pad\":\"");
          pump(resp, Buffer.buffer(pad), written);
        }))
        .listen(0, "127.0.0.1").await();
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("endless", "http://127.0.0.1:" + endless.actualPort(), "d", Tier.PAYG, 1, PATIENT)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("upstream_invalid_response");
    assertThat(world.listener.nextRequest().status()).isEqualTo(502);
    // Cut at the 32 MiB bound (plus what the sockets' buffers held), not at the total timeout a minute later.
    assertThat(written.get()).isBetween(32L * 1024 * 1024, 48L * 1024 * 1024);
  }

  /** Writes {@code chunk} for as long as the peer reads, with back-pressure. */
  private static void pump(HttpServerResponse resp, Buffer chunk, AtomicLong written) {
    while (!resp.writeQueueFull()) {
      if (resp.closed()) {
        return;
      }
      resp.write(chunk);
      written.addAndGet(chunk.length());
    }
    resp.drainHandler(v -> pump(resp, chunk, written));
  }
}
