package dev.spillway.gateway.reload;

import dev.spillway.core.routing.Pool;
import dev.spillway.gateway.pipeline.Pipeline;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The configuration generation in force. A reload builds the next {@link ConfigGeneration} beside the running one and
 * swaps it in with one atomic set; a request reads {@link #pipeline()} once, when it arrives, and finishes on that
 * generation, so requests and streams in flight are not disturbed.
 *
 * <p>What observes the gateway rather than serving a request (metrics, the dashboard, the admin API, the ledger) reads
 * {@link #pools()}, a view that always shows the current generation's pools. Thread-safe.
 */
public final class LiveConfig {
  private final AtomicReference<ConfigGeneration> current = new AtomicReference<>();
  /** The current pools; set before the first generation exists, so observers can be built before the pipeline. */
  private volatile Map<String, Pool> pools;
  private final Map<String, Pool> poolsView = new AbstractMap<>() {
    @Override
    public Set<Entry<String, Pool>> entrySet() {
      return pools.entrySet();
    }

    @Override
    public Pool get(Object key) {
      return pools.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
      return pools.containsKey(key);
    }
  };

  /** @param firstPools the pools of the config the gateway starts with (its first generation's) */
  public LiveConfig(Map<String, Pool> firstPools) {
    this.pools = Map.copyOf(firstPools);
  }

  /** The generation in force; fails before the first one is installed. */
  public ConfigGeneration current() {
    return Objects.requireNonNull(current.get(), "no configuration generation installed yet");
  }

  /** The current generation's pipeline: read once per request, when it arrives. */
  public Pipeline pipeline() {
    return current().pipeline();
  }

  /** A read-only view of the current generation's pools, model name to pool, in config order. */
  public Map<String, Pool> pools() {
    return poolsView;
  }

  /** Puts {@code next} in force: new requests use it from now on; those in flight finish on theirs. */
  public void install(ConfigGeneration next) {
    current.set(next);
    pools = next.pools();
  }
}
