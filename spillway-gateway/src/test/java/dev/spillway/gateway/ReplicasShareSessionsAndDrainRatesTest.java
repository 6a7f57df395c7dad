package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.SharedSessionPins;
import dev.spillway.core.routing.SharedThrottles;
import dev.spillway.core.routing.station.DrainModel;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.store.redis.RedisTestSupport;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import dev.spillway.simulator.faults.OutageProxy;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gateway replicas in one JVM, in front of one simulator, sharing session pins and learned PTU drain rates through
 * Redis ({@code limits.store: redis} turns {@code routing.shared} on). A session answered through one replica is sent
 * to the same deployment by the other, whose own round robin would send some of them elsewhere; Redis holds a hash of
 * the session, never its value; with Redis gone every request is still answered. A replica that learned how fast the
 * PTU drains publishes it, and a replica that starts later takes its share of it at once instead of starting cold.
 */
class ReplicasShareSessionsAndDrainRatesTest {
  private static final Pattern DRAIN =
      Pattern.compile("spillway_station_drain_tokens_per_minute\\{gen_ai_request_model=\"gpt-4o-mini\"} ([0-9.E]+)");
  private final String prefix = "spillway:test:sessions:" + UUID.randomUUID() + ":";
  private final List<GatewayServer> replicas = new ArrayList<>();
  private final TestWorld world = new TestWorld();
  private OutageProxy proxy;

  @BeforeEach
  void start() throws Exception {
    RedisTestSupport.requireRedis();
    proxy = OutageProxy.start("127.0.0.1", java.net.URI.create(RedisTestSupport.CONNECTION_STRING).getPort());
  }

  @AfterEach
  void stop() throws Exception {
    for (GatewayServer r : replicas) {
      r.close().await();
    }
    RedisTestSupport.deleteKeys(world.vertx, prefix + "*");
    world.close();
    proxy.close();
  }

  /** The simulator on {@code ticker}: its PTU holds 100 tokens and drains 10 a second (600 a minute). */
  private void simulate(Ticker ticker) {
    world.simulator = Simulator.start(world.vertx, SimulatorConfig.builder().port(0).zeroLatency(true)
        .apiKey(Backends.BACKEND_KEY).deployments(List.of(DeploymentConfig.payg("sim-one", 0, 0),
            DeploymentConfig.payg("sim-two", 0, 0), DeploymentConfig.ptu("sim-ptu", 600),
            DeploymentConfig.payg("sim-payg", 0, 0))).build(), ticker).await();
  }

