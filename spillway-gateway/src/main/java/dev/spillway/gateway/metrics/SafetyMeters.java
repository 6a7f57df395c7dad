package dev.spillway.gateway.metrics;

import dev.spillway.core.guard.abuse.AbuseAction;
import dev.spillway.core.ledger.SafetyVerdict;
import dev.spillway.gateway.events.RequestOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The content guard's meters: every request a guard flagged, by what was done and the category of its strongest
 * finding ({@code spillway_guard_requests_total{verdict="logged|masked|blocked", category}}; categories are the
 * guard's own names and Azure's, a bounded set), and the actions the abuse monitoring took ({@code
 * spillway_guard_abuse_actions_total{action="alert|throttle|suspend"}}). End users are never a label.
 */
final class SafetyMeters {
  private final MeterRegistry registry;
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();
  private final Map<AbuseAction, Counter> actions = new ConcurrentHashMap<>();

  SafetyMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(RequestOutcome request) {
    SafetyVerdict v = request.safety();
    if (v.level() == SafetyVerdict.Level.NONE) {
      return;
    }
    String verdict = v.level().wireName();
    requests.computeIfAbsent(verdict + '\0' + v.category(), k -> Counter.builder(MeterNames.GUARD_REQUESTS)
        .description("Requests a content guard flagged, by what it did and the category of the strongest finding")
        .tag("verdict", verdict).tag("category", v.category()).register(registry)).increment();
  }

  void action(AbuseAction action) {
    actions.computeIfAbsent(action, a -> Counter.builder(MeterNames.GUARD_ABUSE_ACTIONS)
        .description("Actions the abuse monitoring took about end users")
        .tag("action", a.name().toLowerCase(java.util.Locale.ROOT)).register(registry)).increment();
  }
}
