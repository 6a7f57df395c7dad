package dev.spillway.gateway.metrics;

import dev.spillway.core.cache.CacheStatus;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.cache.ResponseCache;
import dev.spillway.gateway.events.RequestOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The response cache's meters: every cacheable request by what the cache did ({@code spillway_cache_requests_total},
 * status {@code exact}, {@code semantic}, {@code miss} or {@code bypass}, per model), the tokens hits saved ({@code
 * spillway_cache_saved_tokens_total}, type {@code input} or {@code output}) and what each layer holds ({@code
 * spillway_cache_entries}, {@code spillway_cache_bytes}); in shared mode, whether Redis is out ({@code
 * spillway_cache_degraded}) and its failed calls ({@code spillway_cache_store_failures_total}). The hit ratio is
 * {@code exact + semantic} over all.
 */
final class CacheMeters {
  private final MeterRegistry registry;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<String, Counter> saved = new ConcurrentHashMap<>();

  CacheMeters(MeterRegistry registry, ResponseCache cache) {
    this.registry = registry;
    if (cache.exactEntries() >= 0) { // in Redis (shared mode) the exact layer holds nothing in this process
      Gauge.builder(MeterNames.CACHE_ENTRIES, cache, ResponseCache::exactEntries).tag("layer", "exact")
          .description("Answers the exact layer holds in this process").strongReference(true).register(registry);
      Gauge.builder(MeterNames.CACHE_BYTES, cache, ResponseCache::exactBytes).tag("layer", "exact")
          .description("Bytes the exact layer holds in this process").strongReference(true).register(registry);
    }
    if (cache.store() == dev.spillway.core.cache.CacheStore.Kind.REDIS) {
      Gauge.builder(MeterNames.CACHE_DEGRADED, cache, c -> c.degraded() ? 1 : 0)
          .description("1 while the shared cache's Redis is out and cacheable requests bypass the cache")
          .strongReference(true).register(registry);
      io.micrometer.core.instrument.FunctionCounter.builder(MeterNames.CACHE_STORE_FAILURES, cache,
              ResponseCache::storeFailures)
          .description("Calls to the shared cache's Redis that failed, or were skipped during an outage")
          .register(registry);
    }
    Gauge.builder(MeterNames.CACHE_ENTRIES, cache, ResponseCache::semanticEntries).tag("layer", "semantic")
        .description("Answers the semantic layer holds in this process").strongReference(true).register(registry);
    Gauge.builder(MeterNames.CACHE_BYTES, cache, ResponseCache::semanticBytes).tag("layer", "semantic")
        .description("Bytes the semantic layer holds in this process").strongReference(true).register(registry);
  }

  void record(RequestOutcome request, String model) {
    CacheStatus status = request.cache().status();
    if (status == CacheStatus.NONE) {
      return;
    }
    requests.computeIfAbsent(status.ledgerValue() + '\0' + model, k -> Counter.builder(MeterNames.CACHE_REQUESTS)
        .description("Cacheable requests by what the response cache did").tag("status", status.ledgerValue())
        .tag("model", model).register(registry)).increment();
    if (request.cache().saved().isPresent()) {
      TokenUsage u = request.cache().saved().get();
      savedCounter(model, "input").increment(u.promptTokens());
      savedCounter(model, "output").increment(u.completionTokens());
    }
  }

  private Counter savedCounter(String model, String type) {
    return saved.computeIfAbsent(type + '\0' + model, k -> Counter.builder(MeterNames.CACHE_SAVED_TOKENS)
        .description("Tokens the response cache's hits saved (what the answers cost when they were made)")
        .tag("type", type).tag("model", model).register(registry));
  }
}
