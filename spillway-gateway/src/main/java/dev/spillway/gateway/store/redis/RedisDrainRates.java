package dev.spillway.gateway.store.redis;

import dev.spillway.core.routing.station.DrainEstimate;
import dev.spillway.core.routing.station.DrainRateStore;
import dev.spillway.core.routing.station.DrainSharing;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * {@link DrainRateStore} in Redis: a PTU deployment's estimates are a hash {@code {prefix}drain:{backend}} (its shared
 * name), one field per replica id holding {@link DrainEstimate#text}. Each publish writes its field and renews the
 * hash's expiry to twice {@link DrainSharing#FRESH_MILLIS}, so the hash of a deployment no replica learns of any more
 * goes away; a field of a replica that stopped stays until then, and readers ignore it once it is stale. Calls are
 * bounded by the command timeout and skipped for the probe interval after a failure; a read that fails is empty.
 *
 * <p>Thread-safe.
 */
public final class RedisDrainRates implements DrainRateStore {
  private final RedisRoutingStateOptions options;
  private final Redis redis;
  private final RoutingStateOutage outage;

  /** @param ticker measures the probe interval */
  public RedisDrainRates(Vertx vertx, RedisRoutingStateOptions options, Ticker ticker) {
    this.options = Objects.requireNonNull(options, "options");
    this.redis = Redis.createClient(vertx, options.clientOptions(2));
    this.outage = new RoutingStateOutage("PTU drain rates", options, ticker);
  }

  @Override
  public void publish(String backend, String replica, DrainEstimate estimate) {
    if (outage.skipping()) {
      return;
    }
    String key = options.drainKey(backend);
    RedisCalls.batch(redis, List.of(
            Request.cmd(Command.HSET).arg(key).arg(replica).arg(estimate.text()),
            Request.cmd(Command.PEXPIRE).arg(key).arg(2 * DrainSharing.FRESH_MILLIS)))
        .timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          if (done.succeeded()) {
            outage.answered();
          } else {
            outage.failed("publish a drain rate", done.cause());
          }
        });
  }

  @Override
  public CompletionStage<Map<String, DrainEstimate>> read(String backend) {
    if (outage.skipping()) {
      return CompletableFuture.completedFuture(Map.of());
    }
    CompletableFuture<Map<String, DrainEstimate>> read = new CompletableFuture<>();
    RedisCalls.send(redis, Request.cmd(Command.HGETALL).arg(options.drainKey(backend)))
        .timeout(options.commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .onComplete(done -> {
          if (done.succeeded()) {
            outage.answered();
            read.complete(estimates(done.result()));
          } else {
            outage.failed("read drain rates", done.cause());
            read.complete(Map.of());
          }
        });
    return read;
  }

  /** The fields of an {@code HGETALL} answer (a map, or field-value pairs) that parse as estimates. */
  private static Map<String, DrainEstimate> estimates(Response hash) {
    Map<String, DrainEstimate> estimates = new HashMap<>();
    if (hash == null) {
      return estimates;
    }
    if (!hash.getKeys().isEmpty()) {
      for (String field : hash.getKeys()) {
        DrainEstimate.parse(String.valueOf(hash.get(field))).ifPresent(e -> estimates.put(field, e));
      }
      return estimates;
    }
    for (int i = 0; i + 1 < hash.size(); i += 2) {
      String field = hash.get(i).toString();
      DrainEstimate.parse(String.valueOf(hash.get(i + 1))).ifPresent(e -> estimates.put(field, e));
    }
    return estimates;
  }

  /** True from a failed call until the next one that answers. */
  public boolean out() {
    return outage.out();
  }

  @Override
  public void close() {
    redis.close();
  }

  @Override
  public String toString() {
    return "RedisDrainRates[" + options.endpoint() + ", " + options.keyPrefix() + "]";
  }
}
