package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.Tier;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stream's idle timeout counts silence, not age: chunks every 100 ms keep a stream with a 300 ms idle timeout alive
 * for well over 300 ms, and a stream that goes quiet is cut after about 300 ms. The upstream is a small loopback
 * server that paces its own chunks (the simulator has no "pause mid-stream" fault).
 */
class StreamIdleTimeoutTest {
  private static final Duration IDLE = Duration.ofMillis(300);
  private static final String CHUNK =
      "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":null}]}\n\n";

  private TestWorld world;

  @AfterEach
  void tearDown() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void chunksMoreOftenThanTheIdleTimeoutKeepALongStreamAlive() throws Exception {
    String body = streamThrough(12, -1);

    assertThat(body.split("chat.completion.chunk", -1)).hasSize(13);
    assertThat(body).endsWith("data: [DONE]\n\n").doesNotContain("upstream_stream_interrupted");
  }

  @Test
  void aStreamThatGoesQuietIsCutAfterTheIdleTimeout() throws Exception {
    long start = System.nanoTime();
    String body = streamThrough(12, 2);
    long tookMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(body.split("chat.completion.chunk", -1)).hasSize(3);
    assertThat(body).contains("upstream_stream_interrupted");
    // two chunks 100 ms apart, then 300 ms of silence; far less than the 30 s the upstream would hang
    assertThat(tookMillis).isBetween(300L, 5_000L);
  }

  /** Sends {@code chunks} chunks 100 ms apart; after {@code stallAfter} of them (-1: never) it stops writing. */
  private String streamThrough(int chunks, int stallAfter) throws Exception {
    world = new TestWorld();
    HttpServer upstream =
        world.vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            b -> {
                              HttpServerResponse resp = req.response().setChunked(true);
                              resp.putHeader("content-type", "text/event-stream");
                              resp.write(": open\n\n");
                              send(world, resp, 0, chunks, stallAfter);
                            }))
            .listen(0, "127.0.0.1")
            .await();
    BackendConfig backend =
        Backends.azure("paced", "http://127.0.0.1:" + upstream.actualPort(), "d", Tier.PAYG, 1,
            Backends.shortTimeouts(Duration.ofSeconds(5), IDLE));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(backend))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", true));
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static void send(TestWorld world, HttpServerResponse resp, int sent, int chunks, int stallAfter) {
    if (resp.closed()) {
      return;
    }
    if (sent == stallAfter) {
      return; // silence: the connection stays open, nothing more is written
    }
    if (sent == chunks) {
      resp.end("data: [DONE]\n\n");
      return;
    }
    resp.write(CHUNK);
    world.vertx.setTimer(100, id -> send(world, resp, sent + 1, chunks, stallAfter));
  }
}
