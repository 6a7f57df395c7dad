package dev.spillway.gateway.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.routing.breaker.BreakerState;
import dev.spillway.gateway.http.Json;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One answer of {@code GET /dashboard/api/stats}, computed from {@link DashboardStats}'s ring under
 * its monitor. Series cover the last {@code points} complete seconds, oldest first, one value per
 * second ({@code null} where there is nothing to show):
 *
 * <ul>
 *   <li>{@code requests}: requests finished in that second, by status code;
 *   <li>{@code tokensPerMinute}: tokens by {@code "model tier"}, averaged over the trailing 10 s;
 *   <li>{@code latencyMs}, {@code ttftMs}: p50/p95/p99 over the trailing 10 s;
 *   <li>{@code ptuUtilization}: per PTU backend, the percentage it last reported (within 15 s), else
 *       what was sent in the trailing minute over its declared tokens per minute;
 *   <li>{@code limitRejections}: requests refused by a consumer's limit;
 *   <li>{@code cache.series}: cacheable requests by what the response cache did ({@link CacheView}).
 *   <li>{@code safety.series}: requests a guard blocked, masked or logged, by category, and the top flagged end users
 *       ({@link SafetyView}).
 * </ul>
 *
 * {@code current} holds the headline numbers, {@code topConsumers} and {@code rejections} the
 * whole window, {@code backends} every backend's state now, {@code stations} each PTU station ({@link
 * StationView}) and {@code paygBudgets} PAYG spend against each budget ({@link SpendView}). Not thread-safe; used once.
 */
final class StatsSnapshot {
  private static final int RATE_SECONDS = 10;
  private static final int CURRENT_SECONDS = 60;
  private static final int UTILIZATION_FRESH_SECONDS = 15;
  private static final int TOP = 8;

  private final DashboardStats stats;
  private final long nowNanos;
  private final long nowSecond;
  private final long first;
  private final long last;
  private final int points;

  StatsSnapshot(DashboardStats stats, long nowNanos) {
    this.stats = stats;
    this.nowNanos = nowNanos;
    this.nowSecond = stats.second(nowNanos);
    this.points = (int) Math.min(DashboardStats.WINDOW_SECONDS - 1, nowSecond);
    this.last = nowSecond - 1;
    this.first = nowSecond - points;
  }

  ObjectNode toJson() {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", stats.version());
    root.put("uptimeSeconds", stats.uptimeSeconds(nowNanos));
    root.put("windowSeconds", DashboardStats.WINDOW_SECONDS);
    root.put("points", points);
    requests(root.putObject("requests"));
    tokensPerMinute(root.putObject("tokensPerMinute"));
    percentiles(root.putObject("latencyMs"), false);
    percentiles(root.putObject("ttftMs"), true);
    ptuUtilization(root.putObject("ptuUtilization"));
    limitRejections(root.putArray("limitRejections"));
    current(root.putObject("current"));
    topConsumers(root.putArray("topConsumers"));
    rejections(root.putArray("rejections"));
    backends(root.putArray("backends"));
    CacheView.write(root.putObject("cache"), stats, first, last, nowSecond - DashboardStats.WINDOW_SECONDS + 1, nowSecond,
        stats.costs());
    SafetyView.write(root.putObject("safety"), stats, first, last, nowSecond - DashboardStats.WINDOW_SECONDS + 1,
        nowSecond, stats.safety());
    StationView.write(root.putArray("stations"), stats.pools(), nowNanos);
    ArrayNode budgets = root.putArray("paygBudgets");
    if (stats.spend() != null) {
      stats.spend().write(budgets);
    }
    return root;
  }

  private void requests(ObjectNode out) {
    TreeSet<Integer> codes = new TreeSet<>();
    forEachSlot(first, last, s -> codes.addAll(s.requestsByStatus.keySet()));
    for (int code : codes) {
      ArrayNode series = out.putArray(Integer.toString(code));
      for (long t = first; t <= last; t++) {
        SecondSlot s = stats.existing(t);
        series.add(s == null ? 0 : s.requestsByStatus.getOrDefault(code, 0L));
      }
    }
  }

  private void tokensPerMinute(ObjectNode out) {
    TreeSet<String> keys = new TreeSet<>();
    forEachSlot(first - RATE_SECONDS + 1, last, s -> keys.addAll(s.tokensByModelTier.keySet()));
    for (String key : keys) {
      ArrayNode series = out.putArray(key);
      long start = first - RATE_SECONDS + 1;
      long sum = 0;
      for (long t = start; t <= last; t++) {
        sum += tokensAt(t, key);
        if (t - RATE_SECONDS >= start) {
          sum -= tokensAt(t - RATE_SECONDS, key);
        }
        if (t >= first) {
          long seconds = Math.min(RATE_SECONDS, t + 1);
          series.add(Math.round(sum * 60.0 / seconds));
        }
      }
    }
  }

