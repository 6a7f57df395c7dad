package dev.spillway.gateway.store.redis;

import dev.spillway.core.objects.ObjectKind;
import dev.spillway.core.objects.ObjectRegistry;
import dev.spillway.core.objects.ObjectRegistryUnavailableException;
import dev.spillway.core.objects.OwnedObject;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * An {@link ObjectRegistry} shared by every gateway replica through Redis, so a follow-up call on an object finds its
 * owner and backend whichever replica takes it. See {@link ObjectScripts} for the keys. Writes and listings are Lua
 * scripts (an object and its owner's index change together); a read is one {@code HMGET}.
 *
 * <p><b>Time.</b> Expiry is judged against the caller's {@code now} and the stored {@code created}, exactly as the
 * in-memory registry judges it; Redis's own key expiry (set to the TTL left at the put, on Redis's clock) only
 * reclaims the space. Replica clocks a few seconds apart therefore move an object's end by those seconds, nothing
 * more. Lowering the TTL hides older objects at once; raising it does not bring back keys Redis already dropped.
 *
 * <p><b>When Redis fails</b> (refused, reset, no answer within {@code commandTimeout}, an error reply) the stage fails
 * with {@link ObjectRegistryUnavailableException}: there is no local fallback, since an owner check answered from
 * one replica's memory would deny other replicas' objects and, worse, could not see their removal. For {@code
 * probeInterval} after a failure calls fail at once without trying Redis, so a Redis that never answers costs one
 * timeout per interval rather than one per request; the first call after it tries again.
 *
 * <p>Thread-safe. Stages complete on a Vert.x event loop (or at once, within the probe interval): do not block in
 * their callbacks.
 */
public final class RedisObjectRegistry implements ObjectRegistry, AutoCloseable {
  private static final Logger LOG = System.getLogger("spillway.objects.redis");

  private final Redis redis;
  private final boolean ownsClient;
  private final RedisObjectOptions options;
  private final long ttlMillis;
  private final Ticker ticker;
  private final LongAdder failures = new LongAdder();
  private volatile long failedAtNanos;
  private volatile boolean degraded;

  private RedisObjectRegistry(Redis redis, boolean ownsClient, RedisObjectOptions options, Ticker ticker) {
    this.redis = Objects.requireNonNull(redis, "redis");
    this.ownsClient = ownsClient;
    this.options = Objects.requireNonNull(options, "options");
    this.ttlMillis = options.ttl().toMillis();
    this.ticker = Objects.requireNonNull(ticker, "ticker");
  }

  /** A registry with its own Redis client, closed by {@link #close()}. */
  public static RedisObjectRegistry create(Vertx vertx, RedisObjectOptions options) {
    return new RedisObjectRegistry(Redis.createClient(vertx, redisOptions(options)), true, options, Ticker.systemTicker());
  }

  /**
   * A registry on a client the caller owns and closes (for example the limit store's, when both use one Redis).
   *
   * @param ticker measures the probe interval
   */
  public static RedisObjectRegistry using(Redis redis, RedisObjectOptions options, Ticker ticker) {
    return new RedisObjectRegistry(redis, false, options, ticker);
  }

  /** Client options matching {@code options}: pool size and a connect timeout of the command timeout. */
  public static RedisOptions redisOptions(RedisObjectOptions options) {
    return RedisCalls.clientOptions(options.connectionString(), options.maxPoolSize(), options.commandTimeout());
  }

  @Override
  public CompletionStage<Void> put(OwnedObject object, long nowEpochMillis) {
    Objects.requireNonNull(object, "object");
    long ttlLeft = object.createdEpochMillis() + ttlMillis - nowEpochMillis;
    List<String> keys = List.of(objectKey(object.id()), indexKey(object.owner(), object.kind()));
    List<String> args =
        List.of(
            object.id(), object.kind().wireName(), object.owner(), object.model(), object.backendId(),
            Long.toString(object.createdEpochMillis()), Long.toString(ttlLeft), options.keyPrefix() + "owner:");
    return guarded("put", () -> ObjectScripts.PUT.eval(redis, keys, args).<Void>mapEmpty());
  }

  @Override
  public CompletionStage<Optional<OwnedObject>> get(String id, long nowEpochMillis) {
    Objects.requireNonNull(id, "id");
    Request read =
        Request.cmd(Command.HMGET).arg(objectKey(id)).arg("kind").arg("owner").arg("model").arg("backend").arg("created");
    return guarded("get", () -> RedisCalls.send(redis, read).map(reply -> object(id, reply, nowEpochMillis)));
  }

  @Override
  public CompletionStage<Void> remove(String id) {
    Objects.requireNonNull(id, "id");
    List<String> keys = List.of(objectKey(id));
    List<String> args = List.of(id, options.keyPrefix() + "owner:");
    return guarded("remove", () -> ObjectScripts.REMOVE.eval(redis, keys, args).<Void>mapEmpty());
  }

