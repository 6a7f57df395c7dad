package dev.spillway.core.routing;

import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.station.DrainEstimate;
import dev.spillway.core.routing.station.DrainRateStore;
import dev.spillway.core.routing.station.DrainSharing;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * This replica's side of shared PTU drain rates: on each {@link #tick} it publishes the rates its PTU backends'
 * drain models learned (when they changed materially, or to say it is still there), and gives a backend whose model
 * has no rate yet — the replica just started, or a reload added the deployment — a seed from the rates the other
 * replicas published. The rules, and why the shared quantity is each replica's share of the drain, are in {@link
 * DrainSharing}.
 *
 * <p>Nothing here is on a request's path: the edge calls {@link #tick} from a timer about once a second, the store's
 * answers arrive asynchronously, and a seed is one atomic update of the backend's drain model. A store that is out
 * reads as empty, so the replica learns alone, as it would without sharing.
 *
 * <p>Thread-safe.
 */
public final class SharedDrainRates implements AutoCloseable {
  private final Map<String, Pool> pools;
  private final DrainRateStore store;
  private final Clock clock;
  private final String replicaId;
  /** What this replica last published, by backend's shared name. */
  private final Map<String, DrainEstimate> lastPublished = new ConcurrentHashMap<>();
  /** Backends whose store read is in flight, so a slow store is not asked again meanwhile. */
  private final Set<String> reading = ConcurrentHashMap.newKeySet();
  private final LongAdder published = new LongAdder();
  private final LongAdder seeded = new LongAdder();

  /**
   * @param pools this replica's pools, by model; may be a live view that a config reload changes
   * @param store where rates are shared
   * @param clock wall clock: the estimates' times
   */
  public SharedDrainRates(Map<String, Pool> pools, DrainRateStore store, Clock clock) {
    this.pools = Objects.requireNonNull(pools, "pools");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.replicaId = UUID.randomUUID().toString();
  }

  /** Nothing shared. */
  public static SharedDrainRates local() {
    return new SharedDrainRates(Map.of(), DrainRateStore.NONE, Clock.systemUTC());
  }

  /** True when rates are shared with other replicas. */
  public boolean shared() {
    return store != DrainRateStore.NONE;
  }

  /** Publishes what changed and seeds cold models; returns at once (reads complete later). */
  public void tick() {
    if (!shared()) {
      return;
    }
    long now = clock.millis();
    Map<String, List<BackendState>> byName = new LinkedHashMap<>();
    for (Pool pool : pools.values()) {
      for (BackendState b : pool.backends()) {
        if (b.config().tier() == Tier.PTU) {
          byName.computeIfAbsent(SharedThrottles.sharedName(b.config()), n -> new ArrayList<>()).add(b);
        }
      }
    }
    byName.forEach((name, states) -> share(name, states, now));
  }

  /**
   * One deployment: its first state's learned rate is published (one deployment named in two models has a model in
   * each; they learn alike), and every state of it without a rate is seeded.
   */
  private void share(String name, List<BackendState> states, long now) {
    Optional<DrainEstimate> next =
        DrainSharing.toPublish(states.get(0).drainModel(), Optional.ofNullable(lastPublished.get(name)), now);
    if (next.isPresent()) {
      lastPublished.put(name, next.get());
      published.increment();
      store.publish(name, replicaId, next.get());
    }
    if (states.stream().allMatch(b -> b.drainModel().hasRate()) || !reading.add(name)) {
      return;
    }
    store.read(name).whenComplete((estimates, error) -> {
      reading.remove(name);
      if (estimates == null) {
        return;
      }
      DrainSharing.seedTokensPerNano(estimates, replicaId, clock.millis()).ifPresent(rate -> {
        for (BackendState b : states) {
          if (b.drainSeeded(rate)) {
            seeded.increment();
          }
        }
      });
    });
  }

  /** This replica's id in the store: random per start, so a restarted replica is a new one. */
  public String replicaId() {
    return replicaId;
  }

  /** Estimates this replica published since start. */
  public long published() {
    return published.sum();
  }

  /** Cold drain models seeded from other replicas' estimates since start. */
  public long seeded() {
    return seeded.sum();
  }

  @Override
  public void close() {
    store.close();
  }
}
