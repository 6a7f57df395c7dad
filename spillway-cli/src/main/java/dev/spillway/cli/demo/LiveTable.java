package dev.spillway.cli.demo;

import dev.spillway.core.config.Tier;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Renders {@link LiveStats} as the demo's compact table: one row per backend with its tier,
 * requests served (total and in the last interval), 429s absorbed, tokens, latency percentiles
 * and the simulator's reported PTU utilization. Not thread-safe: one renderer, one thread.
 */
public final class LiveTable {
  private final LiveStats stats;
  private final ToDoubleFunction<String> utilizationByBackendId;
  private final java.util.function.Function<String, String> stateByBackendId;
  private final Map<String, Long> previousServed = new HashMap<>();

  /**
   * @param utilizationByBackendId the simulator's PTU utilization of a backend
   * @param stateByBackendId the gateway's view of a backend, one short word or two ({@code ok},
   *     {@code 429 2.1s}, {@code open 12s})
   */
  public LiveTable(
      LiveStats stats,
      ToDoubleFunction<String> utilizationByBackendId,
      java.util.function.Function<String, String> stateByBackendId) {
    this.stats = stats;
    this.utilizationByBackendId = utilizationByBackendId;
    this.stateByBackendId = stateByBackendId;
  }

  /** The table as text; {@code header} is the first line (time, offered rate, ...). */
  public String render(String header) {
    int width = 8;
    for (LiveStats.BackendRow row : stats.rows().values()) {
      width = Math.max(width, row.model.length() + 1 + row.backend.id().length());
    }
    String nameColumn = "%-" + width + "s";
    StringBuilder out = new StringBuilder(header).append('\n');
    out.append(
        String.format(
            nameColumn + " %-4s %-10s %6s %5s %5s %8s %9s %7s %7s %6s%n",
            "backend", "tier", "state", "req", "req/s", "429s", "absorbed", "tokens", "p50 ms", "p99 ms", "util"));
    long ptuTokens = 0;
    long allTokens = 0;
    for (LiveStats.BackendRow row : stats.rows().values()) {
      long served = row.served();
      long perInterval = served - previousServed.getOrDefault(row.backend.id(), 0L);
      previousServed.put(row.backend.id(), served);
      String util =
          row.backend.tier() == Tier.PTU
              ? String.format("%5.1f%%", utilizationByBackendId.applyAsDouble(row.backend.id()))
              : "     -";
      out.append(
          String.format(
              nameColumn + " %-4s %-10s %6d %5d %5d %8d %9d %7s %7s %6s%n",
              row.model + "/" + row.backend.id(),
              row.backend.tier().id(),
              stateByBackendId.apply(row.backend.id()),
              served,
              perInterval,
              row.throttled(),
              row.absorbed(),
              row.tokens(),
              millis(row.latency.quantileMillis(0.50)),
              millis(row.latency.quantileMillis(0.99)),
              util));
      allTokens += row.tokens();
      if (row.backend.tier() == Tier.PTU) {
        ptuTokens += row.tokens();
      }
    }
    out.append(
        String.format(
            "clients: %d ok, %d got 429, %d other errors, %d refused by their limits   tokens on PTU: %s%n",
            stats.clientOk(),
            stats.client429(),
            stats.clientOther(),
            stats.limitRefusals(),
            allTokens == 0 ? "-" : String.format("%.1f%%", 100.0 * ptuTokens / allTokens)));
    return out.toString();
  }

  private static String millis(long value) {
    return value < 0 ? "-" : Long.toString(value);
  }
}
