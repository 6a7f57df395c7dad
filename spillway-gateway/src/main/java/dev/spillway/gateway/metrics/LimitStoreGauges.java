package dev.spillway.gateway.metrics;

import dev.spillway.gateway.store.redis.RedisLimitStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The Redis limit store's health, read from the store when the registry is scraped: whether Redis answers ({@code
 * spillway_limit_store_up}: 1, or 0 while calls fail and limits are counted by this replica alone or refused), how many
 * calls were answered by the local fallback ({@code spillway_limit_store_fallbacks_total}, {@code failOpen}: each one a
 * request whose limits held for this replica only) and how many failed or skipped Redis under either policy ({@code
 * spillway_limit_store_failures_total}). Only a Redis store has them: the in-memory one cannot be down.
 */
final class LimitStoreGauges {
  private LimitStoreGauges() {}

  static void bind(MeterRegistry registry, RedisLimitStore store) {
    Gauge.builder(MeterNames.LIMIT_STORE_UP, store, s -> s.degraded() ? 0 : 1)
        .description("1 while the Redis limit store answers, 0 while it fails (limits fail open or closed meanwhile)")
        .strongReference(true)
        .register(registry);
    FunctionCounter.builder(MeterNames.LIMIT_STORE_FALLBACKS, store, RedisLimitStore::fallbackCount)
        .description("Limit store calls answered by this replica's in-memory fallback while Redis failed (failOpen)")
        .register(registry);
    FunctionCounter.builder(MeterNames.LIMIT_STORE_FAILURES, store, RedisLimitStore::failureCount)
        .description("Limit store calls that failed or skipped Redis, under either failure policy")
        .register(registry);
  }
}
