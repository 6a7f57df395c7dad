package dev.spillway.gateway.store.redis;

import dev.spillway.core.spend.SpendStore;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Redis spend store against the shared contract, on the machine's Redis, with keys of this test run only. */
class RedisSpendStoreContractTest extends SpendStoreContract {
  private static final AtomicInteger STORES = new AtomicInteger();
  private static Vertx vertx;
  private static Redis redis;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, RedisLimitStore.redisOptions(options()));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (vertx != null) {
      RedisTestSupport.deleteRunKeys(vertx);
      redis.close();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  static RedisLimitOptions options() {
    return RedisLimitOptions.builder()
        .connectionString(RedisTestSupport.CONNECTION_STRING)
        .maxPoolSize(THREADS)
        .commandTimeout(Duration.ofSeconds(5))
        .build();
  }

  @Override
  protected SpendStore newStore() {
    String prefix = RedisTestSupport.RUN_PREFIX + "spend" + STORES.incrementAndGet() + ":";
    return RedisSpendStore.using(redis, options(), prefix, Ticker.systemTicker());
  }

  @Override
  protected int addsPerThread() {
    return 200;
  }
}
