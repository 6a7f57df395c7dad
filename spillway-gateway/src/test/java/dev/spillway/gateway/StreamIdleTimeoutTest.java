package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A stream's idle timeout counts silence, not age: chunks every 100 ms keep a stream with a 300 ms idle timeout alive
 * for well over 300 ms, and a stream that goes quiet is cut after 300 ms. Time is the gateway's manual clock: the test
 * writes each upstream chunk itself, waits until the client has it, and moves the clock; nothing sleeps.
 */
class StreamIdleTimeoutTest {
  private static final Duration IDLE = Duration.ofMillis(300);
  private static final String CHUNK = Http.CHUNK;

  private final ManualScheduler scheduler = new ManualScheduler(new ManualTicker(1_000_000_000L));
  private final AtomicReference<HttpServerResponse> upstreamResponse = new AtomicReference<>();
  /** The client's data lines, as they arrive. */
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  /** Every line the client read. */
  private final List<String> transcript = new java.util.concurrent.CopyOnWriteArrayList<>();
  private TestWorld world;

  @AfterEach
  void tearDown() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void chunksMoreOftenThanTheIdleTimeoutKeepALongStreamAlive() throws Exception {
    CompletableFuture<HttpResponse<Void>> stream = open();
    for (int i = 0; i < 12; i++) {
      sendChunkAndAwaitIt();
      scheduler.advanceMillis(100); // 1.2 s in all, four idle timeouts' worth, never 300 ms of silence
    }
    upstreamResponse.get().end("data: [DONE]\n\n");
    String body = rest(stream);

    assertThat(body.split("chat.completion.chunk", -1)).hasSize(13);
    assertThat(body).endsWith("data: [DONE]\n\n").doesNotContain("upstream_stream_interrupted");
  }

  @Test
  void aStreamThatGoesQuietIsCutAfterTheIdleTimeout() throws Exception {
    CompletableFuture<HttpResponse<Void>> stream = open();
    sendChunkAndAwaitIt();
    scheduler.advanceMillis(100);
    sendChunkAndAwaitIt();
    // Silence: 299 ms leave the idle check 1 ms from due; nothing has been cut.
    scheduler.advanceMillis(299);
    assertThat(scheduler.nanosUntilNext()).isEqualTo(Duration.ofMillis(1).toNanos());
    assertThat(stream).isNotDone();
    scheduler.advanceMillis(1);
    String body = rest(stream);
    long tookMillis = world.listener.nextRequest().durationNanos() / 1_000_000;

    assertThat(body.split("chat.completion.chunk", -1)).hasSize(3);
    assertThat(body).contains("upstream_stream_interrupted");
    // two chunks 100 ms apart, then 300 ms of silence; far less than the 30 s the upstream would hang
    assertThat(tookMillis).isBetween(300L, 5_000L);
  }

  /** Starts the stream through the gateway; the upstream answers with its head and waits for the test. */
  private CompletableFuture<HttpResponse<Void>> open() throws Exception {
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
                              upstreamResponse.set(resp);
                            }))
            .listen(0, "127.0.0.1")
            .await();
    BackendConfig backend =
        Backends.azure("paced", "http://127.0.0.1:" + upstream.actualPort(), "d", Tier.PAYG, 1,
            Backends.shortTimeouts(Duration.ofSeconds(5), IDLE));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(backend))), scheduler);

    HttpRequest request = HttpRequest.newBuilder(URI.create(world.url("/v1/chat/completions")))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(Http.chat("gpt-4o", true)))
        .build();
    CompletableFuture<HttpResponse<Void>> stream =
        HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
            .thenApply(r -> {
              assertThat(r.statusCode()).isEqualTo(200);
              r.body().forEach(line -> {
                transcript.add(line);
                if (line.startsWith("data:")) {
                  lines.add(line);
                }
              });
              return null;
            });
    TestWorld.await("the upstream has the request", () -> upstreamResponse.get() != null);
    return stream;
  }

  private void sendChunkAndAwaitIt() throws InterruptedException {
    upstreamResponse.get().write(CHUNK);
    String line = lines.poll(10, TimeUnit.SECONDS);
    assertThat(line).as("a chunk reached the client").contains("chat.completion.chunk");
  }

  /** The whole body the client read, once the stream has ended. */
  private String rest(CompletableFuture<HttpResponse<Void>> stream) throws Exception {
    stream.get(10, TimeUnit.SECONDS);
    return String.join("\n", transcript) + "\n";
  }
}
