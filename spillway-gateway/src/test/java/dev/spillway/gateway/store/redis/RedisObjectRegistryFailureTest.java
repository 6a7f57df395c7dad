package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spillway.core.objects.ObjectKind;
import dev.spillway.core.objects.ObjectRegistryUnavailableException;
import dev.spillway.core.objects.OwnedObject;
import dev.spillway.core.time.ManualTicker;
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
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis registry against a Redis that is not there, one that never answers and one that comes back: every call
 * fails with {@link ObjectRegistryUnavailableException} (never hangs, never answers without Redis), and works again
 * once Redis does. Each stage is awaited for at most 10 s, many times the command timeouts used here.
 */
class RedisObjectRegistryFailureTest {
  private static final long NOW = 1_741_608_000_000L;
  private static final OwnedObject OBJECT =
      new OwnedObject("resp_1", ObjectKind.RESPONSE, "app", "gpt-4o", "ptu-eastus", NOW);
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

  private static RedisObjectOptions options(String connectionString, Duration commandTimeout, Duration probeInterval) {
    return RedisObjectOptions.builder()
        .connectionString(connectionString)
        .keyPrefix(RedisTestSupport.RUN_PREFIX + "objfailure:")
        .commandTimeout(commandTimeout)
        .probeInterval(probeInterval)
        .build();
  }

  private static <T> T await(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** The stage's failure, which must be an {@link ObjectRegistryUnavailableException}. */
  private static ObjectRegistryUnavailableException unavailable(Supplier<CompletionStage<?>> call) {
    ExecutionException failed =
        (ExecutionException) org.assertj.core.api.Assertions.catchThrowable(() -> await(call.get()));
    assertThat(failed).as("the stage fails (and does not hang)").isNotNull();
    assertThat(failed.getCause()).isInstanceOf(ObjectRegistryUnavailableException.class);
    return (ObjectRegistryUnavailableException) failed.getCause();
  }

  @Test
  void aClosedPortFailsEveryCallWithAMessageThatHidesThePassword() throws Exception {
    int port = closedPort();
    try (RedisObjectRegistry registry = RedisObjectRegistry.create(
        vertx, options("redis://:s3cret@127.0.0.1:" + port, Duration.ofSeconds(2), Duration.ZERO))) {
      List<Supplier<CompletionStage<?>>> calls = List.of(
          () -> registry.put(OBJECT, NOW),
          () -> registry.get("resp_1", NOW),
          () -> registry.remove("resp_1"),
          () -> registry.list("app", ObjectKind.RESPONSE, 10, NOW));
      List<String> operations = List.of("put", "get", "remove", "list");
      for (int i = 0; i < calls.size(); i++) {
        assertThat(unavailable(calls.get(i)))
            .hasMessageContaining("Redis at 127.0.0.1:" + port + " is unavailable for " + operations.get(i))
            .hasMessageNotContaining("s3cret");
      }
      assertThat(registry.degraded()).isTrue();
      assertThat(registry.failureCount()).isEqualTo(4);
      assertThat(registry.toString()).doesNotContain("s3cret");
    }
  }

  @Test
  void aRedisThatNeverAnswersFailsWithinTheCommandTimeoutAndIsSkippedForTheProbeInterval() throws Exception {
    ManualTicker ticker = new ManualTicker();
    // Listening but never accepting: connections complete in the kernel, nothing ever answers.
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      RedisObjectOptions options =
          options("redis://127.0.0.1:" + blackHole.getLocalPort(), Duration.ofMillis(300), Duration.ofSeconds(30));
      Redis client = Redis.createClient(vertx, RedisObjectRegistry.redisOptions(options));
      try {
        RedisObjectRegistry registry = RedisObjectRegistry.using(client, options, ticker);
        assertThat(unavailable(() -> registry.get("resp_1", NOW))).hasMessageContaining("unavailable for get")
            .hasMessageNotContaining("moments ago");

        // Within the probe interval (ticker time) calls fail without waiting on Redis again.
        assertThat(unavailable(() -> registry.put(OBJECT, NOW))).hasMessageContaining("failed moments ago");
        assertThat(registry.failureCount()).isEqualTo(2);

        ticker.advance(Duration.ofSeconds(30));
        assertThat(unavailable(() -> registry.list("app", ObjectKind.RESPONSE, 1, NOW)))
            .hasMessageContaining("unavailable for list")
            .hasMessageNotContaining("moments ago");
        assertThat(registry.degraded()).isTrue();
      } finally {
        await(client.close().toCompletionStage()); // before the black hole resets the connection
      }
    }
  }

  @Test
  void worksAgainOnceRedisAnswersAfterTheProbeInterval() throws Exception {
    RedisTestSupport.requireRedis();
    URI redisUri = URI.create(RedisTestSupport.CONNECTION_STRING);
    int redisPort = redisUri.getPort() == -1 ? 6379 : redisUri.getPort();
    ManualTicker ticker = new ManualTicker();
    try (TcpRelay relay = TcpRelay.start(vertx, redisUri.getHost(), redisPort)) {
      RedisObjectOptions options =
          options("redis://127.0.0.1:" + relay.port(), Duration.ofSeconds(2), Duration.ofSeconds(1));
      Redis client = Redis.createClient(vertx, RedisObjectRegistry.redisOptions(options));
      try {
        RedisObjectRegistry registry = RedisObjectRegistry.using(client, options, ticker);
        await(registry.put(OBJECT, NOW));
        assertThat(await(registry.get("resp_1", NOW))).contains(OBJECT);

        relay.cut();
        unavailable(() -> registry.get("resp_1", NOW));
        assertThat(registry.degraded()).isTrue();

        relay.restore();
        assertThat(unavailable(() -> registry.get("resp_1", NOW))).hasMessageContaining("failed moments ago");
        ticker.advance(Duration.ofSeconds(1));
        assertThat(await(registry.get("resp_1", NOW))).contains(OBJECT);
        assertThat(registry.degraded()).isFalse();
        assertThat(registry.failureCount()).isEqualTo(2);
      } finally {
        client.close();
        RedisTestSupport.deleteRunKeys(vertx);
      }
    }
  }

  @Test
  void invalidArgumentsThrowBeforeRedisIsAsked() throws Exception {
    try (RedisObjectRegistry registry =
        RedisObjectRegistry.create(vertx, options("redis://127.0.0.1:" + closedPort(), Duration.ofSeconds(1), Duration.ZERO))) {
      assertThatThrownBy(() -> registry.list("app", ObjectKind.FILE, 0, NOW)).isInstanceOf(IllegalArgumentException.class);
      assertThat(registry.failureCount()).isZero();
    }
  }

}
