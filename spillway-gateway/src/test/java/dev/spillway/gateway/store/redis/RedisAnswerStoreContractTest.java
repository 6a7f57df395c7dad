package dev.spillway.gateway.store.redis;

import dev.spillway.core.cache.AnswerStore;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Redis answer store against the shared contract, on the machine's Redis, each test under a key prefix of its own
 * (so {@code CacheScope.ALL} empties that test's answers only). The contract's clock is a fake one in 2025: expiry
 * follows it through the stored expiry; the keys themselves live their TTL in real time (then the run's keys are
 * deleted).
 */
class RedisAnswerStoreContractTest extends AnswerStoreContract {
  private static final AtomicInteger STORES = new AtomicInteger();
  private static Vertx vertx;
  private static Redis redis;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, RedisAnswerStore.redisOptions(options("")));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (vertx != null) {
      RedisTestSupport.deleteRunKeys(vertx);
      redis.close();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  static RedisCacheOptions options(String prefix) {
    return new RedisCacheOptions(RedisTestSupport.CONNECTION_STRING, prefix, Duration.ofSeconds(5), Duration.ZERO,
        Duration.ofSeconds(1), THREADS);
  }

  @Override
  protected AnswerStore newStore() {
    RedisCacheOptions options = options(RedisTestSupport.RUN_PREFIX + "answers" + STORES.incrementAndGet() + ":");
    return RedisAnswerStore.using(redis, options, new RedisOutage(options.endpoint(), Duration.ZERO, Ticker.systemTicker()));
  }
}
