package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.config.BudgetPeriod;
import dev.spillway.core.spend.SpendCounter;
import dev.spillway.core.spend.SpendStoreUnavailableException;
import dev.spillway.core.time.ManualTicker;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What only the Redis spend store does: its key names and their expiry, and how it fails. */
class RedisSpendStoreTest {
  /** A Thursday far enough ahead that its counters have not expired when the test runs. */
  private static final long NOW = Instant.parse("2037-12-03T15:30:00Z").toEpochMilli();
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static Throwable failureOf(CompletionStage<?> stage) throws Exception {
    try {
      await(stage);
      throw new AssertionError("expected a failure");
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  @Test
  void aCounterIsAKeyNamedByOwnerAndPeriodThatExpiresAnHourAfterThePeriod() throws Exception {
    RedisTestSupport.requireRedis();
    Redis redis = Redis.createClient(vertx, RedisTestSupport.CONNECTION_STRING);
    try {
      String prefix = RedisTestSupport.RUN_PREFIX + "spend-keys:";
      RedisSpendStore store = RedisSpendStore.using(redis, RedisSpendStoreContractTest.options(), prefix, Ticker.systemTicker());
      SpendCounter month = new SpendCounter(SpendCounter.team("finance"), BudgetPeriod.MONTH.windowAt(NOW));
      SpendCounter seeded = new SpendCounter(SpendCounter.consumer("app"), BudgetPeriod.WEEK.windowAt(NOW));
      await(store.add(List.of(month), 42));
      await(store.seed(seeded, 7));

      String monthKey = prefix + "team:finance:2037-12-01..2038-01-01";
      assertThat(store.key(month)).isEqualTo(monthKey);
      assertThat(store.key(seeded)).isEqualTo(prefix + "consumer:app:2037-11-30..2037-12-07");
      assertThat(RedisTestSupport.send(redis, Request.cmd(Command.GET).arg(monthKey)).toLong()).isEqualTo(42);
      long expiresAt = Instant.parse("2038-01-01T01:00:00Z").toEpochMilli();
      assertThat(RedisTestSupport.send(redis, Request.cmd(Command.PEXPIRETIME).arg(monthKey)).toLong()).isEqualTo(expiresAt);
      assertThat(RedisTestSupport.send(redis, Request.cmd(Command.PEXPIRETIME).arg(store.key(seeded))).toLong())
          .isEqualTo(Instant.parse("2037-12-07T01:00:00Z").toEpochMilli());
    } finally {
      RedisTestSupport.deleteRunKeys(vertx);
      redis.close();
    }
  }

  @Test
  void anUnreachableRedisFailsTheStageNamingTheEndpointOnlyAndIsSkippedForTheProbeInterval() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    RedisLimitOptions options = RedisLimitOptions.builder()
        .connectionString("redis://:hunter2-secret@127.0.0.1:" + port)
        .commandTimeout(Duration.ofSeconds(2))
        .probeInterval(Duration.ofSeconds(1))
        .build();
    ManualTicker ticker = new ManualTicker(0);
    try (RedisSpendStore store = RedisSpendStore.create(vertx, options, ticker)) {
      SpendCounter c = new SpendCounter(SpendCounter.team("t"), BudgetPeriod.DAY.windowAt(NOW));
      Throwable first = failureOf(store.spent(List.of(c)));
      assertThat(first).isInstanceOf(SpendStoreUnavailableException.class)
          .hasMessageContaining("Redis at 127.0.0.1:" + port + " is unavailable for read")
          .hasMessageNotContaining("hunter2");

      Throwable skipped = failureOf(store.add(List.of(c), 1));
      assertThat(skipped).hasMessageContaining("failed moments ago; retried every 1000 ms");
      ticker.advance(Duration.ofSeconds(1));
      assertThat(failureOf(store.seed(c, 1))).hasMessageNotContaining("moments ago").hasMessageContaining("for seed");
    }
  }
}
