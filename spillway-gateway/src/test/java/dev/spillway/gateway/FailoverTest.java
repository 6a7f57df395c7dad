package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.FaultConfig;
import dev.spillway.simulator.FaultKind;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FailoverTest {
  private TestWorld world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  private static String deadUrl() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }

  @Test
  void spillsToPaygWhenPtuAnswers429AndRemembersTheThrottle() throws Exception {
    // A PTU so small that one request fills it: the second request is throttled by the simulator.
    world = new TestWorld().simulate(List.of(
        DeploymentConfig.ptu("ptu", 60),
        DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("ptu-1", world.simUrl(), "ptu", Tier.PTU, 1),
        Backends.azure("payg-1", world.simUrl(), "payg", Tier.PAYG, 2)))));

    HttpResponse<String> first = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-spillway-backend")).contains("ptu-1");

    HttpResponse<String> second = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.headers().firstValue("x-spillway-backend")).contains("payg-1");
    assertThat(second.headers().firstValue("x-spillway-attempts")).contains("2");
    world.listener.nextRequest();
    world.listener.nextRequest();
    AttemptOutcome throttled = world.listener.attempts.stream()
        .filter(a -> a.result() == AttemptResult.THROTTLED).findFirst().orElseThrow();
    assertThat(throttled.backend().id()).isEqualTo("ptu-1");
    assertThat(throttled.retried()).isTrue();

    // The throttle is remembered: the next request goes straight to PAYG without asking the PTU.
    long throttledBefore = world.listener.attempts.stream().filter(a -> a.result() == AttemptResult.THROTTLED).count();
    HttpResponse<String> third = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));
    assertThat(third.headers().firstValue("x-spillway-backend")).contains("payg-1");
    assertThat(third.headers().firstValue("x-spillway-attempts")).contains("1");
    world.listener.nextRequest();
    assertThat(world.listener.attempts.stream().filter(a -> a.result() == AttemptResult.THROTTLED).count())
        .isEqualTo(throttledBefore);
  }

  @Test
  void allThrottledGivesOne429WithTheSoonestRetryAfter() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("ptu-a", 60), DeploymentConfig.ptu("ptu-b", 120)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("a", world.simUrl(), "ptu-a", Tier.PTU, 1),
        Backends.azure("b", world.simUrl(), "ptu-b", Tier.PTU, 1)))));

    // Fill both PTUs, then ask again: both throttle, the gateway answers once for the pool.
    HttpResponse<String> last = null;
    for (int i = 0; i < 6; i++) {
      last = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));
      if (last.statusCode() == 429) {
        break;
      }
    }
    assertThat(last.statusCode()).isEqualTo(429);
    JsonNode error = Http.json(last).path("error");
    assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(error.path("message").asText()).contains("gpt-4o");
    long retryAfterMs = Long.parseLong(last.headers().firstValue("retry-after-ms").orElseThrow());
    long retryAfterS = Long.parseLong(last.headers().firstValue("retry-after").orElseThrow());
    assertThat(retryAfterMs).isPositive().isLessThanOrEqualTo(60_000);
    assertThat(retryAfterS).isEqualTo(Math.max(1, (retryAfterMs + 999) / 1000));
    // The soonest of the two throttles, never the later one.
    long soonestMs = world.gateway.pools().get("gpt-4o").backends().stream()
        .mapToLong(b -> b.nanosUntilAvailable(System.nanoTime()) / 1_000_000).min().orElseThrow();
    assertThat(retryAfterMs).isBetween(soonestMs, soonestMs + 1_000);
  }

  @Test
  void failsOverFromADeadBackend() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("dead", deadUrl(), "payg", Tier.PTU, 1),
        Backends.azure("alive", world.simUrl(), "payg", Tier.PAYG, 2)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-spillway-backend")).contains("alive");
    world.listener.nextRequest();
    assertThat(world.listener.attempts).extracting(AttemptOutcome::result).contains(AttemptResult.CONNECT_ERROR);
  }

  @Test
  void failsOverFromA5xxBackend() throws Exception {
    world = new TestWorld().simulate(List.of(
        DeploymentConfig.payg("broken", 10_000_000, 100_000).withFaults(FaultConfig.of(1.0, FaultKind.HTTP_500)),
        DeploymentConfig.payg("fine", 10_000_000, 100_000)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("broken", world.simUrl(), "broken", Tier.PTU, 1),
        Backends.azure("fine", world.simUrl(), "fine", Tier.PAYG, 2)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("x-spillway-backend")).contains("fine");
  }

  @Test
  void everyBackendDeadIs502() throws Exception {
    world = new TestWorld();
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("dead-1", deadUrl(), "d", Tier.PTU, 1),
        Backends.azure("dead-2", deadUrl(), "d", Tier.PAYG, 2)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("upstream_unreachable");
  }

  @Test
  void hangingBackendIs504() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    BackendConfig hanging = Backends.azure("hang", world.simUrl(), "payg", Tier.PAYG, 1,
        Backends.shortTimeouts(Duration.ofMillis(300), Duration.ofMillis(300)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(hanging))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false),
        Map.of("x-sim-fault", "hang"));

    assertThat(r.statusCode()).isEqualTo(504);
    assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("upstream_timeout");
  }

  @Test
  void garbageFromTheOnlyBackendIs502() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(Backends.azure("g", world.simUrl(), "payg", Tier.PAYG, 1)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false),
        Map.of("x-sim-fault", "garbage"));

    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("upstream_invalid_response");
  }

  @Test
  void aStreamAnswerToAPlainRequestIs502AndTheNextBackendIsTried() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    io.vertx.core.http.HttpServer sse = world.vertx.createHttpServer()
        .requestHandler(req -> req.body().onSuccess(b -> req.response().putHeader("content-type", "text/event-stream")
            .end("data: {\"object\":\"chat.completion.chunk\",\"choices\":[]}\n\ndata: [DONE]\n\n")))
        .listen(0, "127.0.0.1").await();
    String sseUrl = "http://127.0.0.1:" + sse.actualPort();
    world.gateway(Backends.config(Map.of(
        "gpt-4o", List.of(Backends.azure("sse", sseUrl, "d", Tier.PTU, 1)),
        "gpt-4o-mini", List.of(Backends.azure("sse-2", sseUrl, "d", Tier.PTU, 1),
            Backends.azure("payg", world.simUrl(), "payg", Tier.PAYG, 2)))));

    HttpResponse<String> only = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));
    assertThat(only.statusCode()).isEqualTo(502);
    assertThat(only.headers().firstValue("content-type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
    assertThat(Http.json(only).path("error").path("code").asText()).isEqualTo("upstream_invalid_response");

    HttpResponse<String> spilled = Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o-mini", false));
    assertThat(spilled.statusCode()).isEqualTo(200);
    assertThat(spilled.headers().firstValue("x-spillway-backend")).contains("payg");
    assertThat(Http.json(spilled).path("object").asText()).isEqualTo("chat.completion");
  }

  @Test
  void clientErrorsAreReturnedAsTheyAreAndNeverRetried() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    // The second backend has no such deployment on the simulator, so it would answer 404 too;
    // a 400 from the first must come back at once.
    world.gateway(Backends.config(Map.of("gpt-4o", List.of(
        Backends.azure("first", world.simUrl(), "payg", Tier.PTU, 1),
        Backends.azure("second", world.simUrl(), "payg", Tier.PAYG, 2)))));

    HttpResponse<String> r = Http.post(world.url("/v1/chat/completions"), "{\"model\":\"gpt-4o\",\"messages\":\"not a list\"}");

    assertThat(r.statusCode()).isBetween(400, 499);
    assertThat(r.headers().firstValue("x-spillway-attempts")).contains("1");
  }
}
