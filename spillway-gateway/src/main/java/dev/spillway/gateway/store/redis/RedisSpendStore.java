package dev.spillway.gateway.store.redis;

import dev.spillway.core.spend.SpendCounter;
import dev.spillway.core.spend.SpendStore;
import dev.spillway.core.spend.SpendStoreUnavailableException;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * PAYG spend shared by every gateway replica through Redis, on the Redis that holds the limit counters. One integer
 * key per counter, named by its owner and period ({@code spillway:spend:team:finance:2026-12-01..2027-01-01}): a new
 * period is a new key, and each key expires {@link #GRACE_MILLIS} after its period ends, so nothing is ever reset.
 * Additions are {@code INCRBY} inside one Lua script per request (all of its counters in one round trip); reads are
 * one {@code MGET}; a seed is {@code SET ... NX}, so the first replica to start brings in the ledger's spend and the
 * others keep what is counted.
 *
 * <p>Periods follow the caller's clock (a replica whose clock is off by a second counts a request at the edge of a
 * period in the neighbouring one; budgets are not that exact anyway).
 *
 * <p><b>When Redis fails</b> (refused, reset, no answer within the command timeout, an error reply) the stage fails
 * with {@link SpendStoreUnavailableException}, which spill rights take as "PAYG open". For {@code probeInterval}
 * after a failure Redis is not tried again, so an unreachable Redis costs one timeout per interval rather than one per
 * request. Thread-safe; stages complete on a Vert.x event loop.
 */
public final class RedisSpendStore implements SpendStore, AutoCloseable {
  /** Prepended to every key. */
  public static final String DEFAULT_KEY_PREFIX = "spillway:spend:";

  /** How long a counter outlives its period: a request ending just after the edge still finds it. */
  static final long GRACE_MILLIS = Duration.ofHours(1).toMillis();

  private static final LuaScript ADD = new LuaScript("spend-add", """
      -- KEYS: the counters; ARGV[1]: millionths to add; ARGV[1 + i]: when KEYS[i] expires (epoch ms)
      local totals = {}
      for i, key in ipairs(KEYS) do
        totals[i] = redis.call('INCRBY', key, ARGV[1])
        redis.call('PEXPIREAT', key, ARGV[i + 1])
      end
      return totals
      """);

  private final Redis redis;
  private final boolean ownsClient;
  private final String keyPrefix;
  private final String endpoint;
  private final Duration commandTimeout;
  private final Duration probeInterval;
  private final Ticker ticker;
  private volatile long failedAtNanos;
  private volatile boolean recentFailure;

  private RedisSpendStore(
      Redis redis, boolean ownsClient, RedisLimitOptions options, String keyPrefix, Ticker ticker) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.ownsClient = ownsClient;
    this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
    this.endpoint = options.endpoint();
    this.commandTimeout = options.commandTimeout();
    this.probeInterval = options.probeInterval();
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /**
   * A store with its own Redis client (closed by {@link #close()}), reaching Redis as {@code options} says (the limit
   * store's connection string, timeout and probe interval; its failure policy does not apply: spend always fails open).
   */
  public static RedisSpendStore create(Vertx vertx, RedisLimitOptions options, Ticker ticker) {
    return new RedisSpendStore(
        Redis.createClient(vertx, RedisLimitStore.redisOptions(options)), true, options, DEFAULT_KEY_PREFIX, ticker);
  }

  /** A store on a client the caller owns and closes, with keys under {@code keyPrefix}. */
  public static RedisSpendStore using(Redis redis, RedisLimitOptions options, String keyPrefix, Ticker ticker) {
    return new RedisSpendStore(redis, false, options, keyPrefix, ticker);
  }

  @Override
  public CompletionStage<List<Long>> spent(List<SpendCounter> counters) {
    if (counters.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    Request mget = Request.cmd(Command.MGET);
    counters.forEach(c -> mget.arg(key(c)));
    return guarded("read", () -> RedisCalls.send(redis, mget).map(reply -> {
      List<Long> totals = new ArrayList<>(counters.size());
      for (int i = 0; i < counters.size(); i++) {
        Response value = reply.get(i);
        totals.add(value == null ? 0L : value.toLong());
      }
      return totals;
    }));
  }

  @Override
  public CompletionStage<List<Long>> add(List<SpendCounter> counters, long micros) {
    SpendCounter.requireDistinct(counters);
    if (micros < 0) {
      throw new IllegalArgumentException("micros must be >= 0, got " + micros);
    }
    if (counters.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    List<String> keys = counters.stream().map(this::key).toList();
    List<String> args = new ArrayList<>(counters.size() + 1);
    args.add(Long.toString(micros));
    counters.forEach(c -> args.add(Long.toString(expiresAt(c))));
    return guarded("add", () -> ADD.eval(redis, keys, args).map(reply -> {
      List<Long> totals = new ArrayList<>(counters.size());
      reply.forEach(total -> totals.add(total.toLong()));
      return totals;
    }));
  }

  @Override
  public CompletionStage<Void> seed(SpendCounter counter, long micros) {
    if (micros < 0) {
      throw new IllegalArgumentException("micros must be >= 0, got " + micros);
    }
    Request set = Request.cmd(Command.SET).arg(key(counter)).arg(micros).arg("NX").arg("PXAT").arg(expiresAt(counter));
    return guarded("seed", () -> RedisCalls.send(redis, set).<Void>mapEmpty());
  }

  @Override
  public void close() {
    if (ownsClient) {
      redis.close();
    }
  }

  /** The Redis key of {@code counter}: prefix, owner, and the period's first and last-plus-one day. */
  String key(SpendCounter counter) {
    return keyPrefix + counter.owner() + ':' + day(counter.window().startEpochMillis()) + ".."
        + day(counter.window().endEpochMillis());
  }

  private static String day(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }

  private static long expiresAt(SpendCounter counter) {
    return counter.window().endEpochMillis() + GRACE_MILLIS;
  }

  private <T> CompletionStage<T> guarded(String operation, Supplier<Future<T>> call) {
    if (recentFailure && ticker.read() - failedAtNanos < probeInterval.toNanos()) {
      return CompletableFuture.failedFuture(unavailable(operation,
          "it failed moments ago; retried every " + probeInterval.toMillis() + " ms", null));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    call.get().timeout(commandTimeout.toMillis(), TimeUnit.MILLISECONDS).onComplete(done -> {
      if (done.succeeded()) {
        recentFailure = false;
        result.complete(done.result());
      } else {
        failedAtNanos = ticker.read();
        recentFailure = true;
        Throwable cause = done.cause();
        String message = cause.getMessage();
        result.completeExceptionally(
            unavailable(operation, cause.getClass().getSimpleName() + (message == null ? "" : ": " + message), cause));
      }
    });
    return result;
  }

  private SpendStoreUnavailableException unavailable(String operation, String why, Throwable cause) {
    return new SpendStoreUnavailableException(
        "PAYG spend: Redis at " + endpoint + " is unavailable for " + operation + " (" + why + ")", cause);
  }

  @Override
  public String toString() {
    return "RedisSpendStore[" + endpoint + ", " + keyPrefix + "]";
  }
}
