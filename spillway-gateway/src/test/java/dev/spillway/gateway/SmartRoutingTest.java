package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BreakerConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.SessionAffinity;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.ManualScheduler;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.FaultConfig;
import dev.spillway.simulator.FaultKind;
import io.vertx.core.http.HttpServer;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PTU first, spill, recovery, the PTU wait budget, breakers, admin actions and affinity, end to end on loopback. */
class SmartRoutingTest {
  private TestWorld world;
  private HttpServer scripted;

  @AfterEach
  void stop() {
    if (scripted != null) {
      scripted.close().await();
    }
    world.close();
  }

  private static ModelConfig model(List<BackendConfig> backends) {
    return ModelConfig.builder().name("gpt-4o").strategy(RoutingStrategy.PRIORITY).backends(backends).build();
  }

  private String backendOf(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-spillway-backend").orElseThrow();
  }

  private HttpResponse<String> chat() throws Exception {
    return Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false));
  }

  @Test
  void spillsToPaygUnderLoadAndReturnsToPtuOnceItFrees() throws Exception {
    ManualTicker ticker = new ManualTicker(1_000_000_000L);
    world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("ptu", 600), DeploymentConfig.payg("payg", 10_000_000, 100_000)), ticker);
    world.gateway(Backends.config(model(List.of(
        Backends.azure("ptu", world.simUrl(), "ptu", Tier.PTU, 1),
        Backends.azure("payg", world.simUrl(), "payg", Tier.PAYG, 2))), RoutingConfig.DEFAULTS), ticker);

    // Fill the PTU: sooner or later it throttles and PAYG takes the overflow, the client never sees a 429.
    String backend = "ptu";
    for (int i = 0; i < 20 && backend.equals("ptu"); i++) {
      backend = backendOf(chat());
    }
    assertThat(backend).isEqualTo("payg");
    assertThat(backendOf(chat())).isEqualTo("payg");

    // A minute later the PTU has drained and its throttle has ended: it is preferred again.
    ticker.advance(Duration.ofSeconds(61));
    assertThat(backendOf(chat())).isEqualTo("ptu");
  }

  /** A PTU stand-in that answers 429 with {@code retry-after-ms} the first time, then serves. */
  private String throttleOnceThenServe(long retryAfterMillis, AtomicInteger calls) {
    scripted = world.vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      if (calls.getAndIncrement() == 0) {
        req.response().setStatusCode(429).putHeader("retry-after-ms", Long.toString(retryAfterMillis))
            .putHeader("content-type", "application/json").end("{\"error\":{\"code\":\"429\",\"message\":\"busy\"}}");
      } else {
        req.response().putHeader("content-type", "application/json")
            .end("{\"object\":\"chat.completion\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}");
      }
    })).listen(0, "127.0.0.1").await();
    return "http://127.0.0.1:" + scripted.actualPort();
  }

  @Test
  void waitsForAThrottledPtuThatFreesWithinTheBudgetInsteadOfSpilling() throws Exception {
    ManualScheduler scheduler = new ManualScheduler(new ManualTicker(1_000_000_000L));
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    AtomicInteger ptuCalls = new AtomicInteger();
    String ptuUrl = throttleOnceThenServe(300, ptuCalls);
    world.gateway(Backends.config(model(List.of(
        Backends.azure("ptu", ptuUrl, "ptu", Tier.PTU, 1),
        Backends.azure("payg", world.simUrl(), "payg", Tier.PAYG, 2)))
            .toBuilder().maxWaitForPtu(Duration.ofMillis(1500)).build(),
        RoutingConfig.DEFAULTS), scheduler);

    CompletableFuture<HttpResponse<String>> pending =
        CompletableFuture.supplyAsync(() -> { try { return chat(); } catch (Exception e) { throw new CompletionException(e); } });
    // The PTU said 429 with retry-after-ms 300: the request now waits on the gateway's clock, holding the PTU wait slot.
    TestWorld.await("the request waits for the PTU", () -> scheduler.nanosUntilNext() == Duration.ofMillis(300).toNanos());
    assertThat(world.gateway.pools().get("gpt-4o").ptuWaiters()).isEqualTo(1);
    assertThat(pending).isNotDone();
    scheduler.advanceMillis(300);
    HttpResponse<String> r = pending.get(10, TimeUnit.SECONDS);
    long tookMillis = world.listener.nextRequest().durationNanos() / 1_000_000;

    assertThat(backendOf(r)).isEqualTo("ptu");
    assertThat(ptuCalls.get()).isEqualTo(2);
    assertThat(tookMillis).isGreaterThanOrEqualTo(300);
    assertThat(world.simulator.stats().total().requests()).isZero();
  }

  @Test
  void spillsAtOnceWhenThePtuFreesOutsideTheBudget() throws Exception {
    ManualScheduler scheduler = new ManualScheduler(new ManualTicker(1_000_000_000L));
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    AtomicInteger ptuCalls = new AtomicInteger();
    // The PTU asks for a minute: far outside the 1.5 s budget. The gateway's clock does not move in this test, so a
    // router that waited anyway would never answer; one that spills answers with no time passed at all.
    String ptuUrl = throttleOnceThenServe(60_000, ptuCalls);
    world.gateway(Backends.config(model(List.of(
        Backends.azure("ptu", ptuUrl, "ptu", Tier.PTU, 1),
        Backends.azure("payg", world.simUrl(), "payg", Tier.PAYG, 2)))
            .toBuilder().maxWaitForPtu(Duration.ofMillis(1500)).build(),
        RoutingConfig.DEFAULTS), scheduler);

    HttpResponse<String> r = chat();
    long tookMillis = world.listener.nextRequest().durationNanos() / 1_000_000;

    assertThat(backendOf(r)).isEqualTo("payg");
    assertThat(ptuCalls.get()).isEqualTo(1);
    assertThat(tookMillis).isLessThan(1_500);
    assertThat(world.gateway.pools().get("gpt-4o").ptuWaiters()).isZero();
  }

  @Test
  void aHangingPtuTimesOutAndThePaygAnswers() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    // The PTU stand-in accepts the request and never answers.
    scripted = world.vertx.createHttpServer().requestHandler(req -> {}).listen(0, "127.0.0.1").await();
    world.gateway(Backends.config(model(List.of(
        Backends.azure("ptu", "http://127.0.0.1:" + scripted.actualPort(), "ptu", Tier.PTU, 1,
            Backends.shortTimeouts(Duration.ofMillis(300), Duration.ofMillis(300))),
        Backends.azure("payg", world.simUrl(), "payg", Tier.PAYG, 2))), RoutingConfig.DEFAULTS));

    assertThat(backendOf(chat())).isEqualTo("payg");
  }

  @Test
  void aFailingBackendTripsItsBreakerAndIsSkippedUntilReset() throws Exception {
    world = new TestWorld().simulate(List.of(
        DeploymentConfig.payg("broken", 10_000_000, 100_000).withFaults(FaultConfig.of(1.0, FaultKind.HTTP_500)),
        DeploymentConfig.payg("fine", 10_000_000, 100_000)));
    BreakerConfig tight = new BreakerConfig(true, 2, 0, 2, Duration.ofSeconds(30), Duration.ofSeconds(30), true, 1, Set.of(500, 502, 503, 504));
    world.gateway(Backends.config(model(List.of(
        Backends.azure("broken", world.simUrl(), "broken", Tier.PTU, 1),
        Backends.azure("fine", world.simUrl(), "fine", Tier.PAYG, 2))), RoutingConfig.builder().breaker(tight).build()));

    // Two requests each try "broken" first (500) and are served by "fine": the breaker opens.
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> r = chat();
      assertThat(backendOf(r)).isEqualTo("fine");
      assertThat(r.headers().firstValue("x-spillway-attempts")).contains("2");
    }
    HttpResponse<String> third = chat();
    assertThat(backendOf(third)).isEqualTo("fine");
    assertThat(third.headers().firstValue("x-spillway-attempts")).contains("1");

    JsonNode broken = adminBackend("broken");
    assertThat(broken.path("state").asText()).isEqualTo("open");
    assertThat(broken.path("breaker").path("state").asText()).isEqualTo("OPEN");
    assertThat(broken.path("breaker").path("windowFailures").asInt()).isEqualTo(2);
  }

  private JsonNode adminBackend(String id) throws Exception {
    HttpResponse<String> r = Http.get(world.url("/admin/backends"));
    assertThat(r.statusCode()).isEqualTo(200);
    for (JsonNode b : Http.json(r).path("backends")) {
      if (b.path("id").asText().equals(id)) {
        return b;
      }
    }
    throw new AssertionError("no backend " + id + " in " + r.body());
  }

  @Test
  void adminShowsBackendsAndItsActionsSteerTraffic() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("ptu", 1_000_000), DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    world.gateway(Backends.config(model(List.of(
        Backends.azure("ptu", world.simUrl(), "ptu", Tier.PTU, 1),
        Backends.azure("payg", world.simUrl(), "payg", Tier.PAYG, 2))), RoutingConfig.DEFAULTS));
    assertThat(backendOf(chat())).isEqualTo("ptu");

    JsonNode ptu = adminBackend("ptu");
    assertThat(ptu.path("model").asText()).isEqualTo("gpt-4o");
    assertThat(ptu.path("tier").asText()).isEqualTo("ptu");
    assertThat(ptu.path("state").asText()).isEqualTo("available");
    assertThat(ptu.path("inFlight").asInt()).isZero();
    assertThat(ptu.path("latency").path("samples").asLong()).isEqualTo(1);
    assertThat(ptu.path("utilizationPercent").isNumber()).isTrue();
    assertThat(adminBackend("payg").path("remainingTokens").isNull()).isTrue();

    HttpResponse<String> forced = Http.post(world.url("/admin/backends/ptu/force-open"), "");
    assertThat(forced.statusCode()).isEqualTo(200);
    assertThat(Http.json(forced).path("state").asText()).isEqualTo("forced_open");
    assertThat(backendOf(chat())).isEqualTo("payg");

    assertThat(Http.post(world.url("/admin/backends/ptu/reset"), "").statusCode()).isEqualTo(200);
    assertThat(backendOf(chat())).isEqualTo("ptu");

    HttpResponse<String> disabled = Http.post(world.url("/admin/backends/ptu/disable"), "");
    assertThat(Http.json(disabled).path("breaker").path("state").asText()).isEqualTo("DISABLED");
    assertThat(backendOf(chat())).isEqualTo("ptu");

    HttpResponse<String> unknown = Http.post(world.url("/admin/backends/nope/reset"), "");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(Http.json(unknown).path("error").path("code").asText()).isEqualTo("backend_not_found");
  }

  @Test
  void everyBreakerOpenGivesA503WithRetryAfterWithoutCallingAnyBackend() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("payg", 10_000_000, 100_000)));
    // maxEjectedPercent 100: the breakers may hold out the whole pool (by default the only backend stays on trial).
    RoutingConfig wholePool =
        RoutingConfig.builder().breaker(BreakerConfig.DEFAULTS.withMaxEjectedPercent(100)).build();
    world.gateway(Backends.config(model(List.of(Backends.azure("only", world.simUrl(), "payg", Tier.PAYG, 1))), wholePool));
    world.gateway.pools().get("gpt-4o").backend("only").orElseThrow().breaker()
        .onFailure(System.nanoTime(), java.util.OptionalLong.of(7_000));
    for (int i = 0; i < 4; i++) {
      world.gateway.pools().get("gpt-4o").backend("only").orElseThrow().breaker()
          .onFailure(System.nanoTime(), java.util.OptionalLong.of(7_000));
    }

    HttpResponse<String> r = chat();

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(Http.json(r).path("error").path("code").asText()).isEqualTo("backends_unavailable");
    assertThat(Long.parseLong(r.headers().firstValue("retry-after").orElseThrow())).isBetween(1L, 7L);
    assertThat(world.simulator.stats().total().requests()).isZero();
  }

  @Test
  void aSessionStaysOnTheBackendThatServedItFirst() throws Exception {
    world = new TestWorld().simulate(List.of(
        DeploymentConfig.payg("a", 10_000_000, 100_000), DeploymentConfig.payg("b", 10_000_000, 100_000),
        DeploymentConfig.payg("c", 10_000_000, 100_000)));
    ModelConfig base = model(List.of(
        Backends.azure("a", world.simUrl(), "a", Tier.PAYG, 1),
        Backends.azure("b", world.simUrl(), "b", Tier.PAYG, 1),
        Backends.azure("c", world.simUrl(), "c", Tier.PAYG, 1)));
    ModelConfig sticky = base.toBuilder()
        .groupStrategy(RoutingStrategy.ROUND_ROBIN)
        .maxPtuWaiters(10)
        .affinity(new SessionAffinity(SessionAffinity.Source.HEADER, "x-session-id"))
        .build();
    world.gateway(Backends.config(sticky, RoutingConfig.DEFAULTS));

    String first = backendOf(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false), Map.of("x-session-id", "s1")));
    for (int i = 0; i < 5; i++) {
      assertThat(backendOf(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false), Map.of("x-session-id", "s1"))))
          .isEqualTo(first);
    }
    // Without the header, round-robin moves on.
    assertThat(List.of(backendOf(chat()), backendOf(chat()), backendOf(chat()))).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void aSessionCookieAlsoPinsAndIsNeverForwarded() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("a", 10_000_000, 100_000), DeploymentConfig.payg("b", 10_000_000, 100_000)));
    ModelConfig base = model(List.of(
        Backends.azure("a", world.simUrl(), "a", Tier.PAYG, 1),
        Backends.azure("b", world.simUrl(), "b", Tier.PAYG, 1)));
    ModelConfig sticky = base.toBuilder()
        .groupStrategy(RoutingStrategy.ROUND_ROBIN)
        .maxPtuWaiters(10)
        .affinity(new SessionAffinity(SessionAffinity.Source.COOKIE, "sid"))
        .build();
    world.gateway(Backends.config(sticky, RoutingConfig.DEFAULTS));

    Map<String, String> cookie = Map.of("cookie", "theme=dark; sid=abc123");
    String first = backendOf(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false), cookie));
    for (int i = 0; i < 4; i++) {
      assertThat(backendOf(Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false), cookie))).isEqualTo(first);
    }
  }
}
