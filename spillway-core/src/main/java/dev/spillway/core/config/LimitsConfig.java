package dev.spillway.core.config;

import java.util.Objects;

/**
 * Where limit counters live and what happens when that place is unreachable.
 *
 * @param store {@code memory} (one replica, the default) or {@code redis} (shared by replicas)
 * @param redisUrl for the redis store, e.g. {@code redis://127.0.0.1:6379}
 * @param failOpen when Redis is unreachable: true = count locally meanwhile (visible in health and
 *     metrics), false = refuse with 503
 * @param defaultMaxTokens output tokens reserved for a request that sets no {@code max_tokens}
 */
public record LimitsConfig(Store store, String redisUrl, boolean failOpen, long defaultMaxTokens) {
  public enum Store {
    MEMORY,
    REDIS
  }

  public static final LimitsConfig DEFAULTS = new LimitsConfig(Store.MEMORY, "redis://127.0.0.1:6379", true, 1024);

  public LimitsConfig {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(redisUrl, "redisUrl");
    if (defaultMaxTokens < 1) {
      throw new IllegalArgumentException("defaultMaxTokens must be at least 1");
    }
  }
}
