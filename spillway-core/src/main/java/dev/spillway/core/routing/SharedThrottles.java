package dev.spillway.core.routing;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.Ticker;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * This replica's side of shared backend throttles: the {@link Router} hands it every 429 throttle it sets, and it
 * publishes the throttle as a {@link BackendFact} (wall-clock end) to the other replicas; a fact heard from them it
 * applies to the backend's state as if this replica had seen the 429 itself — only ever extending a throttle, never
 * shortening one, and ignoring a fact already over — and wakes the pool's PTU station so waiters re-plan.
 *
 * <p>The same goes for auth holds: a backend that refused this replica's credential even after one refresh is held out
 * for {@code routing.authHold}, and the hold is published under the backend's {@link #authName}, which carries a
 * fingerprint of the credential settings. A replica with the same credential applies it; one whose credential differs
 * (fixed by a reload, or a rollout in progress) has another name for the backend and ignores it.
 *
 * <p>Only throttles and auth holds are shared. Breaker trips, connection errors and timeouts say something about this replica's path
 * to a backend and stay here; the PTU drain model is learned from this replica's own sends and is not touched by a
 * fact (a foreign refusal in the middle of its measurements would skew the rate it learns).
 *
 * <p>A throttle that does not reach past what this replica already published or heard for the backend is not
 * published again, so a PTU answering 429 to many requests at once costs one message, not one per request.
 *
 * <p>Thread-safe: called from every event loop; the state it changes is the backends' atomics and the station's lock.
 */
public final class SharedThrottles implements Consumer<BackendFact> {

  private record Target(Pool pool, BackendState backend) {}

  /** This replica's pools, by model: a live view where the config is reloaded. */
  private final Map<String, Pool> pools;
  /** The backends of {@link #pools} by shared name and id, made anew when the pools are not those it was made from. */
  private volatile Index index = new Index(List.of(), Map.of(), Map.of(), Map.of());
  private final Ticker ticker;
  private final Clock clock;
  private final long maxHoldNanos;
  /** {@code routing.authHold}: how long a heard auth hold may hold a backend out from now; 0 ignores them. */
  private final long maxAuthHoldNanos;
  /** Per backend's shared name: the latest end (epoch ms) published or heard, so a throttle inside it is not sent again. */
  private final Map<String, AtomicLong> sharedUntil = new ConcurrentHashMap<>();
  private final LongAdder published = new LongAdder();
  private final LongAdder applied = new LongAdder();
  private final LongAdder authPublished = new LongAdder();
  private final LongAdder authApplied = new LongAdder();
  private volatile SharedBackendFacts facts = SharedBackendFacts.NONE;

  /**
   * @param pools this replica's pools, by model; may be a live view (a config reload replaces pools), read again when its
   *     pools change
   * @param ticker the routing ticker (what backend states are read with)
   * @param clock wall clock, for the facts' ends
   * @param maxHold the longest a heard fact may hold a backend out from now ({@code routing.maxRetryAfter}, what caps
   *     any 429 here): a replica whose clock runs ahead, or a damaged key, cannot shut a backend out for longer
   */
  public SharedThrottles(Map<String, Pool> pools, Ticker ticker, Clock clock, Duration maxHold) {
    this(pools, ticker, clock, maxHold, Duration.ZERO);
  }

