package dev.spillway.core.routing.station;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** {@link DrainRateStore} for gateways side by side in one process (tests, an embedded pair). Thread-safe. */
public final class InMemoryDrainRateStore implements DrainRateStore {
  private final Map<String, Map<String, DrainEstimate>> byBackend = new ConcurrentHashMap<>();

  @Override
  public void publish(String backend, String replica, DrainEstimate estimate) {
    byBackend.computeIfAbsent(backend, b -> new ConcurrentHashMap<>()).put(replica, estimate);
  }

  @Override
  public CompletionStage<Map<String, DrainEstimate>> read(String backend) {
    return CompletableFuture.completedFuture(Map.copyOf(byBackend.getOrDefault(backend, Map.of())));
  }

  @Override
  public void close() {}
}
