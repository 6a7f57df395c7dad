package dev.spillway.gateway.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.cache.CacheStatus;
import dev.spillway.core.config.CostsConfig;
import dev.spillway.core.config.PaygPrice;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * The dashboard's cache panel, from the ring: per second, the cacheable requests by what the cache did ({@code
 * exact}, {@code semantic}, {@code miss}, {@code bypass}); over the whole window, each status's count, the hit ratio by
 * layer (of the requests looked up: hits and misses), the tokens hits saved, and what they would have cost at the
 * model's PAYG price ({@code costs.payg}; absent when no price is configured for a model that had hits).
 */
final class CacheView {
  static final CacheStatus[] SHOWN = {CacheStatus.HIT, CacheStatus.SEMANTIC_HIT, CacheStatus.MISS, CacheStatus.BYPASS};

  private CacheView() {}

  /** One second's cache tally: requests by status, tokens saved by model. Under {@link DashboardStats}'s monitor. */
  static final class Tally {
    final long[] byStatus = new long[CacheStatus.values().length];
    /** Key: model; value: {prompt, completion} tokens saved. */
    final java.util.Map<String, long[]> savedByModel = new java.util.HashMap<>();

    void clear() {
      java.util.Arrays.fill(byStatus, 0);
      savedByModel.clear();
    }
  }

  static void write(ObjectNode out, DashboardStats stats, long first, long last, long windowFirst, long windowLast,
      CostsConfig costs) {
    ObjectNode series = out.putObject("series");
    for (CacheStatus s : SHOWN) {
      ArrayNode values = series.putArray(s.ledgerValue());
      for (long t = first; t <= last; t++) {
        SecondSlot slot = stats.existing(t);
        values.add(slot == null ? 0 : slot.cache.byStatus[s.ordinal()]);
      }
    }
    long[] totals = new long[CacheStatus.values().length];
    java.util.Map<String, long[]> saved = new java.util.TreeMap<>();
    for (long t = windowFirst; t <= windowLast; t++) {
      SecondSlot slot = stats.existing(t);
      if (slot == null) {
        continue;
      }
      for (int i = 0; i < totals.length; i++) {
        totals[i] += slot.cache.byStatus[i];
      }
      slot.cache.savedByModel.forEach((model, tokens) -> {
        long[] sum = saved.computeIfAbsent(model, m -> new long[2]);
        sum[0] += tokens[0];
        sum[1] += tokens[1];
      });
    }
    ObjectNode counts = out.putObject("counts");
    for (CacheStatus s : SHOWN) {
      counts.put(s.ledgerValue(), totals[s.ordinal()]);
    }
    long exact = totals[CacheStatus.HIT.ordinal()];
    long semantic = totals[CacheStatus.SEMANTIC_HIT.ordinal()];
    long lookedUp = exact + semantic + totals[CacheStatus.MISS.ordinal()];
    out.put("exactHitRatio", lookedUp == 0 ? 0 : (double) exact / lookedUp);
    out.put("semanticHitRatio", lookedUp == 0 ? 0 : (double) semantic / lookedUp);
    long prompt = 0;
    long completion = 0;
    BigDecimal cost = BigDecimal.ZERO;
    boolean priced = true;
    for (var e : saved.entrySet()) {
      prompt += e.getValue()[0];
      completion += e.getValue()[1];
      Optional<PaygPrice> price = costs.paygPrice(e.getKey());
      if (price.isPresent()) {
        cost = cost.add(price.get().cost(e.getValue()[0], 0, e.getValue()[1]));
      } else {
        priced = false;
      }
    }
    out.put("savedPromptTokens", prompt);
    out.put("savedCompletionTokens", completion);
    if (priced && !saved.isEmpty()) {
      out.put("savedCost", cost.setScale(4, RoundingMode.HALF_UP).doubleValue());
      out.put("currency", costs.currency());
    }
  }
}
