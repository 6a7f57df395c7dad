package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.SharedThrottles;
import dev.spillway.gateway.store.redis.RedisTestSupport;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.faults.OutageProxy;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Gateway replicas in one JVM, in front of one simulator, sharing backend throttles through Redis ({@code limits.store:
 * redis} turns {@code routing.shared} on). The simulator's PTU holds 10 tokens and drains one a second, so the second
 * request it gets is refused with a {@code retry-after-ms} of tens of seconds: the replica that gets that 429 spills to
 * PAYG, and so must every other replica, at once and without asking the PTU itself. A refused connection is this
 * replica's own business and is not shared. A replica that starts later reads the throttles that still hold. Without
 * Redis each replica learns for itself and every request is still answered.
 */
class ReplicasShareThrottlesTest {
  private final String prefix = "spillway:test:throttles:" + UUID.randomUUID() + ":";
  private final List<GatewayServer> replicas = new ArrayList<>();
  private TestWorld world;
  private OutageProxy proxy;
  private int closedPort;

  @BeforeEach
  void start() throws Exception {
    RedisTestSupport.requireRedis();
    proxy = OutageProxy.start("127.0.0.1", java.net.URI.create(RedisTestSupport.CONNECTION_STRING).getPort());
    world = new TestWorld().simulate(List.of(DeploymentConfig.ptu("sim-ptu", 60),
        DeploymentConfig.payg("sim-payg", 10_000_000, 100_000)));
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort(); // nothing listens there once closed: connections are refused
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (GatewayServer r : replicas) {
      r.close().await();
    }
    if (world != null) {
      RedisTestSupport.deleteKeys(world.vertx, prefix + "*");
      world.close();
    }
    proxy.close();
  }