  private long tokensAt(long t, String modelTier) {
    SecondSlot s = stats.existing(t);
    return s == null ? 0 : s.tokensByModelTier.getOrDefault(modelTier, 0L);
  }

  private void percentiles(ObjectNode out, boolean ttft) {
    ArrayNode p50 = out.putArray("p50");
    ArrayNode p95 = out.putArray("p95");
    ArrayNode p99 = out.putArray("p99");
    // A sliding window: each second is added once and removed once, ten seconds later.
    LatencyHistogram window = new LatencyHistogram();
    long start = first - RATE_SECONDS + 1;
    for (long t = start; t <= last; t++) {
      SecondSlot in = stats.existing(t);
      if (in != null) {
        window.addAll(ttft ? in.timeToFirstToken : in.latency);
      }
      SecondSlot leaving = t - RATE_SECONDS >= start ? stats.existing(t - RATE_SECONDS) : null;
      if (leaving != null) {
        window.removeAll(ttft ? leaving.timeToFirstToken : leaving.latency);
      }
      if (t >= first) {
        addRounded(p50, window.quantileMillis(0.50));
        addRounded(p95, window.quantileMillis(0.95));
        addRounded(p99, window.quantileMillis(0.99));
      }
    }
  }

  private void ptuUtilization(ObjectNode out) {
    for (Map.Entry<String, BackendConfig> e : stats.backendsById().entrySet()) {
      if (e.getValue().tier() == Tier.PTU) {
        ArrayNode series = out.putArray(e.getKey());
        for (long t = first; t <= last; t++) {
          addRounded(series, utilizationAt(e.getKey(), e.getValue(), t));
        }
      }
    }
  }

  /** Reported utilization within the last 15 s of {@code t}, else sent tokens over declared capacity, else NaN. */
  private double utilizationAt(String backendId, BackendConfig backend, long t) {
    for (long u = t; u > t - UTILIZATION_FRESH_SECONDS; u--) {
      SecondSlot s = stats.existing(u);
      if (s != null && s.reportedUtilizationByBackend.containsKey(backendId)) {
        return s.reportedUtilizationByBackend.get(backendId);
      }
    }
    if (backend.capacity().tokensPerMinute().isPresent()) {
      long tpm = backend.capacity().tokensPerMinute().getAsLong();
      long[] sent = {0};
      forEachSlot(t - CURRENT_SECONDS + 1, t, s -> sent[0] += s.tokensByBackend.getOrDefault(backendId, 0L));
      return tpm <= 0 ? Double.NaN : 100.0 * sent[0] / tpm;
    }
    return Double.NaN;
  }

  private void limitRejections(ArrayNode out) {
    for (long t = first; t <= last; t++) {
      SecondSlot s = stats.existing(t);
      out.add(s == null ? 0 : s.limitRejections.values().stream().mapToLong(Long::longValue).sum());
    }
  }

  private void current(ObjectNode out) {
    long[] requests = {0};
    forEachSlot(nowSecond - RATE_SECONDS, nowSecond - 1, s -> s.requestsByStatus.values().forEach(n -> requests[0] += n));
    long rateSeconds = Math.max(1, Math.min(RATE_SECONDS, nowSecond));
    out.put("requestsPerSecond", Math.round(10.0 * requests[0] / rateSeconds) / 10.0);
    long[] tokens = {0};
    forEachSlot(nowSecond - CURRENT_SECONDS, nowSecond - 1, s -> s.tokensByModelTier.values().forEach(n -> tokens[0] += n));
    out.put("tokensLastMinute", tokens[0]);
    LatencyHistogram latency = new LatencyHistogram();
    LatencyHistogram ttft = new LatencyHistogram();
    forEachSlot(nowSecond - CURRENT_SECONDS + 1, nowSecond, s -> {
      latency.addAll(s.latency);
      ttft.addAll(s.timeToFirstToken);
    });
    quantiles(out.putObject("latencyMs"), latency);
    quantiles(out.putObject("ttftMs"), ttft);
    Map<Integer, Long> byStatus = new TreeMap<>();
    long[] rejected = {0};
    forEachSlot(nowSecond - DashboardStats.WINDOW_SECONDS + 1, nowSecond, s -> {
      s.requestsByStatus.forEach((code, n) -> byStatus.merge(code, n, Long::sum));
      s.limitRejections.values().forEach(n -> rejected[0] += n);
    });
    ObjectNode statuses = out.putObject("requestsByStatus");
    byStatus.forEach((code, n) -> statuses.put(Integer.toString(code), n));
    out.put("limitRejections", rejected[0]);
  }

