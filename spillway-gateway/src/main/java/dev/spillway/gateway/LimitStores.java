package dev.spillway.gateway;

import dev.spillway.core.config.LimitsConfig;
import dev.spillway.core.limits.InMemoryLimitStore;
import dev.spillway.core.limits.LimitStore;
import io.vertx.core.Vertx;

/** The limit store the config asks for. */
final class LimitStores {
  private LimitStores() {}

  static LimitStore create(Vertx vertx, LimitsConfig config) {
    return switch (config.store()) {
      case MEMORY -> new InMemoryLimitStore();
      case REDIS -> RedisLimitStores.create(vertx, config);
    };
  }
}
