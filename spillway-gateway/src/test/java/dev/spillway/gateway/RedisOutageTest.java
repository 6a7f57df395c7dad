package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.store.redis.PrivateRedisServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.faults.OutageProxy;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Redis limit store that goes away under traffic and comes back, twice: its connections are reset (an {@link
 * OutageProxy} in front of it refuses), then the server is killed and started again (a private {@code redis-server};
 * never the shared one). Each outage is one warning line that names the cause, with no stack trace and nothing at
 * SEVERE (the Redis client's own handler logged {@code SEVERE: Unhandled Error} with a stack trace for a reset
 * connection); limits fail open, so every client still gets its 200; {@code /readyz} and the metrics show the store
 * down and the requests that failed open; and once Redis is back the store uses it again.
 */
class RedisOutageTest {
  @TempDir
  Path dir;

  private PrivateRedisServer redis;
  private OutageProxy proxy;
  private TestWorld world;
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

  @AfterEach
  void stop() throws Exception {
    root.removeHandler(capture);
    if (world != null) {
      world.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void eachRedisOutageIsOneWarningWithoutAStackTraceAndLimitsFailOpenUntilItIsBack() throws Exception {
    redis = PrivateRedisServer.start(dir.resolve("redis"));
    proxy = OutageProxy.start("127.0.0.1", redis.port());
    world = new TestWorld().simulate(List.of(DeploymentConfig.payg("sim-payg", 10_000_000, 100_000)));
    SpillwayConfig config = ConfigLoader.parse("""
        server: { listen: "127.0.0.1:0" }
        models:
          gpt-4o:
            backends:
              - { id: payg, url: "%s", deployment: sim-payg, auth: { apiKey: %s }, tier: payg }
        limits:
          store: redis
          redisUrl: redis://127.0.0.1:%d
          onRedisFailure: failOpen
        consumers:
          - { id: app, team: t, models: ["*"], limits: { tokensPerMinute: 10000000, requestsPerMinute: 100000 } }
        auth:
          keyStore: %s
          keyPepper: pepper-0123456789abcdef
        """.formatted(world.simUrl(), Backends.BACKEND_KEY, proxy.port(), dir.resolve("keys.json")),
        "spillway.yaml", name -> null);
    world.gateway(config);
    String key = world.gateway.keys().orElseThrow().create("app", Instant.now()).plaintext();

    assertThat(chat(key).statusCode()).isEqualTo(200);
    assertThat(Http.json(Http.get(world.url("/readyz"))).path("limitStore").asText()).isEqualTo("redis");
    assertThat(metrics()).contains("spillway_limit_store_up 1.0");

    root.addHandler(capture);
    outage(key, () -> proxy.mode(OutageProxy.Mode.REFUSE), () -> proxy.mode(OutageProxy.Mode.PASS));
    outage(key, redis::kill, redis::startAgain);
    root.removeHandler(capture);

    // The Redis client asserts its own state when a connection that failed is closed (java -ea, as under the test
    // runner; production runs without assertions): not a log line of an outage, and not the gateway's to change.
    records.removeIf(r -> r.getThrown() instanceof AssertionError a && a.getStackTrace().length > 0
        && a.getStackTrace()[0].getClassName().startsWith("io.vertx.redis.client.impl."));
    assertThat(records).as("log records at SEVERE").noneMatch(r -> r.getLevel().intValue() >= Level.SEVERE.intValue());
    assertThat(records).as("log records with a stack trace").allMatch(r -> r.getThrown() == null);
    List<String> warnings = records.stream().filter(r -> r.getLevel() == Level.WARNING).map(RedisOutageTest::format).toList();
    assertThat(warnings).as("warnings: one per outage").hasSize(2)
        .allMatch(w -> w.contains("127.0.0.1:" + proxy.port()) && w.contains("failOpen") && !w.contains("\n"));
  }

  /** Clients keep going while Redis is away; limits fail open; the store says so; then Redis is back and used. */
  private void outage(String key, Action down, Action up) throws Exception {
    AtomicBoolean going = new AtomicBoolean(true);
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      load.add(Thread.ofVirtual().start(() -> {
        while (going.get()) {
          try {
            statuses.add(chat(key).statusCode());
          } catch (Exception e) {
            statuses.add(-1);
          }
        }
      }));
    }
    TestWorld.await("some requests through Redis", () -> statuses.size() >= 20);
    down.run();
    int before = statuses.size();
    TestWorld.await("requests while Redis is away", () -> statuses.size() >= before + 40);
    assertThat(Http.json(Http.get(world.url("/readyz"))).path("limitStore").asText()).isEqualTo("degraded");
    String scrape = metrics();
    assertThat(scrape).contains("spillway_limit_store_up 0.0");
    assertThat(counter(scrape, "spillway_limit_store_fallbacks_total")).isPositive();
    up.run();
    TestWorld.await("the limit store to use Redis again", () -> {
      try {
        return Http.json(Http.get(world.url("/readyz"))).path("limitStore").asText().equals("redis");
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    going.set(false);
    for (Thread t : load) {
      t.join();
    }
    assertThat(statuses).as("answers during the outage").allMatch(s -> s == 200);
    assertThat(metrics()).contains("spillway_limit_store_up 1.0");
  }

  @FunctionalInterface
  private interface Action {
    void run() throws Exception;
  }

  private HttpResponse<String> chat(String key) throws Exception {
    return Http.post(world.url("/v1/chat/completions"), Http.chat("gpt-4o", false), Map.of("api-key", key));
  }

  private String metrics() throws Exception {
    return Http.get(world.url("/metrics")).body();
  }

  private static double counter(String scrape, String name) {
    return scrape.lines().filter(l -> l.startsWith(name + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1))).findFirst().orElse(-1);
  }

  private static String format(LogRecord r) {
    return new java.util.logging.SimpleFormatter().formatMessage(r);
  }
}