  private static void quantiles(ObjectNode out, LatencyHistogram h) {
    out.put("count", h.count());
    putRounded(out, "p50", h.quantileMillis(0.50));
    putRounded(out, "p95", h.quantileMillis(0.95));
    putRounded(out, "p99", h.quantileMillis(0.99));
  }

  private void topConsumers(ArrayNode out) {
    Map<String, SecondSlot.ConsumerTally> all = new HashMap<>();
    forEachSlot(nowSecond - DashboardStats.WINDOW_SECONDS + 1, nowSecond, s -> s.consumers.forEach((id, c) -> {
      SecondSlot.ConsumerTally sum = all.computeIfAbsent(id, k -> new SecondSlot.ConsumerTally());
      sum.team = c.team;
      sum.tokens += c.tokens;
      sum.requests += c.requests;
    }));
    all.entrySet().stream()
        .sorted(Comparator.comparingLong((Map.Entry<String, SecondSlot.ConsumerTally> e) -> e.getValue().tokens).reversed()
            .thenComparing(Map.Entry::getKey))
        .limit(TOP)
        .forEach(e -> out.addObject()
            .put("consumer", e.getKey())
            .put("team", e.getValue().team)
            .put("tokens", e.getValue().tokens)
            .put("requests", e.getValue().requests));
  }

  private void rejections(ArrayNode out) {
    Map<String, Long> all = new HashMap<>();
    forEachSlot(nowSecond - DashboardStats.WINDOW_SECONDS + 1, nowSecond,
        s -> s.limitRejections.forEach((k, n) -> all.merge(k, n, Long::sum)));
    all.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry::getKey))
        .limit(TOP)
        .forEach(e -> {
          int nul = e.getKey().indexOf('\0');
          out.addObject()
              .put("consumer", e.getKey().substring(0, nul))
              .put("limit", e.getKey().substring(nul + 1))
              .put("count", e.getValue());
        });
  }

  private void backends(ArrayNode out) {
    for (Pool pool : stats.pools().values()) {
      for (BackendState b : pool.backends()) {
        BackendConfig c = b.config();
        BreakerState breaker = b.breaker().state(nowNanos);
        boolean throttled = b.isThrottled(nowNanos);
        long[] tokens = {0};
        forEachSlot(nowSecond - CURRENT_SECONDS, nowSecond - 1, s -> tokens[0] += s.tokensByBackend.getOrDefault(b.id(), 0L));
        ObjectNode row = out.addObject()
            .put("id", b.id())
            .put("model", pool.name())
            .put("tier", c.tier().id())
            .put("region", c.region())
            .put("state", state(breaker, throttled))
            .put("label", BackendStatus.describe(b, nowNanos))
            .put("breaker", breaker.name().toLowerCase(java.util.Locale.ROOT))
            .put("throttledForMs", throttled ? b.nanosUntilAvailable(nowNanos) / 1_000_000 : 0)
            .put("inFlight", b.inFlight())
            .put("tokensLastMinute", tokens[0]);
        if (c.tier() == Tier.PTU) {
          putRounded(row, "utilizationPercent", utilizationAt(b.id(), c, nowSecond)); // now: the current second counts
        }
        b.lastRemainingTokens().ifPresent(r -> row.put("remainingTokens", r));
      }
    }
  }

  private static String state(BreakerState breaker, boolean throttled) {
    return switch (breaker) {
      case FORCED_OPEN -> "forced_open";
      case OPEN -> "open";
      case HALF_OPEN -> "half_open";
      case CLOSED, DISABLED -> throttled ? "throttled" : "available";
    };
  }

  private void forEachSlot(long from, long to, java.util.function.Consumer<SecondSlot> action) {
    for (long t = Math.max(0, from); t <= to; t++) {
      SecondSlot s = stats.existing(t);
      if (s != null) {
        action.accept(s);
      }
    }
  }

  /** One decimal, or null for NaN. */
  private static void addRounded(ArrayNode series, double millis) {
    if (Double.isNaN(millis)) {
      series.addNull();
    } else {
      series.add(Math.round(millis * 10) / 10.0);
    }
  }

  private static void putRounded(ObjectNode out, String field, double millis) {
    if (Double.isNaN(millis)) {
      out.putNull(field);
    } else {
      out.put(field, Math.round(millis * 10) / 10.0);
    }
  }
}
