package dev.spillway.gateway.metrics;

/**
 * The gateway's metric vocabulary in one place: meter names (OpenTelemetry's GenAI names where they exist, {@code
 * spillway.*} otherwise; Prometheus shows them with {@code _} and unit suffixes) and label keys, shared by {@link
 * GatewayMetrics} and the gauges.
 */
final class MeterNames {
  private MeterNames() {}

  // ---- meter names ----
  static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  static final String REQUEST_DURATION = "gen_ai.server.request.duration";
  static final String TIME_TO_FIRST_TOKEN = "gen_ai.server.time_to_first_token";
  static final String TIME_PER_OUTPUT_TOKEN = "gen_ai.server.time_per_output_token";
  static final String REQUESTS = "spillway.requests";
  static final String ATTEMPTS = "spillway.attempts";
  static final String SPILLS = "spillway.spills";
  static final String THROTTLED_ABSORBED = "spillway.throttled.absorbed";
  static final String THROTTLED_RETURNED = "spillway.throttled.returned";
  static final String BACKEND_THROTTLED = "spillway.backend.throttled";
  /** 1 while the backend is held out for refusing the gateway's credential ({@code routing.authHold}); not a throttle. */
  static final String BACKEND_AUTH_HELD = "spillway.backend.auth.held";
  static final String BACKEND_BREAKER_STATE = "spillway.backend.breaker.state";
  static final String BACKEND_INFLIGHT = "spillway.backend.inflight";
  static final String BACKEND_UTILIZATION = "spillway.backend.utilization";
  static final String BACKEND_REMAINING_TOKENS = "spillway.backend.remaining.tokens";
  static final String LIMIT_REJECTIONS = "spillway.limit.rejections";
  static final String GATEWAY_OVERHEAD = "spillway.gateway.overhead";
  static final String LEDGER_SPILLING = "spillway.ledger.spilling";
  static final String LEDGER_BACKLOG = "spillway.ledger.backlog.records";
  static final String LEDGER_SPILLING_SECONDS = "spillway.ledger.spilling.seconds";
  static final String LIMIT_STORE_UP = "spillway.limit.store.up";
  static final String LIMIT_STORE_FALLBACKS = "spillway.limit.store.fallbacks";
  static final String LIMIT_STORE_FAILURES = "spillway.limit.store.failures";
  static final String LEDGER_LOST = "spillway.ledger.lost.records";
  static final String CONFIG_RELOADS = "spillway.config.reload";
  static final String CONFIG_VALID = "spillway.config.valid";
  static final String CONFIG_GENERATION = "spillway.config.generation";
  static final String STATION_WAITING = "spillway.station.waiting";
  static final String STATION_QUEUED = "spillway.station.queued";
  static final String STATION_SPILLED = "spillway.station.spilled";
  static final String STATION_EXPECTED_WAIT = "spillway.station.expected.wait.seconds";
  static final String STATION_DRAIN = "spillway.station.drain.tokens.per.minute";
  static final String STATION_OFFERED = "spillway.station.offered.tokens.per.minute";
  static final String PAYG_SPEND = "spillway.payg.spend";
  static final String CACHE_REQUESTS = "spillway.cache.requests";
  static final String CACHE_SAVED_TOKENS = "spillway.cache.saved.tokens";
  static final String CACHE_ENTRIES = "spillway.cache.entries";
  static final String CACHE_BYTES = "spillway.cache.bytes";
  static final String CACHE_DEGRADED = "spillway.cache.degraded";
  static final String GUARD_REQUESTS = "spillway.guard.requests";
  static final String GUARD_ABUSE_ACTIONS = "spillway.guard.abuse.actions";
  static final String CACHE_STORE_FAILURES = "spillway.cache.store.failures";
  static final String PAYG_BUDGET = "spillway.payg.budget";
  static final String PAYG_CONSUMER_SPEND = "spillway.payg.consumer.spend";
  static final String PAYG_CONSUMER_BUDGET = "spillway.payg.consumer.budget";
  static final String PAYG_SPEND_STORE_FAILURES = "spillway.payg.spend.store.failures";

  // ---- label keys ----
  static final String MODEL = "gen_ai.request.model";
  static final String OPERATION = "gen_ai.operation.name";
  static final String TOKEN_TYPE = "gen_ai.token.type";
  static final String STATUS = "http.response.status_code";
  static final String BACKEND = "spillway.backend";
  static final String TIER = "spillway.tier";
  static final String REGION = "spillway.region";
  static final String RESULT = "result";
  static final String RETRIED = "retried";
  static final String STATE = "state";
  static final String LIMIT = "limit";
  static final String CONSUMER = "consumer";
  static final String TEAM = "team";
  static final String PRIORITY_CLASS = "priority_class";
  static final String REASON = "reason";
  static final String PERIOD = "period";
  static final String OPERATION_KIND = "operation";

  /** The label value for "not known" or "not applicable". */
  static final String NONE = "none";
}