  private SpillwayConfig config() {
    return ConfigLoader.parse("""
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            strategy: round-robin
            affinity: { header: x-session-id }
            backends:
              - { id: one, url: "%1$s", deployment: sim-one, auth: { apiKey: %2$s }, tier: payg }
              - { id: two, url: "%1$s", deployment: sim-two, auth: { apiKey: %2$s }, tier: payg }
          gpt-4o-mini:
            maxWaitForPtu: 0s
            backends:
              - { id: ptu, url: "%1$s", deployment: sim-ptu, auth: { apiKey: %2$s }, tier: ptu, priority: 1 }
              - { id: payg, url: "%1$s", deployment: sim-payg, auth: { apiKey: %2$s }, tier: payg, priority: 2 }
        routing: { sharedKeyPrefix: "%3$s" }
        limits: { store: redis, redisUrl: "redis://127.0.0.1:%4$d" }
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, prefix, proxy.port()), "spillway.yaml", name -> null);
  }

  private GatewayServer replica(Ticker ticker) {
    GatewayServer r = GatewayServer.start(world.vertx, config(), GatewayOptions.builder().ticker(ticker).build()).await();
    replicas.add(r);
    return r;
  }

  private static String ask(GatewayServer via, String model, Map<String, String> headers) throws Exception {
    HttpResponse<String> r = Http.post(via.baseUrl() + "/v1/chat/completions", Http.chat(model, false), headers);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.headers().firstValue("x-spillway-backend").orElse("(none)");
  }

  private Response redis(Request request) {
    Redis redis = Redis.createClient(world.vertx, RedisTestSupport.CONNECTION_STRING);
    try {
      return redis.send(request).await();
    } finally {
      redis.close();
    }
  }

  @Test
  void aSessionAnsweredThroughOneReplicaIsSentToTheSameDeploymentByTheOther() throws Exception {
    simulate(Ticker.systemTicker());
    GatewayServer a = replica(Ticker.systemTicker());
    GatewayServer b = replica(Ticker.systemTicker());
    int moved = 0;
    for (int i = 0; i < 6; i++) {
      String session = "session-" + UUID.randomUUID();
      String onA = ask(a, "gpt-4o", Map.of("x-session-id", session));
      String key = prefix + "session:" + SharedSessionPins.sessionId("gpt-4o", session);
      TestWorld.await("a's pin is in Redis", () -> redis(Request.cmd(Command.EXISTS).arg(key)).toLong() == 1);
      assertThat(redis(Request.cmd(Command.GET).arg(key)).toString())
          .isEqualTo(SharedThrottles.sharedName(a.pools().get("gpt-4o").backend(onA).orElseThrow().config()));
      // A session b never saw takes b's round robin; the next pick, which the session would have got without the
      // shared pin, is the other deployment.
      String fresh = ask(b, "gpt-4o", Map.of("x-session-id", "fresh-" + UUID.randomUUID()));
      moved += fresh.equals(onA) ? 1 : 0;
      for (int k = 0; k < 3; k++) {
        assertThat(ask(b, "gpt-4o", Map.of("x-session-id", session))).as(session).isEqualTo(onA);
      }
    }
    assertThat(moved).as("b's own round robin would have sent some sessions elsewhere").isPositive();
    assertThat(Http.get(a.baseUrl() + "/metrics").body())
        .contains("spillway_routing_shared_session_pins_written_total 6.0");
    assertThat(Http.get(b.baseUrl() + "/metrics").body())
        .contains("spillway_routing_shared_session_pins_recalled_total 18.0");

    // Redis holds hashes of the sessions, never their values.
    Response keys = redis(Request.cmd(Command.KEYS).arg(prefix + "session:*"));
    assertThat(keys.size()).isEqualTo(12);
    for (Response k : keys) {
      assertThat(k.toString()).doesNotContain("session-").doesNotContain("fresh-").matches(Pattern.quote(prefix) + "session:[0-9a-f]{64}");
    }

    // Redis hangs, then refuses: sessions are still answered on both replicas, each by what it knows, a hanging Redis
    // costing a request at most the read's timeout (500 ms).
    for (OutageProxy.Mode mode : List.of(OutageProxy.Mode.BLACKHOLE, OutageProxy.Mode.REFUSE)) {
      proxy.mode(mode);
      String session = "session-" + UUID.randomUUID();
      long started = System.nanoTime();
      String onA = ask(a, "gpt-4o", Map.of("x-session-id", session));
      long tookMillis = (System.nanoTime() - started) / 1_000_000;
      System.out.println("ReplicasShareSessionsAndDrainRatesTest: a session's first request with Redis " + mode
          + " took " + tookMillis + " ms");
      assertThat(tookMillis).as(mode.toString()).isLessThan(3_000);
      assertThat(ask(a, "gpt-4o", Map.of("x-session-id", session))).isEqualTo(onA);
      ask(b, "gpt-4o", Map.of("x-session-id", session));
    }
  }

  private static double drainGauge(GatewayServer r) throws Exception {
    Matcher m = DRAIN.matcher(Http.get(r.baseUrl() + "/metrics").body());
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static DrainModel ptuModel(GatewayServer r) {
    BackendState ptu = r.pools().get("gpt-4o-mini").backend("ptu").orElseThrow();
    return ptu.drainModel();
  }

  /** Asks through {@code a} until the PTU refuses one (the request spills to PAYG). */
  private static void untilRefused(GatewayServer a) throws Exception {
    for (int i = 0; i < 30; i++) {
      if (ask(a, "gpt-4o-mini", Map.of()).equals("payg")) {
        return;
      }
    }
    throw new AssertionError("the PTU never refused a request");
  }

  @Test
  void aReplicaStartedLaterTakesItsShareOfTheDrainRateAnotherLearned() throws Exception {
    ManualTicker ticker = new ManualTicker(1_000_000_000L); // the PTU drains only when the test moves time
    simulate(ticker);
    GatewayServer a = replica(ticker);
    // One saturated stretch: the PTU refuses, drains, takes more, refuses again. Between the two moments its refusals
    // named, it took exactly what a sent it: a learns the rate (no capacity is declared).
    untilRefused(a);
    assertThat(ptuModel(a).hasRate()).isFalse();
    ticker.advance(Duration.ofSeconds(5));
    untilRefused(a);
    DrainModel learned = ptuModel(a);
    assertThat(learned.rateSamples()).isEqualTo(1);
    System.out.println("ReplicasShareSessionsAndDrainRatesTest: a learned " + learned.tokensPerMinute()
        + " tokens a minute (the simulated PTU drains 600 of its own)");
    assertThat(learned.tokensPerMinute()).isBetween(300.0, 1_200.0);

    String hash = prefix + "drain:" + SharedThrottles.sharedName(
        a.pools().get("gpt-4o-mini").backend("ptu").orElseThrow().config());
    TestWorld.await("a's rate is in Redis", () -> redis(Request.cmd(Command.HLEN).arg(hash)).toLong() == 1);

    long started = System.nanoTime();
    GatewayServer b = replica(ticker);
    TestWorld.await("b's PTU model is seeded", () -> ptuModel(b).hasRate());
    System.out.println("ReplicasShareSessionsAndDrainRatesTest: the later replica was seeded "
        + (System.nanoTime() - started) / 1_000_000 + " ms after its start began");
    // a measured the whole drain alone; with b beside it, b's share is half
    assertThat(ptuModel(b).tokensPerMinute()).isEqualTo(learned.tokensPerMinute() / 2, within(0.5));
    assertThat(ptuModel(b).rateSamples()).isZero();
    assertThat(drainGauge(b)).isEqualTo(Math.round(learned.tokensPerMinute() / 2 * 10) / 10.0, within(1.0));
    assertThat(drainGauge(a)).isEqualTo(learned.tokensPerMinute(), within(1.0));
    assertThat(redis(Request.cmd(Command.HLEN).arg(hash)).toLong()).as("b publishes no seed").isEqualTo(1);
    assertThat(Http.get(b.baseUrl() + "/metrics").body())
        .contains("spillway_routing_shared_drain_rates_seeded_total 1.0")
        .contains("spillway_routing_shared_drain_rates_published_total 0.0");
    assertThat(Http.get(a.baseUrl() + "/metrics").body())
        .contains("spillway_routing_shared_drain_rates_published_total 1.0");
  }
}
