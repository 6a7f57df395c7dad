package dev.spillway.gateway.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.events.RequestOutcome;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The live dashboard's memory: what the gateway did in each of the last {@link #WINDOW_SECONDS}
 * seconds (requests by status, tokens by model and tier, by backend and by consumer, latency and
 * time-to-first-token histograms, limit rejections, the PTU utilization backends reported), in a
 * ring of one slot per second that is overwritten as time goes round. Memory is bounded (two
 * histograms of about 1 KB per second, at most 64 consumers per second); it does not grow with
 * traffic.
 *
 * <p>Why its own ring and not the demo's {@code LiveStats} or Micrometer: the dashboard needs
 * time series and percentiles over sliding windows ("p95 of the last minute"), which cumulative
 * counters and a latency reservoir cannot give.
 *
 * <p>Thread-safe. Listener calls come from every event loop and take the monitor for a few map
 * updates; {@link #snapshot} takes it once per poll, for a few milliseconds at most. Time comes
 * from the injected {@link Ticker} (the gateway's), so tests move it by hand.
 */
public final class DashboardStats implements GatewayListener {
  /** How far back the series reach. */
  public static final int WINDOW_SECONDS = 600;

  private final Map<String, Pool> pools;
  private final Ticker ticker;
  private final long startNanos;
  private final String version;
  private final SecondSlot[] ring = new SecondSlot[WINDOW_SECONDS];
  private volatile SpendView spend;
  private volatile dev.spillway.gateway.guard.SafetyMonitor safety;
  private volatile dev.spillway.core.config.CostsConfig costs = dev.spillway.core.config.CostsConfig.NONE;

  /**
   * @param pools the gateway's pools, read for each backend's current state (the gateway's live view: a config reload
   *     changes them)
   * @param ticker the gateway's ticker; the dashboard's time starts at its reading now
   * @param version shown on the page
   */
  public DashboardStats(Map<String, Pool> pools, Ticker ticker, String version) {
    this.pools = java.util.Collections.unmodifiableMap(pools);
    this.ticker = ticker;
    this.version = version;
    this.startNanos = ticker.read();
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      ring[i] = new SecondSlot();
    }
  }

  /** The version in the jar's manifest, or {@code development build}. */
  public static String gatewayVersion() {
    String version = DashboardStats.class.getPackage().getImplementationVersion();
    return version == null ? "development build" : version;
  }

  /** The backend's reported utilization is sampled after each attempt, which is when it changes. */
  @Override
  public void onAttempt(AttemptOutcome attempt) {
    BackendState state = state(attempt.model(), attempt.backend().id());
    if (state == null) {
      return;
    }
    OptionalDouble utilization = state.lastUtilizationPercent();
    if (utilization.isEmpty()) {
      return;
    }
    synchronized (this) {
      slot(second(ticker.read())).reportedUtilizationByBackend.put(attempt.backend().id(), utilization.getAsDouble());
    }
  }

  @Override
  public void onRequest(RequestOutcome request) {
    long tokens = request.usage().map(u -> u.totalTokens()).orElse(0L);
    java.util.Optional<String> limit = request.refusal().flatMap(RequestOutcome.Refusal::limit);
    synchronized (this) {
      SecondSlot slot = slot(second(ticker.read()));
      slot.requestsByStatus.merge(request.status(), 1L, Long::sum);
      request.backend().ifPresent(
          b -> {
            slot.latency.add(request.durationNanos());
            request.timeToFirstTokenNanos().ifPresent(slot.timeToFirstToken::add);
            if (tokens > 0) {
              slot.tokensByModelTier.merge(request.model().orElse("-") + " " + b.tier().id(), tokens, Long::sum);
              slot.tokensByBackend.merge(b.id(), tokens, Long::sum);
            }
          });
      String consumer = request.caller().consumer();
      if (!consumer.isEmpty() && request.backend().isPresent()) {
        SecondSlot.ConsumerTally tally = slot.consumer(consumer, request.caller().team());
        tally.tokens += tokens;
        tally.requests++;
      }
      limit.ifPresent(l -> slot.rejected(consumer.isEmpty() ? "-" : consumer, l));
      dev.spillway.core.cache.CacheStatus.Outcome cache = request.cache();
      slot.cache.byStatus[cache.status().ordinal()]++;
      slot.safety.add(request.safety());
      cache.saved().ifPresent(u -> {
        long[] sum = slot.cache.savedByModel.computeIfAbsent(request.model().orElse("-"), m -> new long[2]);
        sum[0] += u.promptTokens();
        sum[1] += u.completionTokens();
      });
    }
  }

  /** The dashboard's data now: see {@link StatsSnapshot} for its shape. */
  public ObjectNode snapshot() {
    long now = ticker.read();
    synchronized (this) {
      return new StatsSnapshot(this, now).toJson();
    }
  }

  // ---- for StatsSnapshot, under the monitor ----

  long second(long nowNanos) {
    return Math.max(0, (nowNanos - startNanos) / 1_000_000_000L);
  }

  long uptimeSeconds(long nowNanos) {
    return second(nowNanos);
  }

  String version() {
    return version;
  }

  /** The slot of {@code second}, reset when it still holds an older second. */
  private SecondSlot slot(long second) {
    SecondSlot s = ring[(int) (second % WINDOW_SECONDS)];
    if (s.second != second) {
      s.reset(second);
    }
    return s;
  }

  /** The slot of {@code second} if it holds that second, else null (nothing happened then, or it is too old). */
  SecondSlot existing(long second) {
    if (second < 0) {
      return null;
    }
    SecondSlot s = ring[(int) (second % WINDOW_SECONDS)];
    return s.second == second ? s : null;
  }

  /** Shows PAYG spend against every configured budget ({@code paygBudgets} in the stats). */
  public DashboardStats showSpend(dev.spillway.core.spend.SpendBook book, java.time.Clock clock) {
    this.spend = new SpendView(book, clock);
    return this;
  }

  /** Shows the end users the abuse monitoring scores highest in the safety panel. */
  public DashboardStats showSafety(dev.spillway.gateway.guard.SafetyMonitor monitor) {
    this.safety = monitor;
    return this;
  }

  dev.spillway.gateway.guard.SafetyMonitor safety() {
    return safety;
  }

  /** Prices the cache panel's saved tokens at {@code costs}' PAYG prices. */
  public DashboardStats priceCacheSavings(dev.spillway.core.config.CostsConfig value) {
    this.costs = value;
    return this;
  }

  dev.spillway.core.config.CostsConfig costs() {
    return costs;
  }

  SpendView spend() {
    return spend;
  }

  Map<String, Pool> pools() {
    return pools;
  }

  /** Every backend of the pools now, by id, in config order. */
  Map<String, BackendConfig> backendsById() {
    Map<String, BackendConfig> byId = new LinkedHashMap<>();
    pools.values().forEach(pool -> pool.backends().forEach(b -> byId.put(b.id(), b.config())));
    return byId;
  }

  /** The backend's state in the pools now; null once a config reload removed it. */
  private BackendState state(String model, String backendId) {
    Pool pool = pools.get(model);
    if (pool != null) {
      return pool.backend(backendId).orElse(null);
    }
    for (Pool any : pools.values()) {
      java.util.Optional<BackendState> b = any.backend(backendId);
      if (b.isPresent()) {
        return b.get();
      }
    }
    return null;
  }
}
