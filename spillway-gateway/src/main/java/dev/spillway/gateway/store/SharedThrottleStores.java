package dev.spillway.gateway.store;

import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.routing.SharedThrottles;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.store.redis.RedisBackendFacts;
import dev.spillway.gateway.store.redis.RedisBackendFactsOptions;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;

/**
 * The shared backend throttles (and auth holds) {@code routing.shared} asks for: connected to the limits' Redis ({@code
 * limits.redisUrl}, keys under {@code routing.sharedKeyPrefix}) when sharing is on — by default whenever {@code
 * limits.store: redis} — and local to this replica otherwise.
 */
public final class SharedThrottleStores {
  private SharedThrottleStores() {}

  /** This replica's shared throttles over {@code pools}; close them when the gateway stops. */
  public static SharedThrottles open(Vertx vertx, SpillwayConfig config, Map<String, Pool> pools, Ticker ticker,
      Clock clock) {
    SharedThrottles throttles = new SharedThrottles(pools, ticker, clock, config.routing().maxRetryAfter(),
        config.routing().authHold());
    if (config.routing().shared().activeWith(config.limits())) {
      RedisBackendFactsOptions options =
          RedisBackendFactsOptions.of(config.limits().redisUrl(), config.routing().shared().keyPrefix());
      throttles.connect(RedisBackendFacts.join(vertx, options, throttles, clock, ticker));
    }
    return throttles;
  }
}
