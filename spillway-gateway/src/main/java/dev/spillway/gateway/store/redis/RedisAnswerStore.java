package dev.spillway.gateway.store.redis;

import dev.spillway.core.cache.AnswerStore;
import dev.spillway.core.cache.CacheScope;
import dev.spillway.core.cache.CacheUnavailableException;
import dev.spillway.core.cache.CachedAnswer;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The exact layer's answers in Redis, shared by every replica: one string key per answer, {@code {prefix}a:{key}}
 * (the key is the request's SHA-256, never prompt text), holding {@link CacheEntryCodec#encodeAnswer its bytes}, with
 * a Redis expiry at the answer's own ({@code SET ... PX}). A lookup is one {@code GET}; the answer's expiry is checked
 * again against the caller's clock, so replicas whose clocks differ never serve an answer past its end on theirs.
 *
 * <p><b>Bounds.</b> {@code maxEntries} and {@code maxBytes} are the in-memory store's; in Redis every key expires with
 * its answer, and what Redis holds beyond that is its own {@code maxmemory} policy's to bound ({@code volatile-lru} or
 * {@code volatile-ttl} drop cache answers first, since they are the keys with an expiry).
 *
 * <p><b>When Redis fails</b> (refused, reset, no answer within the command timeout, an error reply) the cache steps
 * aside and the request goes to the backend: {@link #get} answers empty and {@link #put} drops the answer; for the
 * probe interval after a failure neither tries Redis. An invalidation is the one call that fails ({@link
 * CacheUnavailableException}): it must not claim to have removed answers that are still there. {@link RedisOutage}
 * logs one warning per outage.
 *
 * <p>Thread-safe. Stages complete on a Vert.x event loop (or at once): do not block in their callbacks.
 */
public final class RedisAnswerStore implements AnswerStore, AutoCloseable {
  private final Redis redis;
  private final boolean ownsClient;
  private final RedisCacheOptions options;
  private final RedisOutage outage;

  private RedisAnswerStore(Redis redis, boolean ownsClient, RedisCacheOptions options, RedisOutage outage) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.ownsClient = ownsClient;
    this.options = Objects.requireNonNull(options, "options");
    this.outage = Objects.requireNonNull(outage, "outage");
  }

  /** A store with its own Redis client (closed by {@link #close()}), reporting outages to {@code outage}. */
  public static RedisAnswerStore create(Vertx vertx, RedisCacheOptions options, RedisOutage outage) {
    return new RedisAnswerStore(Redis.createClient(vertx, redisOptions(options)), true, options, outage);
  }

  /** A store on a client the caller owns and closes. */
  public static RedisAnswerStore using(Redis redis, RedisCacheOptions options, RedisOutage outage) {
    return new RedisAnswerStore(redis, false, options, outage);
  }

  /** An outage tracker for {@code options}, on the system ticker. */
  public static RedisOutage outageOf(RedisCacheOptions options) {
    return new RedisOutage(options.endpoint(), options.probeInterval(), Ticker.systemTicker());
  }

  /** Client options matching {@code options}: pool size, and a connect timeout of the command timeout. */
  public static io.vertx.redis.client.RedisOptions redisOptions(RedisCacheOptions options) {
    return RedisCalls.clientOptions(options.connectionString(), options.maxPoolSize(), options.commandTimeout());
  }

  @Override
  public CompletionStage<Optional<CachedAnswer>> get(String key, long nowMillis) {
    Objects.requireNonNull(key, "key");
    if (outage.skipping()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Request read = Request.cmd(Command.GET).arg(options.answerKey(key));
    return quietly("get", RedisCalls.send(redis, read).map(reply -> reply == null
        ? Optional.<CachedAnswer>empty()
        : CacheEntryCodec.decodeAnswer(reply.toBytes()).filter(a -> a.key().equals(key) && !a.expired(nowMillis))),
        Optional.empty());
  }

  @Override
  public CompletionStage<Void> put(CachedAnswer answer, long nowMillis) {
    Objects.requireNonNull(answer, "answer");
    long ttlMillis = answer.expiresAtMillis() - nowMillis;
    if (ttlMillis < 1 || outage.skipping()) {
      return CompletableFuture.completedFuture(null);
    }
    Request set = Request.cmd(Command.SET).arg(options.answerKey(answer.key())).arg(CacheEntryCodec.encodeAnswer(answer))
        .arg("PX").arg(ttlMillis);
    return quietly("put", RedisCalls.send(redis, set).<Void>mapEmpty(), null);
  }

  /**
   * Removes the answers in {@code scope}: by its key, one {@code GET} and {@code UNLINK}; otherwise a {@code SCAN} of
   * every answer, read a page at a time ({@code MGET}) and the matching ones unlinked. An admin action: its cost grows
   * with the cache.
   */
  @Override
  public CompletionStage<Long> invalidate(CacheScope scope) {
    Objects.requireNonNull(scope, "scope");
    if (outage.skipping()) {
      return CompletableFuture.failedFuture(unavailable("it failed moments ago", null));
    }
    long timeout = options.commandTimeout().toMillis();
    Predicate<byte[]> inScope = bytes -> CacheEntryCodec.decodeAnswer(bytes).filter(scope::matches).isPresent();
    Future<Long> removed = !scope.key().isEmpty()
        ? RedisKeyScan.unlinkWhere(redis, List.of(options.answerKey(scope.key())), timeout, inScope)
        : RedisKeyScan.removeWhere(redis, options.answerKey(""), timeout, inScope);
    CompletableFuture<Long> result = new CompletableFuture<>();
    removed.onComplete(done -> {
      if (done.succeeded()) {
        outage.answered();
        result.complete(done.result());
      } else {
        outage.failed("invalidate", done.cause());
        result.completeExceptionally(unavailable(RedisCalls.describe(done.cause()), done.cause()));
      }
    });
    return result;
  }

  /** {@code call} within the command timeout; its failure is counted and logged once, and answered with {@code instead}. */
  private <T> CompletionStage<T> quietly(String operation, Future<T> call, T instead) {
    CompletableFuture<T> result = new CompletableFuture<>();
    call.timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS).onComplete(done -> {
      if (done.succeeded()) {
        outage.answered();
        result.complete(done.result());
      } else {
        outage.failed(operation, done.cause());
        result.complete(instead);
      }
    });
    return result;
  }

  private CacheUnavailableException unavailable(String why, Throwable cause) {
    return new CacheUnavailableException(
        "Cache answers cannot be removed: Redis at " + options.endpoint() + " is unavailable (" + why + ")", cause);
  }

  /** True while Redis is failing: the last call failed and none has answered since. */
  public boolean degraded() {
    return outage.out();
  }

  /** Calls that failed or were skipped during an outage since start (the answer store's and the semantic entries'). */
  public long failures() {
    return outage.failures();
  }

  @Override
  public void close() {
    if (ownsClient) {
      redis.close();
    }
  }

  @Override
  public String toString() {
    return "RedisAnswerStore[" + options.endpoint() + ", " + options.keyPrefix() + (degraded() ? ", degraded" : "") + "]";
  }
}
