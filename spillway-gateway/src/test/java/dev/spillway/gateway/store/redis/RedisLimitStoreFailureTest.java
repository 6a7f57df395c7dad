package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.limits.Admission;
import dev.spillway.core.limits.InMemoryLimitStore;
import dev.spillway.core.limits.LimitCheck;
import dev.spillway.core.limits.LimitRule;
import dev.spillway.core.limits.LimitStoreUnavailableException;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Failure policies against a Redis that is not there, one that never answers, and one that comes back. */
class RedisLimitStoreFailureTest {
  private static final long NOW = 1_741_608_000_000L;
  private static final LimitCheck TPM = new LimitCheck("consumer=a", LimitRule.tokensPerMinute(100));
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  /** A loopback port nothing listens on. */
  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static RedisLimitOptions options(String connectionString, FailurePolicy policy) {
    return RedisLimitOptions.builder()
        .connectionString(connectionString)
        .keyPrefix(RedisTestSupport.RUN_PREFIX + "failure:")
        .failurePolicy(policy)
        .commandTimeout(Duration.ofSeconds(2))
        .probeInterval(Duration.ZERO)
        .build();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void failOpenCountsOnTheLocalFallbackAndSaysItIsDegraded() throws Exception {
    try (RedisLimitStore store =
        RedisLimitStore.create(vertx, options("redis://127.0.0.1:" + closedPort(), FailurePolicy.FAIL_OPEN))) {
      assertThat(store.degraded()).isFalse();
      assertThat(await(store.reserve("r1", List.of(TPM), 100, NOW))).isInstanceOf(Admission.Allowed.class);
      assertThat(await(store.reserve("r2", List.of(TPM), 1, NOW))).isInstanceOf(Admission.Denied.class);
      await(store.settle("r1", List.of(TPM), 100, 40, NOW));
      assertThat(await(store.reserve("r3", List.of(TPM), 60, NOW))).isInstanceOf(Admission.Allowed.class);

      assertThat(store.degraded()).isTrue();
      assertThat(store.fallbackCount()).isEqualTo(4);
      assertThat(store.failureCount()).isEqualTo(4);
    }
  }

  @Test
  void failClosedFailsTheStageWithAClearMessageThatHidesThePassword() throws Exception {
    int port = closedPort();
    try (RedisLimitStore store =
        RedisLimitStore.create(vertx, options("redis://:s3cret@127.0.0.1:" + port, FailurePolicy.FAIL_CLOSED))) {
      assertThatThrownBy(() -> await(store.reserve("r1", List.of(TPM), 10, NOW)))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(LimitStoreUnavailableException.class)
          .hasMessageContaining("Redis at 127.0.0.1:" + port + " is unavailable for reserve")
          .hasMessageNotContaining("s3cret");
      assertThatThrownBy(() -> await(store.settle("r1", List.of(TPM), 10, 5, NOW)))
          .cause()
          .isInstanceOf(LimitStoreUnavailableException.class)
          .hasMessageContaining("unavailable for settle");
      assertThat(store.degraded()).isTrue();
      assertThat(store.fallbackCount()).isZero();
      assertThat(store.toString()).doesNotContain("s3cret");
    }
  }

  @Test
  void aRedisThatNeverAnswersTimesOutAndIsSkippedForTheProbeInterval() throws Exception {
    // Listening but never accepting: connections complete in the kernel, nothing ever answers.
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      RedisLimitOptions options =
          options("redis://127.0.0.1:" + blackHole.getLocalPort(), FailurePolicy.FAIL_OPEN)
              .toBuilder()
              .commandTimeout(Duration.ofMillis(300))
              .probeInterval(Duration.ofSeconds(30))
              .build();
      Redis client = Redis.createClient(vertx, RedisLimitStore.redisOptions(options));
      try {
        RedisLimitStore store = RedisLimitStore.using(client, options, new InMemoryLimitStore());
        long started = System.nanoTime();
        assertThat(await(store.reserve("r1", List.of(TPM), 10, NOW))).isInstanceOf(Admission.Allowed.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));

        // Within the probe interval (caller time) the store does not wait on Redis again.
        started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
          await(store.reserve("s" + i, List.of(TPM), 1, NOW + 1_000));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(250));
        assertThat(store.fallbackCount()).isEqualTo(21);
        assertThat(store.degraded()).isTrue();
      } finally {
        await(client.close().toCompletionStage()); // before the black hole resets the connection
      }
    }
  }

  @Test
  void recoversWhenRedisAnswersAgainAndSettlesLocalReservationsLocally() throws Exception {
    RedisTestSupport.requireRedis();
    URI redisUri = URI.create(RedisTestSupport.CONNECTION_STRING);
    InMemoryLimitStore fallback = new InMemoryLimitStore();
    int redisPort = redisUri.getPort() == -1 ? 6379 : redisUri.getPort();
    try (TcpRelay relay = TcpRelay.start(vertx, redisUri.getHost(), redisPort)) {
      RedisLimitOptions options = options("redis://127.0.0.1:" + relay.port(), FailurePolicy.FAIL_OPEN);
      Redis client = Redis.createClient(vertx, RedisLimitStore.redisOptions(options));
      try (RedisLimitStore store = RedisLimitStore.using(client, options, fallback)) {
        assertThat(await(store.reserve("before", List.of(TPM), 10, NOW))).isInstanceOf(Admission.Allowed.class);
        assertThat(store.degraded()).isFalse();

        relay.cut();
        assertThat(await(store.reserve("during", List.of(TPM), 80, NOW))).isInstanceOf(Admission.Allowed.class);
        assertThat(store.degraded()).isTrue();
        assertThat(store.fallbackCount()).isEqualTo(1);

        relay.restore();
        assertThat(await(store.reserve("after", List.of(TPM), 10, NOW))).isInstanceOf(Admission.Allowed.class);
        assertThat(store.degraded()).isFalse();
        assertThat(store.fallbackCount()).isEqualTo(1);

        // "during" was counted locally; settling it after recovery refunds the local counter.
        await(store.settle("during", List.of(TPM), 80, 0, NOW));
        assertThat(await(fallback.reserve("probe", List.of(TPM), 100, NOW))).isInstanceOf(Admission.Allowed.class);
      } finally {
        client.close();
        RedisTestSupport.deleteRunKeys(vertx);
      }
    }
  }
}
