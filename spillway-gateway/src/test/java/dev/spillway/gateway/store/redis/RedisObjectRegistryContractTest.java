package dev.spillway.gateway.store.redis;

import dev.spillway.core.objects.ObjectRegistry;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Redis registry against the shared contract, on the machine's Redis, each test under a key prefix of its own.
 * The contract's clock is a fake one in 2025: expiry follows it through the stored creation time, and the keys
 * themselves live their TTL in real time (then the run's keys are deleted).
 */
class RedisObjectRegistryContractTest extends ObjectRegistryContract {
  private static final AtomicInteger REGISTRIES = new AtomicInteger();
  private static Vertx vertx;
  private static Redis redis;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, RedisObjectRegistry.redisOptions(options("", Duration.ofHours(1))));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (vertx != null) {
      RedisTestSupport.deleteRunKeys(vertx);
      redis.close();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static RedisObjectOptions options(String prefix, Duration ttl) {
    return RedisObjectOptions.builder()
        .connectionString(RedisTestSupport.CONNECTION_STRING)
        .keyPrefix(prefix)
        .ttl(ttl)
        .maxPoolSize(ObjectRegistryContract.THREADS)
        .commandTimeout(Duration.ofSeconds(5))
        .probeInterval(Duration.ZERO)
        .build();
  }

  @Override
  protected ObjectRegistry newRegistry(Duration ttl) {
    String prefix = RedisTestSupport.RUN_PREFIX + "objects" + REGISTRIES.incrementAndGet() + ":";
    return RedisObjectRegistry.using(redis, options(prefix, ttl), Ticker.systemTicker());
  }

  @Override
  protected int putsPerThread() {
    return 100;
  }
}
