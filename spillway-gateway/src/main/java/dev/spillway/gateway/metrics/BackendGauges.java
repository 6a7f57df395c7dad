package dev.spillway.gateway.metrics;

import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.breaker.BreakerState;
import dev.spillway.core.time.Ticker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.ToDoubleFunction;

/**
 * The gauges of one backend's live state. They hold the {@link BackendState} and read it when the
 * registry is scraped, so the request path pays nothing for them.
 */
final class BackendGauges {
  private BackendGauges() {}

  /** Registers the backend's gauges; adds each to {@code made}. */
  static void bind(MeterRegistry registry, BackendState state, BackendLabels labels, Ticker ticker, List<Meter> made) {
    Tags tags = Tags.of(
        MeterNames.BACKEND, labels.id(),
        MeterNames.MODEL, labels.model(),
        MeterNames.TIER, labels.tier(),
        MeterNames.REGION, labels.region());
    made.add(gauge(registry, MeterNames.BACKEND_THROTTLED, "1 while the backend is throttled by a 429, else 0",
        tags, state, s -> s.isThrottled(ticker.read()) ? 1 : 0));
    made.add(gauge(registry, MeterNames.BACKEND_AUTH_HELD,
        "1 while the backend is held out of routing for refusing the gateway's credential (routing.authHold), else 0",
        tags, state, s -> s.isAuthHeld(ticker.read()) ? 1 : 0));
    for (BreakerState breakerState : BreakerState.values()) {
      made.add(gauge(registry, MeterNames.BACKEND_BREAKER_STATE, "1 for the circuit breaker's current state, 0 for the others",
          tags.and(MeterNames.STATE, breakerState.name().toLowerCase(Locale.ROOT)), state,
          s -> s.breaker().state(ticker.read()) == breakerState ? 1 : 0));
    }
    made.add(gauge(registry, MeterNames.BACKEND_INFLIGHT, "Calls to the backend in flight",
        tags, state, BackendState::inFlight));
    made.add(gauge(registry, MeterNames.BACKEND_UTILIZATION,
        "Deployment utilization in percent as the backend last reported it; NaN when it never did",
        tags, state, s -> s.lastUtilizationPercent().orElse(Double.NaN)));
    made.add(gauge(registry, MeterNames.BACKEND_REMAINING_TOKENS,
        "Remaining tokens as the backend last reported them (x-ratelimit-remaining-tokens); NaN when it never did",
        tags, state, s -> {
          OptionalLong remaining = s.lastRemainingTokens();
          return remaining.isPresent() ? remaining.getAsLong() : Double.NaN;
        }));
  }

  private static Gauge gauge(
      MeterRegistry registry, String name, String description, Tags tags, BackendState state,
      ToDoubleFunction<BackendState> value) {
    return Gauge.builder(name, state, value)
        .description(description)
        .tags(tags)
        .strongReference(true) // the registry may outlive whoever else holds the state
        .register(registry);
  }
}
