package dev.spillway.gateway.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.limits.Admission;
import dev.spillway.core.limits.InMemoryLimitStore;
import dev.spillway.core.limits.LimitCheck;
import dev.spillway.core.limits.LimitKind;
import dev.spillway.core.limits.LimitRule;
import dev.spillway.core.limits.Remaining;
import dev.spillway.core.limits.Window;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What only the Redis store does: Redis time, its key layout and expiry, its Lua windows, script loading. */
class RedisLimitStoreTest {
  private static final AtomicInteger STORES = new AtomicInteger();
  private static Vertx vertx;
  private static Redis redis;

  @BeforeAll
  static void connect() {
    RedisTestSupport.requireRedis();
    vertx = Vertx.vertx();
    redis = Redis.createClient(vertx, RedisTestSupport.CONNECTION_STRING);
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (vertx != null) {
      RedisTestSupport.deleteRunKeys(vertx);
      redis.close();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }

  private static RedisLimitOptions options() {
    return RedisLimitOptions.builder()
        .connectionString(RedisTestSupport.CONNECTION_STRING)
        .keyPrefix(RedisTestSupport.RUN_PREFIX + "store" + STORES.incrementAndGet() + ":")
        .failurePolicy(FailurePolicy.FAIL_CLOSED)
        .commandTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static LimitCheck check(LimitKind kind, long limit) {
    return new LimitCheck("t=" + UUID.randomUUID(), new LimitRule(kind, limit));
  }

  @Test
  void takesNowFromRedisTimeAndIgnoresTheCallersClock() throws Exception {
    RedisLimitStore store = RedisLimitStore.using(redis, options(), new InMemoryLimitStore());
    LimitCheck tpm = check(LimitKind.TOKENS_PER_MINUTE, 100);
    LimitCheck day = check(LimitKind.TOKENS_PER_DAY, 100);
    long before = System.currentTimeMillis();
    Admission admission = await(store.reserve("r1", List.of(tpm, day), 10, 0L)); // the caller says 1970
    long after = System.currentTimeMillis();

    List<Remaining> remaining = ((Admission.Allowed) admission).remaining();
    assertThat(remaining.get(0).resetEpochMillis())
        .isIn(Window.of(LimitKind.TOKENS_PER_MINUTE, before).endEpochMillis(),
            Window.of(LimitKind.TOKENS_PER_MINUTE, after).endEpochMillis());
    assertThat(remaining.get(1).resetEpochMillis())
        .isIn(Window.of(LimitKind.TOKENS_PER_DAY, before).endEpochMillis(),
            Window.of(LimitKind.TOKENS_PER_DAY, after).endEpochMillis());
  }

  @Test
  void keepsOneExpiringKeyPerWindowAndConsumesTheReservationOnSettle() throws Exception {
    RedisLimitOptions options = options().toBuilder().trustCallerClock(true).reservationTtl(Duration.ofMinutes(30)).build();
    RedisLimitStore store = RedisLimitStore.using(redis, options, new InMemoryLimitStore());
    LimitCheck tpm = check(LimitKind.TOKENS_PER_MINUTE, 100);
    long now = Instant.parse("2025-03-10T12:00:15Z").toEpochMilli();
    await(store.reserve("req-1", List.of(tpm), 42, now));

    long windowStart = Window.of(LimitKind.TOKENS_PER_MINUTE, now).startEpochMillis();
    String counter = options.keyPrefix() + "{" + tpm.counterKey() + "}:tpm:" + windowStart;
    assertThat(store.counterKey(tpm) + ":" + windowStart).isEqualTo(counter);
    assertThat(RedisTestSupport.send(redis, Request.cmd(Command.GET).arg(counter)).toLong()).isEqualTo(42);
    long ttl = RedisTestSupport.send(redis, Request.cmd(Command.PTTL).arg(counter)).toLong();
    assertThat(ttl).isPositive().isLessThanOrEqualTo(45_000 + RedisLimitStore.COUNTER_GRACE_MILLIS);

    String reservation = store.reservationKey("req-1");
    long reservationTtl = RedisTestSupport.send(redis, Request.cmd(Command.PTTL).arg(reservation)).toLong();
    assertThat(reservationTtl).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(30).toMillis());

    await(store.settle("req-1", List.of(tpm), 42, 40, now + 1_000));
    assertThat(RedisTestSupport.send(redis, Request.cmd(Command.EXISTS).arg(reservation)).toLong()).isZero();
    assertThat(RedisTestSupport.send(redis, Request.cmd(Command.GET).arg(counter)).toLong()).isEqualTo(40);
    assertThat(RedisTestSupport.send(redis, Request.cmd(Command.PTTL).arg(counter)).toLong()).isPositive();
  }

  @Test
  void keepsNoReservationWhenOnlyRequestsAreCounted() throws Exception {
    RedisLimitStore store = RedisLimitStore.using(redis, options(), new InMemoryLimitStore());
    LimitCheck rpm = check(LimitKind.REQUESTS_PER_MINUTE, 10);
    assertThat(await(store.reserve("rpm-only", List.of(rpm), 500, 0L))).isInstanceOf(Admission.Allowed.class);
    String reservation = store.reservationKey("rpm-only");
    assertThat(RedisTestSupport.send(redis, Request.cmd(Command.EXISTS).arg(reservation)).toLong()).isZero();
  }

  /** The Lua window arithmetic must agree with {@link Window} everywhere, not just at the edges tested. */
  @Test
  void luaWindowsAgreeWithJavaWindowsOverRandomInstants() throws Exception {
    RedisLimitOptions options = options().toBuilder().trustCallerClock(true).build();
    RedisLimitStore store = RedisLimitStore.using(redis, options, new InMemoryLimitStore());
    List<LimitCheck> checks = new ArrayList<>();
    for (LimitKind kind : LimitKind.values()) {
      checks.add(check(kind, Long.MAX_VALUE >> 12));
    }
    SplittableRandom random = new SplittableRandom(42);
    long from = Instant.parse("1900-01-01T00:00:00Z").toEpochMilli();
    long to = Instant.parse("2200-01-01T00:00:00Z").toEpochMilli();
    for (int i = 0; i < 300; i++) {
      long now = random.nextLong(from, to);
      List<Remaining> remaining = ((Admission.Allowed) await(store.reserve("w" + i, checks, 1, now))).remaining();
      Request exists = Request.cmd(Command.EXISTS);
      for (int k = 0; k < checks.size(); k++) {
        LimitKind kind = checks.get(k).kind();
        Window window = Window.of(kind, now);
        assertThat(remaining.get(k).resetEpochMillis())
            .as("%s at %s", kind, Instant.ofEpochMilli(now))
            .isEqualTo(window.endEpochMillis());
        exists.arg(store.counterKey(checks.get(k)) + ":" + window.startEpochMillis());
      }
      assertThat(RedisTestSupport.send(redis, exists).toLong())
          .as("window start keys at %s", Instant.ofEpochMilli(now))
          .isEqualTo(checks.size());
    }
  }

  @Test
  void loadsTheScriptOnceWhenRedisDoesNotKnowIt() throws Exception {
    LuaScript script = new LuaScript("probe", "return {KEYS[1], ARGV[1], '" + UUID.randomUUID() + "'}");
    var first = await(script.eval(redis, List.of("k"), List.of("v")).toCompletionStage());
    var second = await(script.eval(redis, List.of("k2"), List.of("v2")).toCompletionStage());
    assertThat(first.get(0).toString()).isEqualTo("k");
    assertThat(second.get(1).toString()).isEqualTo("v2");
    assertThat(script.loads()).isEqualTo(1);
  }
}