  @Override
  public CompletionStage<List<OwnedObject>> list(String owner, ObjectKind kind, int limit, long nowEpochMillis) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(kind, "kind");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    List<String> keys = List.of(indexKey(owner, kind));
    List<String> args =
        List.of(
            Long.toString(nowEpochMillis - ttlMillis), Integer.toString(limit), options.keyPrefix() + "id:", owner,
            kind.wireName());
    return guarded("list", () -> ObjectScripts.LIST.eval(redis, keys, args).map(reply -> {
      List<OwnedObject> newestFirst = new ArrayList<>(reply.size());
      for (Response item : reply) {
        long created = Long.parseLong(item.get(3).toString());
        if (!expired(created, nowEpochMillis)) {
          newestFirst.add(
              new OwnedObject(item.get(0).toString(), kind, owner, item.get(1).toString(), item.get(2).toString(), created));
        }
      }
      return List.copyOf(newestFirst);
    }));
  }

  /** One {@code SET {prefix}claim:{token} 1 NX PX ttl}: the first to set it wins; Redis drops it after the TTL. */
  @Override
  public CompletionStage<Boolean> claim(String token, long nowEpochMillis) {
    Objects.requireNonNull(token, "token");
    Request set = Request.cmd(Command.SET).arg(options.keyPrefix() + "claim:" + token).arg("1").arg("NX").arg("PX")
        .arg(Long.toString(ttlMillis));
    return guarded("claim", () -> RedisCalls.send(redis, set).map(reply -> reply != null));
  }

  /** Calls that failed or were refused within the probe interval, since start; for metrics. */
  public long failureCount() {
    return failures.sum();
  }

  /** True while Redis is failing: the last call failed and none has succeeded since. */
  public boolean degraded() {
    return degraded;
  }

  @Override
  public void close() {
    if (ownsClient) {
      redis.close();
    }
  }

  String objectKey(String id) {
    return options.keyPrefix() + "id:" + id;
  }

  String indexKey(String owner, ObjectKind kind) {
    return options.keyPrefix() + "owner:" + kind.wireName() + ':' + owner;
  }

  private boolean expired(long created, long now) {
    return now - created >= ttlMillis;
  }

  /**
   * The object in an {@code HMGET kind owner model backend created} reply, if one is there and live. A hash this
   * registry did not write (a field missing or malformed) counts as unknown: no owner can be proven from it.
   */
  private Optional<OwnedObject> object(String id, Response reply, long now) {
    for (int field = 0; field < 5; field++) {
      if (reply.get(field) == null) {
        return Optional.empty();
      }
    }
    Optional<ObjectKind> kind = ObjectKind.fromWireName(reply.get(0).toString());
    long created;
    try {
      created = Long.parseLong(reply.get(4).toString());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    String owner = reply.get(1).toString();
    String backend = reply.get(3).toString();
    if (kind.isEmpty() || created < 0 || owner.isBlank() || backend.isBlank() || expired(created, now)) {
      return Optional.empty();
    }
    return Optional.of(new OwnedObject(id, kind.get(), owner, reply.get(2).toString(), backend, created));
  }

  private <T> CompletionStage<T> guarded(String operation, Supplier<Future<T>> call) {
    if (degraded && ticker.read() - failedAtNanos < options.probeInterval().toNanos()) {
      failures.increment();
      return CompletableFuture.failedFuture(unavailable(operation,
          "it failed moments ago; retried every " + options.probeInterval().toMillis() + " ms", null));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    call.get().timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS).onComplete(done -> {
      if (done.succeeded()) {
        if (degraded) {
          degraded = false;
          LOG.log(Level.INFO, "objects: Redis at {0} answers again", options.endpoint());
        }
        result.complete(done.result());
        return;
      }
      failures.increment();
      failedAtNanos = ticker.read();
      Throwable cause = done.cause();
      if (!degraded) {
        degraded = true;
        LOG.log(Level.WARNING, "objects: Redis at {0} failed on {1} ({2})", options.endpoint(), operation,
            RedisCalls.describe(cause));
      }
      result.completeExceptionally(unavailable(operation, RedisCalls.describe(cause), cause));
    });
    return result;
  }

  private ObjectRegistryUnavailableException unavailable(String operation, String why, Throwable cause) {
    return new ObjectRegistryUnavailableException(
        "Object owners cannot be checked: Redis at " + options.endpoint() + " is unavailable for " + operation + " ("
            + why + ")",
        cause);
  }

  @Override
  public String toString() {
    return "RedisObjectRegistry[" + options.endpoint() + ", " + options.keyPrefix() + (degraded ? ", degraded" : "")
        + "]";
  }
}
