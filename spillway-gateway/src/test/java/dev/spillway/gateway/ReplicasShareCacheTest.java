package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.pipeline.policies.CachePolicy;
import dev.spillway.gateway.store.redis.RedisTestSupport;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.faults.OutageProxy;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway replicas with {@code cache.store: redis} on one Redis, through real HTTP: an answer stored through one is
 * an exact hit on the other, and an invalidation through either reaches both. Redis reached through an {@link
 * OutageProxy}: while it refuses, every request still gets its 200 (from the backend, the cache bypassed), an invalidation answers
 * 503, each replica logs the outage once; once Redis is back the cache works again, also for replicas that started
 * while it was down.
 */
class ReplicasShareCacheTest {
  private static final String HEADER = "x-spillway-cache";

  @TempDir
  Path dir;
  private TestWorld world;
  private GatewayServer second;
  private OutageProxy proxy;
  private String key;
  private final String prefix = "spillway:test:cache:" + UUID.randomUUID() + ":";
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final Logger root = Logger.getLogger("");

  @BeforeEach
  void redis() throws Exception {
    RedisTestSupport.requireRedis();
    proxy = OutageProxy.start("127.0.0.1", 6379);
  }

  @AfterEach
  void stop() throws Exception {
    root.removeHandler(capture);
    if (second != null) {
      second.close().await();
    }
    if (world != null) {
      RedisTestSupport.deleteKeys(world.vertx, prefix + "*");
      world.close();
    }
    proxy.close();
  }

