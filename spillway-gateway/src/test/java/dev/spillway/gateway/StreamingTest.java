package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.Tier;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.simulator.DeploymentConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StreamingTest {
  /** A real stream as Azure sends it, with CRLF in one place and the usage chunk at the end. */
  private static final String SSE =
      "data: {\"id\":\"\",\"object\":\"\",\"created\":0,\"model\":\"\",\"choices\":[],\"prompt_filter_results\":[{\"prompt_index\":0}]}\n\n"
          + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n"
          + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Héllo\"},\"finish_reason\":null}]}\r\n\r\n"
          + ": a comment line\n\n"
          + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" wörld\"},\"finish_reason\":null}]}\n\n"
          + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
          + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":2,\"total_tokens\":13,\"prompt_tokens_details\":{\"cached_tokens\":4}}}\n\n"
          + "data: [DONE]\n\n";

  private static final String STREAM_WITH_USAGE =
      "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true,"
          + "\"stream_options\":{\"include_usage\":true}}";

  private TestWorld world;
  private HttpServer scripted;
  private final AtomicReference<String> upstreamBody = new AtomicReference<>();

  @AfterEach
  void stop() {
    if (scripted != null) {
      scripted.close().await();
    }
    world.close();
  }

  /** Sends {@link #SSE} in awkward pieces (split inside lines and inside a UTF-8 character), with pauses. */
  private String startScriptedUpstream(AtomicReference<String> seenApiKey) {
    byte[] bytes = SSE.getBytes(StandardCharsets.UTF_8);
    scripted = world.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      seenApiKey.set(req.getHeader("api-key"));
      upstreamBody.set(body.toString());
      var resp = req.response().setChunked(true).putHeader("content-type", "text/event-stream");
      int[] cuts = {7, 50, 51, 180, 181, 183, 300, 420, 421, 422, 600, bytes.length};
      int[] from = {0};
      int[] index = {0};
      world.vertx.setPeriodic(5, id -> {
        int to = Math.min(cuts[index[0]], bytes.length);
        resp.write(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from[0], to)));
        from[0] = to;
        index[0]++;
        if (to == bytes.length) {
          world.vertx.cancelTimer(id);
          resp.end();
        }
      });
    })).listen(0, "127.0.0.1").await();
    return "http://127.0.0.1:" + scripted.actualPort();
  }

  @Test
  void streamBytesReachTheClientUnchangedWhileUsageAndTtftAreCaptured() throws Exception {
    world = new TestWorld();
    AtomicReference<String> seenKey = new AtomicReference<>();
    String upstream = startScriptedUpstream(seenKey);
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(Backends.azure("scripted", upstream, "dep", Tier.PTU, 1)))));

    // The client asks for usage itself, so the gateway changes nothing in the stream.
    HttpResponse<byte[]> r = Http.postBytes(world.url("/v1/chat/completions"), STREAM_WITH_USAGE);

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(r.body()).isEqualTo(SSE.getBytes(StandardCharsets.UTF_8));
    assertThat(seenKey.get()).isEqualTo(Backends.BACKEND_KEY);

    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(outcome.usage()).isPresent();
    assertThat(outcome.usage().get().promptTokens()).isEqualTo(11);
    assertThat(outcome.usage().get().completionTokens()).isEqualTo(2);
    assertThat(outcome.usage().get().cachedTokens()).isEqualTo(4);
    // The first content arrives after several paced pieces, so TTFT is positive and below the total.
    assertThat(outcome.timeToFirstTokenNanos()).isPresent();
    assertThat(outcome.timeToFirstTokenNanos().getAsLong()).isPositive().isLessThan(outcome.durationNanos());
  }

  @Test
  void aClientThatDidNotAskForUsageGetsTheStreamWithoutItWhileTheGatewayCountsExactly() throws Exception {
    world = new TestWorld();
    String upstream = startScriptedUpstream(new AtomicReference<>());
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(Backends.azure("scripted", upstream, "dep", Tier.PTU, 1)))));

    HttpResponse<byte[]> r = Http.postBytes(world.url("/v1/chat/completions"), Http.chat("gpt-4o", true));

    assertThat(Http.JSON.readTree(upstreamBody.get()).path("stream_options").path("include_usage").asBoolean()).isTrue();
    String usageChunk = SSE.lines().filter(l -> l.contains("\"usage\"")).findFirst().orElseThrow() + "\n\n";
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(SSE.replace(usageChunk, ""));
    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(outcome.usage()).isPresent();
    assertThat(outcome.usage().get().completionTokens()).isEqualTo(2);
  }

  @Test
  void streamFromTheSimulatorWithoutUsageOptionHasNoUsageChunk() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(Backends.azure("p", world.simUrl(), "payg", Tier.PAYG, 1)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", true));

    assertThat(r.statusCode()).isEqualTo(200);
    // With include_usage a backend also sends "usage":null in every chunk (as the real API does);
    // what the client must not get is the extra usage chunk.
    assertThat(r.body()).doesNotContainPattern("\"usage\":\\{").endsWith("data: [DONE]\n\n");
    RequestOutcome outcome = world.listener.nextRequest();
    // The gateway asked for usage upstream and took it out of the client's stream.
    assertThat(outcome.usage()).isPresent();
    assertThat(outcome.timeToFirstTokenNanos()).isPresent();
  }

  @Test
  void backendDyingMidStreamEndsTheClientStreamWithAnErrorEvent() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("a", 10_000_000, 100_000), DeploymentConfig.payg("b", 10_000_000, 100_000)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("a", world.simUrl(), "a", Tier.PTU, 1),
        Backends.azure("b", world.simUrl(), "b", Tier.PAYG, 2)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"),
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":50,\"stream\":true}",
        Map.of("x-sim-fault", "midstream"));

    assertThat(r.statusCode()).isEqualTo(200);
    String[] events = r.body().split("\n\n");
    String last = events[events.length - 1];
    assertThat(last).startsWith("data: {\"error\"").contains("upstream_stream_interrupted");
    assertThat(r.body()).doesNotContain("[DONE]");
    RequestOutcome outcome = world.listener.nextRequest();
    assertThat(outcome.attempts()).isEqualTo(1);
    // No usage arrived: the gateway counts the prompt itself and one token per streamed content event.
    assertThat(outcome.usageEstimated()).isTrue();
    assertThat(outcome.usage()).hasValueSatisfying(u -> {
      assertThat(u.promptTokens()).isPositive();
      assertThat(u.completionTokens()).isEqualTo(3);
    });
    // Bytes had reached the client: no second backend may be tried.
    assertThat(world.listener.attempts).extracting(AttemptOutcome::result).containsExactly(AttemptResult.STREAM_INTERRUPTED);
  }
}
