package dev.spillway.gateway.metrics;

import dev.spillway.gateway.ledger.LedgerWriter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.ToDoubleFunction;

/**
 * The usage ledger's health as gauges, read from the writer when the registry is scraped: whether records wait on disk
 * for the database ({@code spillway_ledger_spilling}), how many records are not yet in it ({@code
 * spillway_ledger_backlog_records}), for how long the oldest has been waiting ({@code spillway_ledger_spilling_seconds})
 * and how many records the local disk refused ({@code spillway_ledger_lost_records_total}, which should stay 0). An alert
 * on the waiting time catches an outage the answers to clients do not show.
 */
final class LedgerGauges {
  private LedgerGauges() {}

  static void bind(MeterRegistry registry, LedgerWriter writer) {
    gauge(registry, MeterNames.LEDGER_SPILLING, "1 while usage records wait on disk for the ledger database, else 0",
        writer, w -> w.health().spilling() ? 1 : 0);
    gauge(registry, MeterNames.LEDGER_BACKLOG, "Usage records not yet in the ledger database (queued or spilled)",
        writer, w -> w.health().backlogRecords());
    gauge(registry, MeterNames.LEDGER_SPILLING_SECONDS, "How long the oldest usage record has waited on disk; 0 when none does",
        writer, w -> w.health().spillingSeconds());
    FunctionCounter.builder(MeterNames.LEDGER_LOST, writer, LedgerWriter::lost)
        .description("Usage records that could be neither written to the ledger database nor spilled to local disk")
        .register(registry);
  }

  private static void gauge(MeterRegistry registry, String name, String description, LedgerWriter writer,
      ToDoubleFunction<LedgerWriter> value) {
    Gauge.builder(name, writer, value).description(description).strongReference(true).register(registry);
  }
}
