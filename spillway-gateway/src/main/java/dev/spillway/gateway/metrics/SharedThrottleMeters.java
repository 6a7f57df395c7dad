package dev.spillway.gateway.metrics;

import dev.spillway.core.routing.SharedThrottles;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Backend throttles shared between replicas ({@code routing.shared}), read when the registry is scraped: those this
 * replica told the others ({@code spillway_routing_shared_throttles_published_total}) and those it heard and applied
 * ({@code spillway_routing_shared_throttles_applied_total}); likewise the auth holds of backends that refused the
 * gateway's credential ({@code spillway_routing_shared_auth_holds_published_total}, {@code _applied_total}), counted
 * apart from throttles. All stay 0 when nothing is shared.
 */
final class SharedThrottleMeters {
  static final String PUBLISHED = "spillway.routing.shared.throttles.published";
  static final String APPLIED = "spillway.routing.shared.throttles.applied";
  static final String AUTH_PUBLISHED = "spillway.routing.shared.auth.holds.published";
  static final String AUTH_APPLIED = "spillway.routing.shared.auth.holds.applied";

  private SharedThrottleMeters() {}

  static void bind(MeterRegistry registry, SharedThrottles throttles) {
    FunctionCounter.builder(PUBLISHED, throttles, SharedThrottles::published)
        .description("Backend throttles (a 429's end) this replica published to the other replicas")
        .register(registry);
    FunctionCounter.builder(APPLIED, throttles, SharedThrottles::applied)
        .description("Backend throttles heard from the shared store and applied here (not over, backend known)")
        .register(registry);
    FunctionCounter.builder(AUTH_PUBLISHED, throttles, SharedThrottles::authHoldsPublished)
        .description("Auth holds (a backend refused the gateway's credential) this replica published to the others")
        .register(registry);
    FunctionCounter.builder(AUTH_APPLIED, throttles, SharedThrottles::authHoldsApplied)
        .description("Auth holds heard from the shared store and applied here (backend and credential known, not over)")
        .register(registry);
  }
}