  /**
   * @param authHold {@code routing.authHold}: the longest a heard auth hold may hold a backend out from now; zero
   *     ignores heard auth holds (this replica does not hold backends for their credential either)
   */
  public SharedThrottles(Map<String, Pool> pools, Ticker ticker, Clock clock, Duration maxHold, Duration authHold) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxHoldNanos = maxHold.toNanos();
    this.maxAuthHoldNanos = authHold.toNanos();
    this.pools = Objects.requireNonNull(pools, "pools");
  }

  /** The index of the pools in force: the last one made while the pools are the same objects. */
  private Index index() {
    Index known = index;
    List<Pool> now = List.copyOf(pools.values());
    if (known.pools().equals(now)) {
      return known;
    }
    Map<String, Target> targets = new HashMap<>();
    Map<String, Target> byAuth = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    for (Pool pool : now) {
      for (BackendState b : pool.backends()) {
        String name = sharedName(b.config());
        targets.put(name, new Target(pool, b));
        byAuth.put(authName(b.config()), new Target(pool, b));
        names.put(b.id(), name);
      }
    }
    Index made = new Index(now, Map.copyOf(targets), Map.copyOf(names), Map.copyOf(byAuth));
    index = made;
    return made;
  }

  /**
   * @param pools the pools indexed (compared by identity: {@link Pool} keeps {@code Object}'s equality)
   * @param byName each backend by its shared name
   * @param nameById each backend's shared name by id (ids are unique across models)
   * @param byAuthName each backend by its {@link #authName}
   */
  private record Index(List<Pool> pools, Map<String, Target> byName, Map<String, String> nameById,
      Map<String, Target> byAuthName) {}

  /** Nothing shared: the router's throttles stay on this replica (until {@link #connect} is called). */
  public static SharedThrottles local() {
    return new SharedThrottles(Map.of(), Ticker.systemTicker(), Clock.systemUTC(), Duration.ZERO);
  }

  /**
   * Where facts go from now on (the shared store joined with this object as its listener). Set once, at start; until
   * then nothing is published.
   */
  public void connect(SharedBackendFacts facts) {
    this.facts = Objects.requireNonNull(facts, "facts");
  }

  /**
   * The router throttled {@code backend} for {@code throttleMillis} from now (a 429): tells the other replicas, unless that end is already known to them.
   */
  void throttled(BackendState backend, long throttleMillis) {
    if (facts == SharedBackendFacts.NONE || throttleMillis <= 0) {
      return;
    }
    long until = clock.millis() + throttleMillis;
    String name = index().nameById().get(backend.id());
    if (name == null) {
      name = sharedName(backend.config()); // a pool this replica's config did not list (tools, tests)
    }
    long before = sharedUntil.computeIfAbsent(name, n -> new AtomicLong(Long.MIN_VALUE)).getAndAccumulate(until, Math::max);
    if (until > before) {
      published.increment();
      facts.publish(BackendFact.throttled(name, until));
    }
  }

  /**
   * The router held {@code backend} out for {@code holdMillis} from now for refusing the credential: tells the other
   * replicas (under its {@link #authName}), unless that end is already known to them.
   */
  void unauthorized(BackendState backend, long holdMillis) {
    if (facts == SharedBackendFacts.NONE || holdMillis <= 0) {
      return;
    }
    long until = clock.millis() + holdMillis;
    String name = authName(backend.config()); // computed from the state's own config: the credential it was refused
    long before = sharedUntil.computeIfAbsent(name, n -> new AtomicLong(Long.MIN_VALUE)).getAndAccumulate(until, Math::max);
    if (until > before) {
      authPublished.increment();
      facts.publish(BackendFact.unauthorized(name, until));
    }
  }

  /** A fact heard from the shared store: applied to its backend when this replica has it and the fact still holds. */
  @Override
  public void accept(BackendFact fact) {
    boolean auth = fact.kind() == BackendFact.Kind.UNAUTHORIZED;
    Target target = (auth ? index().byAuthName() : index().byName()).get(fact.backend());
    if (target == null || (auth && maxAuthHoldNanos <= 0)) {
      // A deployment (or, for an auth hold, a credential) this replica's config does not have: a config being rolled
      // out, a fixed credential; or auth holds are off here.
      return;
    }
    long nowNanos = ticker.read();
    var until = fact.untilNanos(nowNanos, clock.millis());
    if (until.isEmpty()) {
      return;
    }
    sharedUntil.computeIfAbsent(fact.backend(), n -> new AtomicLong(Long.MIN_VALUE))
        .accumulateAndGet(fact.untilEpochMillis(), Math::max);
    if (auth) {
      authApplied.increment();
      target.backend().holdForAuth(Math.min(until.getAsLong(), nowNanos + maxAuthHoldNanos));
    } else {
      applied.increment();
      target.backend().throttleUntil(Math.min(until.getAsLong(), nowNanos + maxHoldNanos));
    }
    Station station = target.pool().stationOrNull();
    if (station != null && target.backend().config().tier() == Tier.PTU) {
      station.backendChanged(nowNanos);
    }
  }

  /**
   * The name a backend's throttles go by: its id, {@code @}, and the first 12 hex digits of the SHA-256 of its type, URL
   * and deployment. Replicas with one config agree on it; two gateways (or tests) that share a Redis and give the
   * same id to different deployments do not, so a throttle of one is never applied to the other.
   */
  public static String sharedName(BackendConfig backend) {
    return BackendNames.shared(backend);
  }

  /**
   * The name a backend's auth holds go by: its {@link #sharedName}, {@code ~}, and a one-way fingerprint of its
   * credential settings (never a secret; see {@link BackendNames}).
   */
  public static String authName(BackendConfig backend) {
    return BackendNames.auth(backend);
  }

  /** Facts this replica published since start. */
  public long published() {
    return published.sum();
  }

  /** Facts heard and applied (its backend known here, not yet over) since start; its own heard back included. */
  public long applied() {
    return applied.sum();
  }

  /** Auth holds this replica published since start. */
  public long authHoldsPublished() {
    return authPublished.sum();
  }

  /** Auth holds heard and applied since start (its backend and credential known here, not yet over). */
  public long authHoldsApplied() {
    return authApplied.sum();
  }

  /** Stops sharing: the store connection closes; throttles already applied stay. */
  public void close() {
    SharedBackendFacts f = facts;
    facts = SharedBackendFacts.NONE;
    f.close();
  }
}
