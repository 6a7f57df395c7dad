package dev.spillway.core.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether gateway replicas share what backends told them ({@code routing.shared}): a 429's "throttled until T",
 * written to Redis and announced to every replica. It uses the Redis of the limits ({@code limits.redisUrl}), so it
 * needs {@code limits.store: redis}; that is also what turns it on when {@code routing.shared} is not written.
 *
 * @param enabled as written; empty when {@code routing.shared} is absent (then on exactly when the limits are in Redis)
 * @param keyPrefix {@code routing.sharedKeyPrefix}: the prefix of its keys and of its channel's name, so gateways
 *     (or deployments of one) sharing a Redis keep apart; default {@value #DEFAULT_KEY_PREFIX}
 */
public record SharedRouting(Optional<Boolean> enabled, String keyPrefix) {
  public static final String DEFAULT_KEY_PREFIX = "spillway:routing:";
  public static final SharedRouting DEFAULTS = new SharedRouting(Optional.empty(), DEFAULT_KEY_PREFIX);

  public SharedRouting {
    Objects.requireNonNull(enabled, "enabled");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    if (keyPrefix.isBlank()) {
      throw new IllegalArgumentException("keyPrefix must not be blank");
    }
  }

  /** True when throttles are shared with this limits config: as written, else exactly when the limits use Redis. */
  public boolean activeWith(LimitsConfig limits) {
    return enabled.orElse(limits.store() == LimitsConfig.Store.REDIS);
  }
}
