package dev.spillway.gateway.metrics;

import dev.spillway.core.routing.SharedDrainRates;
import dev.spillway.core.routing.SharedSessionPins;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Session pins and PTU drain rates shared between replicas ({@code routing.shared}), read when the registry is
 * scraped: pins written to the store and found there, drain estimates published, and cold drain models seeded from
 * the other replicas' estimates. All stay 0 when nothing is shared.
 */
final class SharedRoutingStateMeters {
  static final String PINS_WRITTEN = "spillway.routing.shared.session.pins.written";
  static final String PINS_RECALLED = "spillway.routing.shared.session.pins.recalled";
  static final String DRAIN_PUBLISHED = "spillway.routing.shared.drain.rates.published";
  static final String DRAIN_SEEDED = "spillway.routing.shared.drain.rates.seeded";

  private SharedRoutingStateMeters() {}

  static void bind(MeterRegistry registry, SharedSessionPins pins, SharedDrainRates rates) {
    FunctionCounter.builder(PINS_WRITTEN, pins, SharedSessionPins::written)
        .description("Session pins this replica wrote to the shared store (one per answer of a session)")
        .register(registry);
    FunctionCounter.builder(PINS_RECALLED, pins, SharedSessionPins::recalled)
        .description("Requests whose session's pin was found in the shared store before routing")
        .register(registry);
    FunctionCounter.builder(DRAIN_PUBLISHED, rates, SharedDrainRates::published)
        .description("PTU drain rates this replica learned and published to the other replicas")
        .register(registry);
    FunctionCounter.builder(DRAIN_SEEDED, rates, SharedDrainRates::seeded)
        .description("PTU drain models without a rate of their own, seeded from the other replicas' estimates")
        .register(registry);
  }
}
