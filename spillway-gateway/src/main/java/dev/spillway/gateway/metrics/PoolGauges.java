package dev.spillway.gateway.metrics;

import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.time.Ticker;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The gauges of the pools' backends ({@link BackendGauges}) and PTU stations ({@link StationGauges}), and each
 * backend's labels. The pools are a live view (a config reload replaces them): {@link #rebind} removes the meters it
 * made and makes them again over the pools in force, so added backends get theirs and removed ones lose them.
 * Thread-safe.
 */
final class PoolGauges {
  private final MeterRegistry registry;
  private final Map<String, Pool> pools;
  private final Ticker ticker;
  /** Labels of every configured backend, by backend id; replaced as a whole by {@link #rebind}. */
  private volatile Map<String, BackendLabels> labels = Map.of();
  /** The meters the last bind registered; guarded by this. */
  private List<Meter> made = List.of();

  PoolGauges(MeterRegistry registry, Map<String, Pool> pools, Ticker ticker) {
    this.registry = registry;
    this.pools = pools;
    this.ticker = ticker;
    rebind();
  }

  /** The labels of the backend with {@code id}, or null when no pool in force has it. */
  BackendLabels labels(String id) {
    return labels.get(id);
  }

  /** Makes the gauges again over the pools in force. */
  synchronized void rebind() {
    made.forEach(registry::remove);
    List<Meter> meters = new ArrayList<>();
    Map<String, BackendLabels> byId = new HashMap<>();
    for (Pool pool : pools.values()) {
      boolean poolHasPtu = pool.backends().stream().anyMatch(b -> b.config().tier() == Tier.PTU);
      for (BackendState state : pool.backends()) {
        BackendLabels l = BackendLabels.of(pool.name(), state.config(), poolHasPtu);
        byId.put(state.id(), l);
        BackendGauges.bind(registry, state, l, ticker, meters);
      }
      pool.station().ifPresent(station -> StationGauges.bind(registry, pool.name(), station, ticker, meters));
    }
    labels = Map.copyOf(byId);
    made = List.copyOf(meters);
  }
}
