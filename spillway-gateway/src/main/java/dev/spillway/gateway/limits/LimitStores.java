package dev.spillway.gateway.limits;

import dev.spillway.core.config.LimitsConfig;
import dev.spillway.core.limits.InMemoryLimitStore;
import dev.spillway.core.limits.LimitStore;
import dev.spillway.gateway.store.redis.FailurePolicy;
import dev.spillway.gateway.store.redis.RedisLimitOptions;
import dev.spillway.gateway.store.redis.RedisLimitStore;
import io.vertx.core.Vertx;

/** The limit store that {@code limits:} in the config asks for: in memory, or Redis shared by replicas. */
public final class LimitStores {
  private LimitStores() {}

  public static LimitStore create(Vertx vertx, LimitsConfig config) {
    return switch (config.store()) {
      case MEMORY -> new InMemoryLimitStore();
      case REDIS -> redis(vertx, config);
    };
  }

  private static LimitStore redis(Vertx vertx, LimitsConfig config) {
    RedisLimitOptions options =
        RedisLimitOptions.builder()
            .connectionString(config.redisUrl())
            .failurePolicy(config.failOpen() ? FailurePolicy.FAIL_OPEN : FailurePolicy.FAIL_CLOSED)
            .build();
    return RedisLimitStore.create(vertx, options);
  }
}
