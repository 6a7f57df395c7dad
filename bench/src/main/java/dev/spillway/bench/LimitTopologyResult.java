package dev.spillway.bench;

import java.util.List;
import java.util.Map;

/**
 * One configuration's run.
 *
 * @param topology which deployment of the gateway
 * @param consumerId the consumer the clients called as (unique per run: its Redis keys are new)
 * @param sendStartMillis when the clients started sending (wall clock)
 * @param sendEndMillis when they stopped; requests in flight then were followed to their end
 * @param windows the minute windows the requests fell in, in time order
 * @param ok 200 answers over the whole run
 * @param refused 429 answers over the whole run
 * @param other other statuses and transport failures over the whole run
 * @param otherByKind those by status or exception name
 * @param realTokens {@code usage.total_tokens} of every 200 answer of the run
 * @param simulatorTokens tokens the simulator served in the run (an independent count of the same)
 * @param okPerReplica 200 answers by replica
 * @param fallbacksPerReplica for Redis, how often each replica counted locally because Redis did
 *     not answer ({@code /readyz}); empty for the memory store
 * @param okLatency latency of the 200 answers
 * @param refusedLatency latency of the 429 answers (the cost of a refusal)
 * @param calibrationReserved what this benchmark computes the gateway reserves for one request sent
 *     alone before the run, and
 * @param calibrationCounted what the gateway reported counting for it (limit minus {@code
 *     x-ratelimit-remaining-tokens}); -1 when it could not be read
 * @param aboveReservation 200 answers whose real usage exceeded their reservation (the one way
 *     past the limit without a fault), and
 * @param excessTokens by how many tokens in total
 */
public record LimitTopologyResult(
    LimitTopology topology,
    String consumerId,
    long sendStartMillis,
    long sendEndMillis,
    List<LimitWindow> windows,
    long ok,
    long refused,
    long other,
    Map<String, Long> otherByKind,
    long realTokens,
    long simulatorTokens,
    List<Long> okPerReplica,
    List<Long> fallbacksPerReplica,
    LatencySummary okLatency,
    LatencySummary refusedLatency,
    long calibrationReserved,
    long calibrationCounted,
    long aboveReservation,
    long excessTokens) {

  public LimitTopologyResult {
    windows = List.copyOf(windows);
    otherByKind = Map.copyOf(otherByKind);
    okPerReplica = List.copyOf(okPerReplica);
    fallbacksPerReplica = List.copyOf(fallbacksPerReplica);
  }

  public List<LimitWindow> completeWindows() {
    return windows.stream().filter(LimitWindow::complete).toList();
  }

  /** The highest admitted ÷ limit over the complete windows; NaN when there is none. */
  public double worstRatio(long limit) {
    return completeWindows().stream().mapToDouble(w -> w.ratio(limit)).max().orElse(Double.NaN);
  }

  /** "yes", "no", or "n/a" when no window was complete (the target needs a whole minute). */
  public String verdict(long limit) {
    double worst = worstRatio(limit);
    if (Double.isNaN(worst)) {
      return "n/a";
    }
    return worst <= topology.targetRatio() ? "yes" : "no";
  }
}
