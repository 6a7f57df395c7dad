package dev.spillway.core.routing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@link SessionPinStore} for gateways side by side in one process (tests, an embedded pair): one bounded map, the
 * least recently used pin dropped beyond the bound, shared by everyone given this instance. Thread-safe.
 */
public final class InMemorySessionPinStore implements SessionPinStore {
  private final Map<String, String> pins;

  /** @param maxEntries how many sessions are held at most */
  public InMemorySessionPinStore(int maxEntries) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    this.pins = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > maxEntries;
      }
    };
  }

  @Override
  public synchronized CompletionStage<Optional<String>> find(String sessionId) {
    return CompletableFuture.completedFuture(Optional.ofNullable(pins.get(sessionId)));
  }

  @Override
  public synchronized void pin(String sessionId, String backend) {
    pins.put(Objects.requireNonNull(sessionId, "sessionId"), Objects.requireNonNull(backend, "backend"));
  }

  @Override
  public void close() {}
}
