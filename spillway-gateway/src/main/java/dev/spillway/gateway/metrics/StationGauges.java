package dev.spillway.gateway.metrics;

import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.routing.Station;
import dev.spillway.core.routing.StationCounters;
import dev.spillway.core.routing.station.SpillReason;
import dev.spillway.core.time.Ticker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * The meters of one pool's PTU station: requests waiting by class, requests that queued and that it spilled (by class
 * and reason), the expected wait it last computed, and the two rates its decisions compare — what the PTUs drain and
 * what is offered. Read from the station when scraped; the request path pays nothing.
 */
final class StationGauges {
  private StationGauges() {}

  /** Registers the station's meters; adds each to {@code made}. */
  static void bind(MeterRegistry registry, String model, Station station, Ticker ticker, List<Meter> made) {
    Tags tags = Tags.of(MeterNames.MODEL, model);
    StationCounters counters = station.counters();
    for (PriorityClass c : PriorityClass.values()) {
      Tags byClass = tags.and(MeterNames.PRIORITY_CLASS, c.id());
      made.add(Gauge.builder(MeterNames.STATION_WAITING, station, s -> s.waitingByClass()[c.ordinal()])
          .description("Requests waiting in the PTU station now")
          .tags(byClass)
          .strongReference(true)
          .register(registry));
      made.add(FunctionCounter.builder(MeterNames.STATION_QUEUED, counters, k -> k.enqueued(c))
          .description("Requests that joined the PTU station's queue")
          .tags(byClass)
          .register(registry));
      for (SpillReason reason : SpillReason.values()) {
        made.add(FunctionCounter.builder(MeterNames.STATION_SPILLED, counters, k -> k.spilled(c, reason))
            .description("Requests the PTU station sent to PAYG instead of letting them wait, by reason")
            .tags(byClass.and(MeterNames.REASON, reason.id()))
            .register(registry));
      }
    }
    made.add(Gauge.builder(MeterNames.STATION_EXPECTED_WAIT, counters, k -> k.lastExpectedWaitNanos() < 0 ? Double.NaN : k.lastExpectedWaitNanos() / 1e9)
        .description("The expected admission time the PTU station computed last; NaN when it could not time it")
        .tags(tags)
        .strongReference(true)
        .register(registry));
    made.add(Gauge.builder(MeterNames.STATION_DRAIN, station, s -> s.drainTokensPerMinute(ticker.read()))
        .description("The PTUs' drain rate as the station knows it (declared or learned); 0 until known")
        .tags(tags)
        .strongReference(true)
        .register(registry));
    made.add(Gauge.builder(MeterNames.STATION_OFFERED, station, s -> s.offeredTokensPerMinute(PriorityClass.BATCH, ticker.read()))
        .description("Tokens offered to the pool per minute, averaged over the station's demand window; -1 with too little history")
        .tags(tags)
        .strongReference(true)
        .register(registry));
  }
}
