package dev.spillway.gateway.store.redis;

import dev.spillway.core.routing.BackendFact;
import dev.spillway.core.routing.SharedBackendFacts;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link RedisBackendFacts} against the shared contract, on the machine's Redis, a key prefix per test. */
class RedisBackendFactsContractTest extends SharedBackendFactsContract {
  private static final AtomicInteger SPACES = new AtomicInteger();
  private static Vertx vertx;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (vertx != null) {
      RedisTestSupport.deleteRunKeys(vertx);
      vertx.close().await();
    }
  }

  @Override
  protected Space newSpace() {
    RedisBackendFactsOptions options = RedisBackendFactsOptions.of(RedisTestSupport.CONNECTION_STRING,
        RedisTestSupport.RUN_PREFIX + "facts" + SPACES.incrementAndGet() + ":");
    return new Space() {
      @Override
      public SharedBackendFacts join(Consumer<BackendFact> listener) {
        return RedisBackendFacts.join(vertx, options, listener, Clock.systemUTC(), Ticker.systemTicker());
      }

      @Override
      public void close() {}
    };
  }
}