  /** Two replicas on Redis through the proxy, sharing the key store; sets {@link #key} (consumer alice's). */
  private void start() throws Exception {
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("gpt-4o", 10_000_000, 100_000)));
    SpillwayConfig config = ConfigLoader.parse("""
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: sim, url: "%s", deployment: gpt-4o, auth: { apiKey: %s }, tier: payg }
        cache: { ttl: 10m, store: redis, redisUrl: "redis://127.0.0.1:%d", keyPrefix: "%s" }
        consumers:
          - { id: alice, team: red, models: ["*"] }
        auth:
          keyStore: %s
          keyPepper: pepper-0123456789abcdef
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, proxy.port(), prefix, dir.resolve("keys.json")),
        "spillway.yaml", name -> null);
    world.gateway(config);
    key = world.gateway.keys().orElseThrow().create("alice", Instant.now()).plaintext();
    second = GatewayServer.start(world.vertx, config, GatewayOptions.builder().build()).await();
  }

  private HttpResponse<String> ask(GatewayServer via, String question) throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"temperature\":0,\"max_tokens\":16,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    return Http.post(via.baseUrl() + "/v1/chat/completions", body, Map.of("api-key", key));
  }

  private static String cache(HttpResponse<String> r) {
    return r.headers().firstValue(HEADER).orElse("(none)");
  }

  private long backendCalls() {
    return world.simulator.stats().total().requests();
  }

  /** Waits until the answer named by {@code response} is in Redis (stores complete after the response). */
  private void awaitStored(HttpResponse<String> response) throws Exception {
    String entry = prefix + "a:" + response.headers().firstValue(CachePolicy.KEY_HEADER).orElseThrow();
    Redis redis = Redis.createClient(world.vertx, RedisTestSupport.CONNECTION_STRING);
    try {
      TestWorld.await("the answer in Redis", () -> redis.send(Request.cmd(Command.EXISTS).arg(entry)).await().toLong() == 1);
    } finally {
      redis.close();
    }
  }

  @Test
  void anAnswerStoredThroughOneReplicaIsAnExactHitOnTheOtherAndAnInvalidationReachesBoth() throws Exception {
    start();
    HttpResponse<String> first = ask(world.gateway, "What is a PTU?");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(cache(first)).isEqualTo("MISS");
    awaitStored(first);

    HttpResponse<String> onSecond = ask(second, "What is a PTU?");
    assertThat(onSecond.statusCode()).isEqualTo(200);
    assertThat(cache(onSecond)).isEqualTo("HIT");
    assertThat(Http.json(onSecond)).isEqualTo(Http.json(first));
    assertThat(backendCalls()).isEqualTo(1);
    assertThat(Http.json(Http.get(second.baseUrl() + "/admin/cache")).path("store").asText()).isEqualTo("redis");

    String entry = first.headers().firstValue(CachePolicy.KEY_HEADER).orElseThrow();
    HttpResponse<String> removed = Http.send("DELETE", second.baseUrl() + "/admin/cache?key=" + entry, null);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(Http.json(removed).path("removed").asLong()).isEqualTo(1);
    assertThat(cache(ask(world.gateway, "What is a PTU?"))).isEqualTo("MISS");
    assertThat(backendCalls()).isEqualTo(2);
  }

  @Test
  void aRedisOutageCostsTheCacheNeverARequestAndTheCacheWorksAgainAfter() throws Exception {
    start();
    HttpResponse<String> stored = ask(world.gateway, "Explain spillover.");
    awaitStored(stored);
    assertThat(cache(ask(second, "Explain spillover."))).isEqualTo("HIT");

    root.addHandler(capture);
    proxy.mode(OutageProxy.Mode.REFUSE);
    List<HttpResponse<String>> during = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      during.add(ask(i % 2 == 0 ? world.gateway : second, i < 4 ? "Explain spillover." : "Something new " + i));
    }
    assertThat(during).allSatisfy(r -> {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(cache(r)).isEqualTo("BYPASS");
    });
    for (GatewayServer replica : List.of(world.gateway, second)) {
      assertThat(Http.json(Http.get(replica.baseUrl() + "/readyz")).path("cache").asText()).isEqualTo("degraded");
      assertThat(Http.get(replica.baseUrl() + "/metrics").body()).contains("spillway_cache_degraded 1.0")
          .containsPattern("spillway_cache_store_failures_total [1-9]");
    }
    HttpResponse<String> invalidation = Http.send("DELETE", second.baseUrl() + "/admin/cache", null);
    assertThat(invalidation.statusCode()).isEqualTo(503);
    assertThat(Http.json(invalidation).path("error").path("code").asText()).isEqualTo("cache_unavailable");
    assertThat(invalidation.body()).doesNotContain(String.valueOf(proxy.port()));

    proxy.mode(OutageProxy.Mode.PASS);
    awaitHit(second, "Explain spillover.");
    root.removeHandler(capture);
    assertThat(Http.json(Http.get(second.baseUrl() + "/readyz")).path("cache").asText()).isEqualTo("shared");
    assertThat(Http.get(second.baseUrl() + "/metrics").body()).contains("spillway_cache_degraded 0.0");

    records.removeIf(r -> r.getThrown() instanceof AssertionError a && a.getStackTrace().length > 0
        && a.getStackTrace()[0].getClassName().startsWith("io.vertx.redis.client.impl."));
    assertThat(records).as("log records at SEVERE").noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue());
    assertThat(records).as("log records with a stack trace").allMatch(r -> r.getThrown() == null);
    List<String> warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING)
        .map(r -> new java.util.logging.SimpleFormatter().formatMessage(r)).toList();
    assertThat(warnings).as("one warning per replica for the outage").hasSize(2).allSatisfy(w -> assertThat(w)
        .contains("127.0.0.1:" + proxy.port(), "bypassed").doesNotContain("spillover", "\n", prefix));
  }

  @Test
  void replicasThatStartWhileRedisIsDownServeAndUseTheCacheOnceItIsUp() throws Exception {
    proxy.mode(OutageProxy.Mode.REFUSE);
    start();
    for (GatewayServer via : List.of(world.gateway, second, world.gateway)) {
      HttpResponse<String> r = ask(via, "What is PAYG?");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(cache(r)).isEqualTo("BYPASS");
    }
    proxy.mode(OutageProxy.Mode.PASS);
    awaitHit(second, "What is PAYG?");
  }

  /** Asks {@code question} through {@code via} until it is a hit (a miss stores the answer for the next try). */
  private void awaitHit(GatewayServer via, String question) throws Exception {
    List<String> seen = new ArrayList<>();
    TestWorld.await("a cache hit once Redis is back", () -> {
      try {
        HttpResponse<String> r = ask(via, question);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        seen.add(cache(r));
        return cache(r).equals("HIT");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertThat(seen).allMatch(s -> s.equals("BYPASS") || s.equals("MISS") || s.equals("HIT"));
  }
}
