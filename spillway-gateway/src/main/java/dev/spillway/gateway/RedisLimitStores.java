package dev.spillway.gateway;

import dev.spillway.core.config.LimitsConfig;
import dev.spillway.core.limits.LimitStore;
import dev.spillway.gateway.store.redis.FailurePolicy;
import dev.spillway.gateway.store.redis.RedisLimitOptions;
import dev.spillway.gateway.store.redis.RedisLimitStore;
import io.vertx.core.Vertx;

/** The Redis limit store from {@code limits:} in the config. */
final class RedisLimitStores {
  private RedisLimitStores() {}

  static LimitStore create(Vertx vertx, LimitsConfig config) {
    RedisLimitOptions options =
        RedisLimitOptions.builder()
            .connectionString(config.redisUrl())
            .failurePolicy(config.failOpen() ? FailurePolicy.FAIL_OPEN : FailurePolicy.FAIL_CLOSED)
            .build();
    return RedisLimitStore.create(vertx, options);
  }
}