  private SpillwayConfig config() {
    return ConfigLoader.parse("""
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: ptu, url: "%1$s", deployment: sim-ptu, auth: { apiKey: %2$s }, tier: ptu, priority: 1 }
              - { id: payg, url: "%1$s", deployment: sim-payg, auth: { apiKey: %2$s }, tier: payg, priority: 2 }
          gpt-4o-mini:
            backends:
              - { id: gone, url: "http://127.0.0.1:%3$d", deployment: d, auth: { apiKey: %2$s }, tier: ptu, priority: 1 }
              - { id: payg-mini, url: "%1$s", deployment: sim-payg, auth: { apiKey: %2$s }, tier: payg, priority: 2 }
        routing:
          sharedKeyPrefix: "%4$s"
          breaker: { failureThreshold: 1, minimumCalls: 1 }
        limits: { store: redis, redisUrl: "redis://127.0.0.1:%5$d" }
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, closedPort, prefix, proxy.port()),
        "spillway.yaml", name -> null);
  }

  private GatewayServer replica() {
    GatewayServer r = GatewayServer.start(world.vertx, config(), GatewayOptions.builder().build()).await();
    replicas.add(r);
    return r;
  }

  private static HttpResponse<String> ask(GatewayServer via, String model) throws Exception {
    HttpResponse<String> r = Http.post(via.baseUrl() + "/v1/chat/completions", Http.chat(model, false));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r;
  }

  private static String backend(HttpResponse<String> r) {
    return r.headers().firstValue("x-spillway-backend").orElse("(none)");
  }

  private static BackendState state(GatewayServer r, String model, String backend) {
    return r.pools().get(model).backend(backend).orElseThrow();
  }

  private static boolean ptuThrottled(GatewayServer r) {
    return state(r, "gpt-4o", "ptu").isThrottled(System.nanoTime());
  }

  private long ptuRequests() {
    return world.simulator.stats().deployment("sim-ptu").requests();
  }

  /** Sends through {@code a} until the PTU refuses one (the request spills to PAYG); returns when that answer came. */
  private long throttlePtuThrough(GatewayServer a) throws Exception {
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = ask(a, "gpt-4o");
      if (backend(r).equals("payg")) {
        assertThat(world.simulator.stats().deployment("sim-ptu").throttled()).isEqualTo(1);
        return System.nanoTime();
      }
    }
    throw new AssertionError("the PTU never refused a request");
  }

  /** Polls (at most 5 s) until {@code r} holds the PTU throttled; returns how long that took after {@code sinceNanos}. */
  private static long awaitThrottled(GatewayServer r, long sinceNanos) throws InterruptedException {
    TestWorld.await("the replica applies the shared throttle", () -> ptuThrottled(r));
    return (System.nanoTime() - sinceNanos) / 1_000_000;
  }

  private Redis redis() {
    return Redis.createClient(world.vertx, RedisTestSupport.CONNECTION_STRING);
  }

  @Test
  void aPtuThrottleOneReplicaMeetsSendsTheOtherStraightToPaygAndAConnectionErrorStaysLocal() throws Exception {
    GatewayServer a = replica();
    GatewayServer b = replica();

    // A refused connection on a: its breaker opens there, and nowhere else.
    assertThat(backend(ask(a, "gpt-4o-mini"))).isEqualTo("payg-mini");
    assertThat(state(a, "gpt-4o-mini", "gone").breaker().isCallPermitted(System.nanoTime())).isFalse();

    long answered = throttlePtuThrough(a);
    long appliedMillis = awaitThrottled(b, answered);
    System.out.println("ReplicasShareThrottlesTest: the other replica applied the PTU throttle " + appliedMillis
        + " ms after the answer that met the 429");
    assertThat(appliedMillis).as("applied on the other replica within 1 s").isLessThan(1_000);
    long remainingMillis = state(b, "gpt-4o", "ptu").nanosUntilAvailable(System.nanoTime()) / 1_000_000;
    assertThat(remainingMillis).as("b holds the PTU out for what the 429 asked").isBetween(10_000L, 60_000L);

    assertThat(Http.get(a.baseUrl() + "/metrics").body()).contains("spillway_routing_shared_throttles_published_total 1.0");
    assertThat(Http.get(b.baseUrl() + "/metrics").body()).contains("spillway_routing_shared_throttles_applied_total 1.0")
        .contains("spillway_routing_shared_throttles_published_total 0.0");

    long ptuBefore = ptuRequests();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> r = ask(b, "gpt-4o");
      assertThat(backend(r)).isEqualTo("payg");
      assertThat(r.headers().firstValue("x-spillway-attempts")).contains("1");
    }
    assertThat(ptuRequests()).as("b never sent to the throttled PTU").isEqualTo(ptuBefore);

    // The connection error was a's alone: b still tries that backend (and meets the refusal itself).
    BackendState goneOnB = state(b, "gpt-4o-mini", "gone");
    assertThat(goneOnB.canTakeCall(System.nanoTime())).isTrue();
    Redis redis = redis();
    try {
      String ptuKey = prefix + "throttle:" + SharedThrottles.sharedName(state(a, "gpt-4o", "ptu").config());
      String goneKey = prefix + "throttle:" + SharedThrottles.sharedName(goneOnB.config());
      assertThat(redis.send(Request.cmd(Command.EXISTS).arg(ptuKey)).await().toLong()).isEqualTo(1);
      assertThat(redis.send(Request.cmd(Command.EXISTS).arg(goneKey)).await().toLong()).isZero();
    } finally {
      redis.close();
    }
    HttpResponse<String> mini = ask(b, "gpt-4o-mini");
    assertThat(backend(mini)).isEqualTo("payg-mini");
    assertThat(mini.headers().firstValue("x-spillway-attempts")).contains("2");
  }

  @Test
  void aReplicaThatStartsLaterReadsTheThrottlesThatStillHold() throws Exception {
    GatewayServer a = replica();
    throttlePtuThrough(a);
    assertThat(ptuThrottled(a)).isTrue();

    long started = System.nanoTime();
    GatewayServer late = replica();
    long appliedMillis = awaitThrottled(late, started);
    System.out.println("ReplicasShareThrottlesTest: a replica started later held the PTU throttled " + appliedMillis
        + " ms after its start began");
    long ptuBefore = ptuRequests();
    assertThat(backend(ask(late, "gpt-4o"))).isEqualTo("payg");
    assertThat(ptuRequests()).isEqualTo(ptuBefore);
  }

  @Test
  void aPtuAddedByAConfigReloadSharesItsThrottlesToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    String head = """
        server: { listen: "127.0.0.1:0" }
        admin: { apiKey: admin-key-0123456789abcdef }
        routing: { sharedKeyPrefix: "%3$s" }
        limits: { store: redis, redisUrl: "redis://127.0.0.1:%4$d" }
        ledger: off
        models:
          gpt-4o:
            backends:
              - { id: payg, url: "%1$s", deployment: sim-payg, auth: { apiKey: %2$s }, tier: payg, priority: 2 }
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, prefix, proxy.port());
    java.nio.file.Path file = dir.resolve("spillway.yaml");
    java.nio.file.Files.writeString(file, head);
    List<GatewayServer> both = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      GatewayServer r = GatewayServer.start(world.vertx, ConfigLoader.load(file), GatewayOptions.builder().build())
          .await();
      r.reloadFrom(file, java.util.function.UnaryOperator.identity(), java.time.Duration.ZERO); // no watch: reloaded below
      replicas.add(r);
      both.add(r);
    }
    java.nio.file.Files.writeString(file, head + """
              - { id: ptu, url: "%1$s", deployment: sim-ptu, auth: { apiKey: %2$s }, tier: ptu, priority: 1 }
        """.formatted(world.simUrl(), Backends.BACKEND_KEY));
    for (GatewayServer r : both) {
      HttpResponse<String> reloaded = Http.send("POST", r.baseUrl() + "/admin/reload", null,
          Map.of("api-key", "admin-key-0123456789abcdef"));
      assertThat(reloaded.statusCode()).as(reloaded.body()).isEqualTo(200);
    }
    GatewayServer a = both.get(0);
    GatewayServer b = both.get(1);
    long answered = throttlePtuThrough(a);
    assertThat(awaitThrottled(b, answered)).as("the added PTU's throttle reached the other replica within 1 s")
        .isLessThan(1_000);
    long ptuBefore = ptuRequests();
    assertThat(backend(ask(b, "gpt-4o"))).isEqualTo("payg");
    assertThat(ptuRequests()).isEqualTo(ptuBefore);
  }

  @Test
  void withoutRedisEachReplicaLearnsForItselfAndEveryRequestIsAnswered() throws Exception {
    proxy.mode(OutageProxy.Mode.REFUSE);
    GatewayServer a = replica();
    GatewayServer b = replica();
    throttlePtuThrough(a);
    assertThat(ptuThrottled(a)).isTrue();
    assertThat(ptuThrottled(b)).as("nothing reaches b without Redis").isFalse();

    HttpResponse<String> first = ask(b, "gpt-4o");
    assertThat(backend(first)).isEqualTo("payg");
    assertThat(first.headers().firstValue("x-spillway-attempts")).as("b met the 429 itself").contains("2");
    assertThat(world.simulator.stats().deployment("sim-ptu").throttled()).isEqualTo(2);
    long ptuBefore = ptuRequests();
    assertThat(backend(ask(b, "gpt-4o"))).isEqualTo("payg");
    assertThat(backend(ask(a, "gpt-4o"))).isEqualTo("payg");
    assertThat(ptuRequests()).as("each replica keeps what it learned").isEqualTo(ptuBefore);
  }
}
