package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.routing.SessionPinStore;
import dev.spillway.core.routing.station.DrainEstimate;
import dev.spillway.core.routing.station.DrainRateStore;
import dev.spillway.core.routing.station.DrainSharing;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link RedisSessionPins} and {@link RedisDrainRates} against the shared contract, on the machine's Redis, a key
 * prefix per test and a client per member; and what only Redis can show: the keys' expiry, and a Redis that does not
 * answer costing a request nothing but its shared state.
 */
class RedisSharedRoutingStateContractTest extends SharedRoutingStateContract {
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

  private record Member(RedisRoutingStateOptions options, RedisSessionPins pins, RedisDrainRates rates)
      implements Space {
    @Override
    public void close() {
      pins.close();
      rates.close();
    }
  }

  private static Member member(RedisRoutingStateOptions options) {
    return new Member(options, new RedisSessionPins(vertx, options, Ticker.systemTicker()),
        new RedisDrainRates(vertx, options, Ticker.systemTicker()));
  }

  @Override
  protected Space newSpace() {
    return member(RedisRoutingStateOptions.of(RedisTestSupport.CONNECTION_STRING,
        RedisTestSupport.RUN_PREFIX + "routing" + SPACES.incrementAndGet() + ":"));
  }

  @Override
  protected Space member(Space of) {
    return member(((Member) of).options());
  }

  private static long pttl(String key) {
    Redis redis = Redis.createClient(vertx, RedisTestSupport.CONNECTION_STRING);
    try {
      return redis.send(Request.cmd(Command.PTTL).arg(key)).await().toLong();
    } finally {
      redis.close();
    }
  }

  @Test
  void aPinExpiresADayAfterItsLastAnswerAndARateHashTwoFreshnessWindowsAfterItsLastPublish() throws Exception {
    Member m = (Member) newSpace();
    try {
      m.pins().pin("abc", "ptu@0123456789ab");
      m.rates().publish("ptu@0123456789ab", "r", new DrainEstimate(1_000, 2, 1));
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (pttl(m.options().drainKey("ptu@0123456789ab")) < 0 || pttl(m.options().sessionKey("abc")) < 0) {
        assertThat(System.nanoTime() - deadline).as("the keys are written within 10 s").isNegative();
        Thread.sleep(5);
      }
      assertThat(pttl(m.options().sessionKey("abc")))
          .isBetween(Duration.ofHours(24).toMillis() - 60_000, Duration.ofHours(24).toMillis());
      assertThat(pttl(m.options().drainKey("ptu@0123456789ab")))
          .isBetween(2 * DrainSharing.FRESH_MILLIS - 60_000, 2 * DrainSharing.FRESH_MILLIS);
    } finally {
      m.close();
    }
  }

  @Test
  void aRedisThatDoesNotAnswerReadsAsNothingWithinTheTimeoutAndWritesAreDropped() throws Exception {
    try (ServerSocket silent = new ServerSocket(0)) { // accepts connections, never answers
      RedisRoutingStateOptions options = new RedisRoutingStateOptions("redis://127.0.0.1:" + silent.getLocalPort(),
          "x:", Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofHours(1));
      Member m = member(options);
      try {
        long started = System.nanoTime();
        SessionPinStore pins = m.pins();
        pins.pin("abc", "ptu@0123456789ab");
        assertThat(pins.find("abc").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(m.rates().read("ptu@0123456789ab").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(tookMillis).as("bounded by the command timeout, then skipped").isLessThan(2_000);
        // In the probe interval after the failure, Redis is not asked at all: answered at once.
        long skipped = System.nanoTime();
        assertThat(pins.find("abc").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat((System.nanoTime() - skipped) / 1_000_000).isLessThan(100);
        assertThat(m.pins().out()).isTrue();
      } finally {
        m.close();
      }
    }
  }
}
