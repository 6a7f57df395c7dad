package dev.spillway.gateway.store.redis;

import dev.spillway.core.limits.InMemoryLimitStore;
import dev.spillway.core.limits.LimitStore;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The Redis store against the shared contract, on the machine's Redis. The store fails closed, so a
 * Redis hiccup fails the test instead of hiding behind the in-memory fallback, and its windows follow
 * the test's fake clock ({@link RedisLimitOptions#trustCallerClock()}).
 */
class RedisLimitStoreContractTest extends LimitStoreContract {
  private static final AtomicInteger STORES = new AtomicInteger();
  private static Vertx vertx;
  private static Redis redis;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, RedisLimitStore.redisOptions(options("")));
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (vertx != null) {
      RedisTestSupport.deleteRunKeys(vertx);
      redis.close();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static RedisLimitOptions options(String prefix) {
    return RedisLimitOptions.builder()
        .connectionString(RedisTestSupport.CONNECTION_STRING)
        .keyPrefix(prefix)
        .failurePolicy(FailurePolicy.FAIL_CLOSED)
        .maxPoolSize(RedisLimitStoreContractTest.THREADS)
        .commandTimeout(Duration.ofSeconds(5))
        .trustCallerClock(true)
        .build();
  }

  @Override
  protected LimitStore newStore() {
    String prefix = RedisTestSupport.RUN_PREFIX + "contract" + STORES.incrementAndGet() + ":";
    return RedisLimitStore.using(redis, options(prefix), new InMemoryLimitStore());
  }

  @Override
  protected int attemptsPerThread() {
    return 150;
  }
}
