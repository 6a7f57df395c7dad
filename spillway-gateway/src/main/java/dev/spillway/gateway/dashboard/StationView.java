package dev.spillway.gateway.dashboard;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.routing.Station;
import dev.spillway.core.routing.StationCounters;
import dev.spillway.core.routing.station.SpillReason;
import java.util.Map;

/**
 * The {@code stations} part of the dashboard's stats: for each pool with a PTU station, who waits now by class, the
 * admission time it last expected, the two rates its decisions compare (what the PTUs drain, what is offered), and
 * since start how many requests queued and why the others did not wait — spilled (by reason) or, closed to PAYG,
 * refused.
 */
final class StationView {
  private StationView() {}

  static void write(ArrayNode out, Map<String, Pool> pools, long nowNanos) {
    for (Pool pool : pools.values()) {
      pool.station().ifPresent(station -> write(out.addObject(), pool.name(), station, nowNanos));
    }
  }

  private static void write(ObjectNode row, String model, Station station, long nowNanos) {
    StationCounters counters = station.counters();
    row.put("model", model);
    row.put("mode", station.config().mode().id());
    int[] waiting = station.waitingByClass();
    ObjectNode waitingNode = row.putObject("waiting");
    ObjectNode budgets = row.putObject("budgetMs");
    ObjectNode queued = row.putObject("queued");
    ObjectNode refused = row.putObject("paygRefused");
    for (PriorityClass c : PriorityClass.values()) {
      waitingNode.put(c.id(), waiting[c.ordinal()]);
      budgets.put(c.id(), station.config().budget(c).toMillis());
      queued.put(c.id(), counters.enqueued(c));
      refused.put(c.id(), counters.paygRefused(c));
    }
    ObjectNode spilled = row.putObject("spilled");
    for (SpillReason reason : SpillReason.values()) {
      spilled.put(reason.id(), counters.spilled(reason));
    }
    long expected = counters.lastExpectedWaitNanos();
    if (expected < 0) {
      row.putNull("expectedWaitMs");
    } else {
      row.put("expectedWaitMs", expected / 1_000_000);
    }
    row.put("drainTokensPerMinute", Math.round(station.drainTokensPerMinute(nowNanos)));
    double offered = station.offeredTokensPerMinute(PriorityClass.BATCH, nowNanos);
    if (offered < 0) {
      row.putNull("offeredTokensPerMinute");
    } else {
      row.put("offeredTokensPerMinute", Math.round(offered));
    }
  }
}
