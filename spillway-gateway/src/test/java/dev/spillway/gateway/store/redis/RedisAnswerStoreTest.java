package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.CacheUnavailableException;
import dev.spillway.core.cache.CachedAnswer;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.simulator.faults.OutageProxy;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the Redis answer store does beyond the contract: how it files an answer in Redis, what it makes of bytes it did
 * not write, and what a caller sees while Redis is away (misses and dropped stores, never a failed lookup; a failed
 * invalidation; one warning per outage; Redis left alone for the probe interval after a failure).
 */
class RedisAnswerStoreTest {
  private static final long NOW = AnswerStoreContract.T0;
  private static Vertx vertx;
  private static Redis redis;
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
  private final Logger log = Logger.getLogger("spillway.cache.redis");
  private static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (redis != null) {
      RedisTestSupport.deleteRunKeys(vertx);
      redis.close();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @BeforeEach
  void listen() {
    log.addHandler(capture);
  }

  @AfterEach
  void stopListening() {
    log.removeHandler(capture);
  }

  private static Redis shared() {
    RedisTestSupport.requireRedis();
    if (redis == null) {
      redis = Redis.createClient(vertx, RedisTestSupport.CONNECTION_STRING);
    }
    return redis;
  }

  private RedisCacheOptions options(String url, Duration probeInterval) {
    return new RedisCacheOptions(url, RedisTestSupport.RUN_PREFIX + "answerstore" + RUNS.incrementAndGet() + ":", Duration.ofSeconds(2),
        probeInterval, Duration.ofSeconds(1), 2);
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static CachedAnswer answer(String key) {
    return AnswerStoreContract.answer(key, "c:alice", "gpt-4o", "A PTU is provisioned throughput.", NOW);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void anAnswerIsOneKeyNamedByItsHashThatRedisExpiresWithIt() throws Exception {
    RedisCacheOptions options = options(RedisTestSupport.CONNECTION_STRING, Duration.ZERO);
    RedisAnswerStore store = RedisAnswerStore.using(shared(), options, RedisAnswerStore.outageOf(options));
    String key = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    await(store.put(answer(key), NOW + AnswerStoreContract.TTL - 60_000)); // one minute left

    long pttl = await(redis.send(Request.cmd(Command.PTTL).arg(options.keyPrefix() + "a:" + key)).toCompletionStage()).toLong();
    assertThat(pttl).isBetween(50_000L, 60_000L);
    List<String> keys = await(redis.send(Request.cmd(Command.KEYS).arg(options.keyPrefix() + "*")).toCompletionStage())
        .stream().map(Object::toString).toList();
    assertThat(keys).containsExactly(options.keyPrefix() + "a:" + key);
  }

  @Test
  void bytesTheStoreDidNotWriteOrAnAnswerOfAnotherKeyAreNotServed() throws Exception {
    RedisCacheOptions options = options(RedisTestSupport.CONNECTION_STRING, Duration.ZERO);
    RedisAnswerStore store = RedisAnswerStore.using(shared(), options, RedisAnswerStore.outageOf(options));
    await(redis.send(Request.cmd(Command.SET).arg(options.keyPrefix() + "a:garbage").arg("{\"choices\":[]}"))
        .toCompletionStage());
    await(redis.send(Request.cmd(Command.SET).arg(options.keyPrefix() + "a:moved")
        .arg(CacheEntryCodec.encodeAnswer(answer("original")))).toCompletionStage());

    assertThat(await(store.get("garbage", NOW))).isEmpty();
    assertThat(await(store.get("moved", NOW))).isEmpty();
    assertThat(store.degraded()).isFalse();
  }

  @Test
  void withoutRedisLookupsMissStoresAreDroppedAndAnInvalidationFailsWithoutThePassword() throws Exception {
    int port = closedPort();
    RedisCacheOptions options = options("redis://:s3cret@127.0.0.1:" + port, Duration.ZERO);
    try (RedisAnswerStore store = RedisAnswerStore.create(vertx, options, RedisAnswerStore.outageOf(options))) {
      assertThat(await(store.get("k", NOW))).isEmpty();
      await(store.put(answer("k"), NOW));
      assertThat(await(store.get("k", NOW))).isEmpty();
      ExecutionException failed = org.assertj.core.api.Assertions.catchThrowableOfType(ExecutionException.class,
          () -> await(store.invalidate(CacheScope.ALL)));
      assertThat(failed.getCause()).isInstanceOf(CacheUnavailableException.class)
          .hasMessageContaining("Redis at 127.0.0.1:" + port + " is unavailable")
          .hasMessageNotContaining("s3cret");
      assertThat(store.degraded()).isTrue();
      assertThat(store.toString()).doesNotContain("s3cret");
    }
    assertThat(records).as("one warning for the outage, however many calls failed").singleElement()
        .satisfies(r -> {
          assertThat(r.getLevel()).isEqualTo(Level.WARNING);
          assertThat(r.getThrown()).isNull();
          String line = new java.util.logging.SimpleFormatter().formatMessage(r);
          assertThat(line).contains("127.0.0.1:" + port, "failed on get", "bypassed").doesNotContain("s3cret", "\n");
        });
  }

  @Test
  void afterAFailureRedisIsLeftAloneForTheProbeIntervalThenUsedAgain() throws Exception {
    RedisTestSupport.requireRedis();
    ManualTicker ticker = new ManualTicker();
    try (OutageProxy proxy = OutageProxy.start("127.0.0.1", 6379)) {
      RedisCacheOptions options = options("redis://127.0.0.1:" + proxy.port(), Duration.ofSeconds(30));
      RedisOutage outage = new RedisOutage(options.endpoint(), options.probeInterval(), ticker);
      try (RedisAnswerStore store = RedisAnswerStore.create(vertx, options, outage)) {
        await(store.put(answer("k"), NOW));
        assertThat(await(store.get("k", NOW))).isPresent();

        proxy.mode(OutageProxy.Mode.REFUSE);
        assertThat(await(store.get("k", NOW))).as("Redis refuses: a miss").isEmpty();
        proxy.mode(OutageProxy.Mode.PASS);
        assertThat(await(store.get("k", NOW))).as("within the probe interval Redis is not asked").isEmpty();
        long skipped = outage.failures();

        ticker.advance(Duration.ofSeconds(30));
        assertThat(await(store.get("k", NOW))).as("after it, Redis is asked again").isPresent();
        assertThat(outage.failures()).isEqualTo(skipped);
        assertThat(store.degraded()).isFalse();
      }
    }
    assertThat(records).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO);
    assertThat(records).allMatch(r -> r.getThrown() == null);
  }
}
