package dev.spillway.core.routing;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BreakerConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.config.PtuStation;
import dev.spillway.core.config.RoutingStrategy;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.strategy.SelectionStrategy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backends serving one logical model, with their live state, the selection strategy of each
 * group, the PTU waiters and the session pins. Thread-safe.
 */
public final class Pool {
  private final ModelConfig model;
  private final BreakerConfig breakerConfig;
  private final List<BackendState> backends;
  private final boolean hasPtu;
  private final Map<Integer, SelectionStrategy> strategyByPriority = new HashMap<>();
  private final SelectionStrategy flatStrategy;
  private final AtomicInteger ptuWaiters = new AtomicInteger();
  private final SessionPins pins = new SessionPins(100_000);
  private final Station station;

  public Pool(ModelConfig model, BreakerConfig breaker) {
    this(model, breaker, Optional.empty());
  }

  /**
   * The pool of {@code model} after a config reload, carrying over the live state of every backend that stays: a
   * backend of {@code previous} that is the {@linkplain #sameDeployment same deployment} shares its throttle, breaker,
   * in-flight count, latency, reports and drain model with the new pool's backend (see {@link BackendState}); a new
   * backend starts fresh; a removed one is left to the requests still using {@code previous}. Breakers are kept only
   * when {@code breaker} equals the settings {@code previous} was made with. The PTU station, its queue and the session
   * pins start afresh (pins shared through {@link SharedSessionPins} are read back as their sessions come): requests
   * already waiting finish on {@code previous}'s station.
   *
   * @param previous the pool of the same logical model before the reload
   */
  public static Pool reconfigured(ModelConfig model, BreakerConfig breaker, Pool previous) {
    return new Pool(model, breaker, Optional.of(previous));
  }

  /**
   * Whether {@code next} names the same deployment as {@code previous}, so that what the gateway learnt of it still
   * holds: the same id, dialect, URL and deployment name. Any other change (weight, priority, tier, capacity, timeouts,
   * credentials, api-version, region) keeps the state.
   */
  public static boolean sameDeployment(BackendConfig previous, BackendConfig next) {
    return previous.id().equals(next.id()) && previous.type() == next.type() && previous.url().equals(next.url())
        && previous.deployment().equals(next.deployment());
  }

  private Pool(ModelConfig model, BreakerConfig breaker, Optional<Pool> previous) {
    this.model = model;
    this.breakerConfig = breaker;
    boolean keepBreakers = previous.map(p -> p.breakerConfig.equals(breaker)).orElse(false);
    List<BackendState> states = new ArrayList<>(model.backends().size());
    boolean ptu = false;
    for (BackendConfig backend : model.backends()) {
      int index = states.size();
      Optional<BackendState> kept =
          previous.flatMap(p -> p.backend(backend.id())).filter(old -> sameDeployment(old.config(), backend));
      states.add(kept.map(old -> new BackendState(backend, index, old, breaker, keepBreakers))
          .orElseGet(() -> new BackendState(backend, index, breaker)));
      ptu |= backend.tier() == Tier.PTU;
      strategyByPriority.computeIfAbsent(backend.priority(), p -> SelectionStrategy.of(model.groupStrategy()));
    }
    this.backends = List.copyOf(states);
    this.hasPtu = ptu;
    this.flatStrategy =
        model.strategy() == RoutingStrategy.PRIORITY ? null : SelectionStrategy.of(model.strategy());
    this.station = ptu && model.ptuStation().mode() == PtuStation.Mode.STATION ? new Station(this, model.ptuStation()) : null;
  }

  /** The PTU station, when the pool has PTU backends and waits by the station's rule. */
  public Optional<Station> station() {
    return Optional.ofNullable(station);
  }

  Station stationOrNull() {
    return station;
  }

  /** A pool with the default breaker, for tests and tools. */
  public Pool(ModelConfig model) {
    this(model, BreakerConfig.DEFAULTS);
  }

  public ModelConfig model() {
    return model;
  }

  /** The breaker settings every backend of this pool got, and the pool's cap on what they may hold out. */
  public BreakerConfig breakerConfig() {
    return breakerConfig;
  }

  public String name() {
    return model.name();
  }

  /** In config order. */
  public List<BackendState> backends() {
    return backends;
  }

  public Optional<BackendState> backend(String id) {
    for (BackendState b : backends) {
      if (b.id().equals(id)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }

  boolean hasPtu() {
    return hasPtu;
  }

  /** The strategy that picks inside the group of {@code priority} (or across the pool). */
  SelectionStrategy strategyFor(int priority) {
    return flatStrategy != null ? flatStrategy : strategyByPriority.get(priority);
  }

  /**
   * A fresh attempt cycle for one client request.
   *
   * @param deadlineNanos ticker reading after which no further attempt or wait is started
   * @param estimatedCostTokens the request's estimated tokens (prompt + expected output), for
   *     predictive spill; 0 when unknown
   * @param affinityKey the session key, when the model has session affinity and the request carries one
   * @param priority the caller's class, for the PTU station
   */
  public AttemptCycle newCycle(
      long deadlineNanos, long estimatedCostTokens, Optional<String> affinityKey, PriorityClass priority) {
    return new AttemptCycle(backends.size(), deadlineNanos, estimatedCostTokens, affinityKey, priority);
  }

  /** A standard request's cycle. */
  public AttemptCycle newCycle(long deadlineNanos, long estimatedCostTokens, Optional<String> affinityKey) {
    return newCycle(deadlineNanos, estimatedCostTokens, affinityKey, PriorityClass.STANDARD);
  }

  /** A cycle without deadline, cost or session: for tests. */
  public AttemptCycle newCycle() {
    return newCycle(Long.MAX_VALUE, 0, Optional.empty());
  }

  /** Requests of this model currently waiting for a PTU backend. */
  public int ptuWaiters() {
    return station != null ? station.waiting() : ptuWaiters.get();
  }

  boolean tryEnterWait() {
    while (true) {
      int n = ptuWaiters.get();
      if (n >= model.maxPtuWaiters()) {
        return false;
      }
      if (ptuWaiters.compareAndSet(n, n + 1)) {
        return true;
      }
    }
  }

  void leaveWait() {
    ptuWaiters.decrementAndGet();
  }

  Optional<BackendState> pinned(String sessionKey) {
    Integer index = pins.get(sessionKey);
    return index == null ? Optional.empty() : Optional.of(backends.get(index));
  }

  /** Pins {@code sessionKey} to {@code backend}: later requests of the session go there while it is available. */
  public void pin(String sessionKey, BackendState backend) {
    pins.put(sessionKey, backend.poolIndex());
  }
}
