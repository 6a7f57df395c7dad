package dev.spillway.gateway.store.redis;

import dev.spillway.core.limits.Admission;
import dev.spillway.core.limits.InMemoryLimitStore;
import dev.spillway.core.limits.LimitCheck;
import dev.spillway.core.limits.LimitStore;
import dev.spillway.core.limits.LimitStoreUnavailableException;
import dev.spillway.core.limits.Remaining;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A {@link LimitStore} shared by every gateway replica through Redis: one Lua script reserves all of
 * a request's limits at once (all or nothing), a second settles the real usage once per request id.
 * See {@link LimitScripts} for the keys, the windows and why {@code now} comes from Redis {@code
 * TIME}.
 *
 * <p><b>When Redis fails</b> (refused, reset, no answer within {@code commandTimeout}, an error
 * reply), the {@link FailurePolicy} decides: {@code FAIL_OPEN} answers from an in-memory fallback
 * store, with the caller's clock, and counts it in {@link #fallbackCount()}; {@code FAIL_CLOSED}
 * fails the stage with {@link LimitStoreUnavailableException}. Either way {@link #degraded()} turns
 * true and, for {@code probeInterval} of caller time, Redis is not tried again, so a dead Redis costs
 * one timeout per interval rather than one per request. The first call that succeeds clears {@link
 * #degraded()} (a call that was already under way when Redis failed does not: its reply may have been read just before
 * the connection broke, and Redis would seem to flap). Settling always also settles the fallback (a no-op for ids it never saw), so a
 * request admitted locally during an outage is settled locally after Redis returns.
 *
 * <p>Thread-safe. Stages complete on a Vert.x event loop (or at once, for local answers): do not
 * block in their callbacks.
 */
public final class RedisLimitStore implements LimitStore, AutoCloseable {
  private static final Logger LOG = System.getLogger("spillway.limits.redis");

  /** Counters live this long after their window ends: settles arriving just after the edge still land. */
  static final long COUNTER_GRACE_MILLIS = 60_000;

  private final Redis redis;
  private final boolean ownsClient;
  private final RedisLimitOptions options;
  private final LimitStore fallback;
  private final LongAdder fallbacks = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final AtomicLong skipRedisUntil = new AtomicLong(Long.MIN_VALUE);
  /** Calls to Redis started so far: a call's number says whether it began after a failure. */
  private final AtomicLong calls = new AtomicLong();
  /** Calls numbered up to this were under way when Redis last failed: their success does not show a recovery. */
  private final AtomicLong suspectUpTo = new AtomicLong();
  private volatile boolean degraded;

  private RedisLimitStore(Redis redis, boolean ownsClient, RedisLimitOptions options, LimitStore fallback) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.ownsClient = ownsClient;
    this.options = Objects.requireNonNull(options, "options");
    this.fallback = Objects.requireNonNull(fallback, "fallback");
  }

  /** A store with its own Redis client (closed by {@link #close()}) and an in-memory fallback. */
  public static RedisLimitStore create(Vertx vertx, RedisLimitOptions options) {
    return new RedisLimitStore(
        Redis.createClient(vertx, redisOptions(options)),
        true,
        options,
        new InMemoryLimitStore(options.reservationTtl()));
  }

  /** A store on a client the caller owns and closes, with the given fallback for {@code FAIL_OPEN}. */
  public static RedisLimitStore using(Redis redis, RedisLimitOptions options, LimitStore fallback) {
    return new RedisLimitStore(redis, false, options, fallback);
  }

  /** Client options matching {@code options}: pool size, connect timeout. */
  public static RedisOptions redisOptions(RedisLimitOptions options) {
    return RedisCalls.clientOptions(options.connectionString(), options.maxPoolSize(), options.commandTimeout());
  }

  @Override
  public CompletionStage<Admission> reserve(
      String requestId, List<LimitCheck> checks, long tokens, long nowEpochMillis) {
    Objects.requireNonNull(requestId, "requestId");
    LimitCheck.requireDistinct(checks);
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must be >= 0, got " + tokens);
    }
    if (checks.isEmpty()) {
      return CompletableFuture.completedFuture(new Admission.Allowed(List.of()));
    }
    List<String> keys = new ArrayList<>(checks.size() + 1);
    keys.add(reservationKey(requestId));
    List<String> args = new ArrayList<>(4 + 2 * checks.size());
    args.add(options.trustCallerClock() ? Long.toString(nowEpochMillis) : "");
    args.add(Long.toString(tokens));
    boolean settleable = checks.stream().anyMatch(c -> !c.kind().countsRequests());
    args.add(settleable ? Long.toString(options.reservationTtl().toMillis()) : "0");
    args.add(Long.toString(COUNTER_GRACE_MILLIS));
    for (LimitCheck check : checks) {
      keys.add(counterKey(check));
      args.add(check.kind().id());
      args.add(Long.toString(check.limit()));
    }
    return guarded(
        "reserve",
        nowEpochMillis,
        () -> LimitScripts.RESERVE.eval(redis, keys, args).map(reply -> admission(reply, checks)),
        () -> fallback.reserve(requestId, checks, tokens, nowEpochMillis));
  }

  @Override
  public CompletionStage<Void> settle(
      String requestId, List<LimitCheck> checks, long reservedTokens, long actualTokens, long nowEpochMillis) {
    Objects.requireNonNull(requestId, "requestId");
    LimitCheck.requireDistinct(checks);
    if (reservedTokens < 0 || actualTokens < 0) {
      throw new IllegalArgumentException(
          "token counts must be >= 0, got reserved " + reservedTokens + ", actual " + actualTokens);
    }
    Supplier<CompletionStage<Void>> local =
        () -> fallback.settle(requestId, checks, reservedTokens, actualTokens, nowEpochMillis);
    if (checks.isEmpty()) {
      return local.get(); // reserve never went to Redis for this request
    }
    List<String> keys = new ArrayList<>(checks.size() + 1);
    keys.add(reservationKey(requestId));
    List<String> args = new ArrayList<>(checks.size() + 1);
    args.add(Long.toString(actualTokens - reservedTokens));
    for (LimitCheck check : checks) {
      if (!check.kind().countsRequests()) {
        keys.add(counterKey(check));
        args.add(check.kind().id());
      }
    }
    // Then the fallback too, in case the request was admitted locally during an outage.
    return guarded(
            "settle",
            nowEpochMillis,
            () -> LimitScripts.SETTLE.eval(redis, keys, args).<Void>mapEmpty(),
            () -> CompletableFuture.<Void>completedFuture(null))
        .thenCompose(settledInRedis -> local.get());
  }

  /** True while Redis is failing: the last call failed and none has succeeded since. */
  public boolean degraded() {
    return degraded;
  }

  /** Calls answered by the in-memory fallback ({@code FAIL_OPEN}) since start. */
  public long fallbackCount() {
    return fallbacks.sum();
  }

  /** Calls that failed or skipped Redis, under either policy, since start. */
  public long failureCount() {
    return failures.sum();
  }

  @Override
  public void close() {
    if (ownsClient) {
      redis.close();
    }
  }

  String counterKey(LimitCheck check) {
    return options.keyPrefix() + '{' + check.counterKey() + "}:" + check.kind().id();
  }

  String reservationKey(String requestId) {
    return options.keyPrefix() + "req:{" + requestId + '}';
  }

  /** Runs {@code viaRedis} under the failure policy. */
  private <T> CompletionStage<T> guarded(
      String operation, long now, Supplier<Future<T>> viaRedis, Supplier<CompletionStage<T>> viaFallback) {
    if (now < skipRedisUntil.get()) {
      return onFailure(operation, null, viaFallback);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    long call = calls.incrementAndGet();
    viaRedis
        .get()
        .timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                if (degraded && call > suspectUpTo.get()) {
                  degraded = false;
                  LOG.log(Level.INFO, "limits: Redis at {0} answers again", options.endpoint());
                }
                result.complete(done.result());
                return;
              }
              skipRedisUntil.set(now + options.probeInterval().toMillis());
              suspectUpTo.set(calls.get());
              if (!degraded) {
                degraded = true;
                LOG.log(
                    Level.WARNING,
                    "limits: Redis at {0} failed on {1} ({2}); policy {3}",
                    options.endpoint(),
                    operation,
                    reason(done.cause()),
                    options.failurePolicy().configName());
              }
              onFailure(operation, done.cause(), viaFallback)
                  .whenComplete(
                      (value, error) -> {
                        if (error != null) {
                          result.completeExceptionally(error);
                        } else {
                          result.complete(value);
                        }
                      });
            });
    return result;
  }

  private <T> CompletionStage<T> onFailure(
      String operation, Throwable cause, Supplier<CompletionStage<T>> viaFallback) {
    failures.increment();
    if (options.failurePolicy() == FailurePolicy.FAIL_OPEN) {
      fallbacks.increment();
      return viaFallback.get();
    }
    String why = cause == null
        ? "it failed moments ago; retried every " + options.probeInterval().toMillis() + " ms"
        : reason(cause);
    return CompletableFuture.failedFuture(
        new LimitStoreUnavailableException(
            "Rate limits cannot be checked: Redis at " + options.endpoint() + " is unavailable for " + operation
                + " (" + why + ")",
            cause));
  }

  private static String reason(Throwable cause) {
    String message = cause.getMessage();
    return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static Admission admission(Response reply, List<LimitCheck> checks) {
    long now = reply.get(1).toLong();
    if (reply.get(0).toLong() == 0) {
      LimitCheck refused = checks.get(reply.get(2).toInteger() - 1);
      return Admission.Denied.of(refused, reply.get(4).toLong(), reply.get(3).toLong(), now);
    }
    List<Remaining> remaining = new ArrayList<>(checks.size());
    for (int i = 0; i < checks.size(); i++) {
      LimitCheck check = checks.get(i);
      long used = reply.get(2 + 2 * i).toLong();
      long windowEnd = reply.get(3 + 2 * i).toLong();
      remaining.add(new Remaining(check, check.limit(), check.limit() - used, windowEnd));
    }
    return new Admission.Allowed(remaining);
  }

  @Override
  public String toString() {
    return "RedisLimitStore[" + options.endpoint() + ", " + options.failurePolicy().configName()
        + (degraded ? ", degraded" : "") + "]";
  }
}
