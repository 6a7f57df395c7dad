package dev.spillway.gateway.metrics;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.time.Ticker;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.events.RequestOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The gateway's metrics: every meter Spillway exports is named and bound here, and nowhere else.
 *
 * <h2>What it measures</h2>
 *
 * Request-level meters follow the OpenTelemetry GenAI semantic conventions ({@code
 * gen_ai.client.token.usage}, {@code gen_ai.server.request.duration}, {@code
 * gen_ai.server.time_to_first_token}, {@code gen_ai.server.time_per_output_token}); the gateway's
 * own meters are under {@code spillway.*}. Micrometer turns the dots into underscores and adds the
 * Prometheus unit and {@code _total} suffixes. Backend state (throttle, breaker, in-flight calls,
 * reported load) is read from the pools when Prometheus scrapes, so it costs nothing per request.
 *
 * <h2>Labels</h2>
 *
 * Every label value comes from the config (model and backend ids, tier, region) or from a small
 * fixed set (status codes, operation, attempt result), so the number of series is bounded by the
 * config. A model name that is not configured is labelled {@code none}, like an unknown one. By default
 * there are no consumer or team labels: chargeback dimensions belong to the usage ledger. {@code
 * telemetry.metricLabels: [consumer, team]} adds them to {@code spillway.requests}, {@code
 * gen_ai.client.token.usage} and {@code spillway.limit.rejections} (one series per consumer: opt-in). No label
 * ever holds a credential.
 *
 * <h2>Threading</h2>
 *
 * Event loops call {@link #onAttempt} and {@link #onRequest} concurrently. Micrometer's meters are
 * thread-safe; what is costly in Micrometer is the lookup of a meter by name and tags, so each
 * label combination's meters are looked up once and kept in a {@link ConcurrentHashMap}.
 */
public final class GatewayMetrics implements GatewayListener {

  /** The content type of {@link #scrape()}: the Prometheus text exposition format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  // ---- buckets: OpenTelemetry's advice for the GenAI metrics, powers of 4 for tokens ----
  private static final double[] TOKEN_BUCKETS = {
    1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576
  };
  private static final Duration[] REQUEST_DURATION_BUCKETS = seconds(
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
  private static final Duration[] TTFT_BUCKETS = seconds(
      0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0);
  private static final Duration[] TPOT_BUCKETS = seconds(
      0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5);
  private static final Duration[] OVERHEAD_BUCKETS = seconds(
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1);

  /**
   * Opt-in labels.
   *
   * @param consumerLabel add {@code consumer} to the request, token and limit meters
   * @param teamLabel add {@code team} to them
   */
  public record Options(boolean consumerLabel, boolean teamLabel) {
    public static final Options DEFAULTS = new Options(false, false);
  }

  /** Scraped for {@code /metrics}. */
  private final PrometheusMeterRegistry prometheus;
  /** Where meters are registered: {@link #prometheus}, or a composite of it and the OTLP registry. */
  private final MeterRegistry registry;
  /** The pools, read when used: the gateway passes a live view, which a config reload changes. */
  private final Map<String, Pool> pools;
  /** The gauges of the pools' backends and stations, and each backend's labels. */
  private final PoolGauges poolGauges;
  private final Options options;

  private final Map<RequestKey, Counter> requests = new ConcurrentHashMap<>();
  private final Map<RequestKey, Timer> durations = new ConcurrentHashMap<>();
  private final Map<ServedKey, DistributionSummary> inputTokens = new ConcurrentHashMap<>();
  private final Map<ServedKey, DistributionSummary> outputTokens = new ConcurrentHashMap<>();
  private final Map<ServedKey, Timer> timeToFirstToken = new ConcurrentHashMap<>();
  private final Map<ServedKey, Timer> timePerOutputToken = new ConcurrentHashMap<>();
  private final Map<AttemptKey, Counter> attempts = new ConcurrentHashMap<>();
  private final Map<BackendLabels, Counter> absorbed = new ConcurrentHashMap<>();
  private final Map<String, Counter> returned = new ConcurrentHashMap<>();
  private final Map<String, Counter> spills = new ConcurrentHashMap<>();
  private final Map<LimitKey, Counter> limitRejections = new ConcurrentHashMap<>();
  private final Map<RequestKey, Timer> overhead = new ConcurrentHashMap<>();
  /** The response cache's meters; set once by the builder, before the metrics are shared. */
  private CacheMeters cacheMeters;
  private SafetyMeters safetyMeters;

  private GatewayMetrics(
      PrometheusMeterRegistry prometheus, MeterRegistry registry, Map<String, Pool> pools, Ticker ticker, Options options) {
    this.prometheus = prometheus;
    this.registry = registry;
    this.options = options;
    this.pools = pools;
    this.poolGauges = new PoolGauges(registry, pools, ticker);
  }

  /**
   * The pools changed (a config reload put a new generation in force; {@code pools} is the gateway's live view): the
   * backend and station gauges are made again over the current pools, so added backends get theirs and removed ones
   * lose them.
   */
  public void poolsChanged() {
    poolGauges.rebind();
  }

  /** Metrics over {@code pools}, in a Prometheus registry of their own. */
  public static Builder builder(Map<String, Pool> pools) {
    return new Builder(pools);
  }

  /** Builds {@link GatewayMetrics}: the system ticker, no opt-in labels, no second registry unless set. */
  public static final class Builder {
    private final Map<String, Pool> pools;
    private Ticker ticker = Ticker.systemTicker();
    private Options options = Options.DEFAULTS;
    private Optional<MeterRegistry> alsoTo = Optional.empty();
    private Optional<dev.spillway.gateway.ledger.LedgerWriter> ledger = Optional.empty();
    private Optional<dev.spillway.gateway.store.redis.RedisLimitStore> limitStore = Optional.empty();
    private Optional<dev.spillway.core.spend.SpendBook> spend = Optional.empty();
    private Optional<dev.spillway.gateway.cache.ResponseCache> cache = Optional.empty();
    private Optional<dev.spillway.core.routing.SharedThrottles> sharedThrottles = Optional.empty();
    private Optional<dev.spillway.core.routing.SharedSessionPins> sessionPins = Optional.empty();
    private Optional<dev.spillway.core.routing.SharedDrainRates> drainRates = Optional.empty();
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private Optional<dev.spillway.gateway.reload.ReloadStatus> reloads = Optional.empty();

    private Builder(Map<String, Pool> pools) {
      this.pools = pools;
    }

    /** The router's ticker: throttle and breaker deadlines are readings of it. */
    public Builder ticker(Ticker value) {
      this.ticker = value;
      return this;
    }

    /** Opt-in consumer and team labels. */
    public Builder options(Options value) {
      this.options = value;
      return this;
    }

    /** Every meter also registered in {@code registry} (OTLP export), when present. */
    public Builder alsoRegisterIn(Optional<MeterRegistry> registry) {
      this.alsoTo = registry;
      return this;
    }

    /** The usage ledger's writer, whose health is exported as gauges ({@code spillway_ledger_*}). */
    public Builder ledger(Optional<dev.spillway.gateway.ledger.LedgerWriter> writer) {
      this.ledger = writer;
      return this;
    }

    /** The Redis limit store, whose health is exported as gauges ({@code spillway_limit_store_*}); empty in memory. */
    public Builder limitStore(Optional<dev.spillway.gateway.store.redis.RedisLimitStore> store) {
      this.limitStore = store;
      return this;
    }

    /** The PAYG spend book, whose budgets and spend are exported as gauges ({@code spillway_payg_*}). */
    public Builder spend(dev.spillway.core.spend.SpendBook book, java.time.Clock wallClock) {
      this.spend = Optional.of(book);
      this.clock = wallClock;
      return this;
    }

    /** The response cache's meters. */
    public Builder cache(dev.spillway.gateway.cache.ResponseCache value) {
      this.cache = Optional.of(value);
      return this;
    }

    /** The throttles shared between replicas, counted ({@code spillway_routing_shared_throttles_*}). */
    public Builder sharedThrottles(dev.spillway.core.routing.SharedThrottles throttles) {
      this.sharedThrottles = Optional.of(throttles);
      return this;
    }

    /** The config file's reload state ({@code spillway_config_*}). */
    /** Session pins and drain rates shared between replicas: their counters. */
    public Builder sharedRoutingState(dev.spillway.core.routing.SharedSessionPins pins,
        dev.spillway.core.routing.SharedDrainRates rates) {
      this.sessionPins = Optional.of(pins);
      this.drainRates = Optional.of(rates);
      return this;
    }

    public Builder configReloads(dev.spillway.gateway.reload.ReloadStatus status) {
      this.reloads = Optional.of(status);
      return this;
    }

    public GatewayMetrics build() {
      PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      // A meter that Prometheus refuses (for example tag keys that differ within one name) is a bug here.
      prometheus.throwExceptionOnRegistrationFailure();
      MeterRegistry registry = alsoTo
          .<MeterRegistry>map(other -> new CompositeMeterRegistry(io.micrometer.core.instrument.Clock.SYSTEM, List.of(prometheus, other)))
          .orElse(prometheus);
      GatewayMetrics metrics = new GatewayMetrics(prometheus, registry, pools, ticker, options);
      ledger.ifPresent(w -> LedgerGauges.bind(registry, w));
      limitStore.ifPresent(store -> LimitStoreGauges.bind(registry, store));
      spend.ifPresent(book -> SpendGauges.bind(registry, book, clock, options.consumerLabel()));
      cache.ifPresent(c -> metrics.cacheMeters = new CacheMeters(registry, c));
      sharedThrottles.ifPresent(t -> SharedThrottleMeters.bind(registry, t));
      sessionPins.ifPresent(p -> SharedRoutingStateMeters.bind(registry, p, drainRates.orElseThrow()));
      metrics.safetyMeters = new SafetyMeters(registry);
      reloads.ifPresent(status -> ConfigGauges.bind(registry, status));
      return metrics;
    }
  }

  /** Every meter in the Prometheus text exposition format 0.0.4 ({@link #CONTENT_TYPE}). */
  public String scrape() {
    return prometheus.scrape(CONTENT_TYPE);
  }

  // ---- events ----

  @Override
  public void onAttempt(AttemptOutcome attempt) {
    BackendLabels b = labelsOf(attempt.backend(), attempt.model());
    cached(attempts, new AttemptKey(b, attempt.result(), attempt.retried()), this::newAttemptCounter).increment();
    if (attempt.result() == AttemptResult.THROTTLED && attempt.retried()) {
      cached(absorbed, b, this::newAbsorbedCounter).increment();
    }
  }

  /** An action the abuse monitoring took (counted in {@code spillway_guard_abuse_actions_total}). */
  public void abuseAction(dev.spillway.core.guard.abuse.AbuseAction action) {
    safetyMeters.action(action);
  }

  @Override
  public void onRequest(RequestOutcome request) {
    String model = request.model().filter(pools::containsKey).orElse(MeterNames.NONE);
    if (cacheMeters != null) {
      cacheMeters.record(request, model);
    }
    safetyMeters.record(request);
    BackendLabels b = request.backend().map(c -> labelsOf(c, model)).orElse(BackendLabels.NONE);
    String operation = operationName(request.operation());
    Who who = whoOf(request.caller());
    RequestKey key = new RequestKey(request.status(), operation, model, b, who);
    cached(requests, key, this::newRequestCounter).increment();
    request.refusal()
        .flatMap(RequestOutcome.Refusal::limit)
        .ifPresent(limit -> cached(limitRejections, new LimitKey(limit, model, who), this::newLimitCounter).increment());
    if (request.status() == 429) {
      cached(returned, model, this::newReturnedCounter).increment();
    }
    if (b.spillTarget()) {
      cached(spills, model, this::newSpillCounter).increment();
    }
    if (request.operation() == null || !request.operation().callsModel()) {
      return; // the gen_ai.* meters describe model calls only
    }
    RequestKey timed = who == Who.NOBODY ? key : new RequestKey(request.status(), operation, model, b, Who.NOBODY);
    cached(durations, timed, this::newDurationTimer).record(request.durationNanos(), TimeUnit.NANOSECONDS);
    if (request.refusal().isEmpty()) {
      cached(overhead, timed, this::newOverheadTimer).record(request.gatewayNanos(), TimeUnit.NANOSECONDS);
    }
    if (b == BackendLabels.NONE) {
      return;
    }
    // Each meter is made on its first value: no empty series (no output tokens for embeddings).
    ServedKey servedKey = new ServedKey(operation, model, b, Who.NOBODY);
    ServedKey tokenKey = who == Who.NOBODY ? servedKey : new ServedKey(operation, model, b, who);
    if (request.stream() && request.timeToFirstTokenNanos().isPresent()) {
      cached(timeToFirstToken, servedKey, this::newTimeToFirstTokenTimer)
          .record(request.timeToFirstTokenNanos().getAsLong(), TimeUnit.NANOSECONDS);
    }
    if (request.usage().isEmpty()) {
      return;
    }
    TokenUsage usage = request.usage().get();
    cached(inputTokens, tokenKey, k -> tokenSummary(k, "input")).record(usage.promptTokens());
    if (request.operation() != Operation.EMBEDDINGS) {
      cached(outputTokens, tokenKey, k -> tokenSummary(k, "output")).record(usage.completionTokens());
    }
    if (isSuccess(request.status()) && usage.completionTokens() > 0) {
      long generatingNanos = request.stream() && request.timeToFirstTokenNanos().isPresent()
          ? request.durationNanos() - request.timeToFirstTokenNanos().getAsLong()
          : request.durationNanos();
      if (generatingNanos >= 0) {
        cached(timePerOutputToken, servedKey, this::newTimePerOutputTokenTimer)
            .record(generatingNanos / usage.completionTokens(), TimeUnit.NANOSECONDS);
      }
    }
  }

  // ---- label values ----

  /** {@code gen_ai.operation.name}: the OpenTelemetry value, or {@code none} for what is not a model call. */
  public static String operationName(Operation operation) {
    if (operation == null) {
      return MeterNames.NONE;
    }
    return switch (operation) {
      case CHAT_COMPLETIONS, RESPONSES, REALTIME_RESPONSE -> "chat";
      case COMPLETIONS -> "text_completion";
      case EMBEDDINGS -> "embeddings";
      default -> MeterNames.NONE;
    };
  }

  /** The caller's opt-in label values; {@link Who#NOBODY} when neither label is enabled. */
  private Who whoOf(RequestOutcome.Caller caller) {
    if (!options.consumerLabel() && !options.teamLabel()) {
      return Who.NOBODY;
    }
    return new Who(
        options.consumerLabel() ? orNone(caller.consumer()) : null, options.teamLabel() ? orNone(caller.team()) : null);
  }

  private static String orNone(String value) {
    return value == null || value.isEmpty() ? MeterNames.NONE : value;
  }

  /** Adds the opt-in labels that {@code who} carries. */
  private static Tags whoTags(Who who) {
    Tags tags = Tags.empty();
    if (who.consumer() != null) {
      tags = tags.and(MeterNames.CONSUMER, who.consumer());
    }
    if (who.team() != null) {
      tags = tags.and(MeterNames.TEAM, who.team());
    }
    return tags;
  }

  private BackendLabels labelsOf(BackendConfig backend, String model) {
    BackendLabels known = poolGauges.labels(backend.id());
    // Not in the pools: cannot happen with the gateway's own events; still label it from its config.
    return known != null ? known : BackendLabels.of(pools.containsKey(model) ? model : MeterNames.NONE, backend, false);
  }

  private static boolean isSuccess(int status) {
    return status >= 200 && status < 300;
  }

  // ---- meter construction (on the first event of each label combination) ----

  private static <K, M> M cached(Map<K, M> cache, K key, Function<K, M> create) {
    M meter = cache.get(key);
    return meter != null ? meter : cache.computeIfAbsent(key, create);
  }

  private Counter newRequestCounter(RequestKey k) {
    return Counter.builder(MeterNames.REQUESTS)
        .description("Client requests by the status the client received")
        .tag(MeterNames.STATUS, Integer.toString(k.status()))
        .tag(MeterNames.OPERATION, k.operation())
        .tag(MeterNames.MODEL, k.model())
        .tag(MeterNames.BACKEND, k.backend().id())
        .tags(whoTags(k.who()))
        .register(registry);
  }

  private Counter newLimitCounter(LimitKey k) {
    return Counter.builder(MeterNames.LIMIT_REJECTIONS)
        .description("Requests refused by a consumer's rate limit or token quota")
        .tag(MeterNames.LIMIT, k.limit())
        .tag(MeterNames.MODEL, k.model())
        .tags(whoTags(k.who()))
        .register(registry);
  }

  private Timer newOverheadTimer(RequestKey k) {
    return Timer.builder(MeterNames.GATEWAY_OVERHEAD)
        .description("Time a model request spent in the gateway itself: its whole duration minus backend calls and PTU waits")
        .tag(MeterNames.OPERATION, k.operation())
        .tag(MeterNames.MODEL, k.model())
        .tag(MeterNames.BACKEND, k.backend().id())
        .tag(MeterNames.STATUS, Integer.toString(k.status()))
        .serviceLevelObjectives(OVERHEAD_BUCKETS)
        .register(registry);
  }

  private Timer newDurationTimer(RequestKey k) {
    return Timer.builder(MeterNames.REQUEST_DURATION)
        .description("Duration of model requests, from the first byte in to the last byte out")
        .tag(MeterNames.STATUS, Integer.toString(k.status()))
        .tag(MeterNames.OPERATION, k.operation())
        .tag(MeterNames.MODEL, k.model())
        .tag(MeterNames.BACKEND, k.backend().id())
        .tag(MeterNames.TIER, k.backend().tier())
        .serviceLevelObjectives(REQUEST_DURATION_BUCKETS)
        .register(registry);
  }

  private Timer newTimeToFirstTokenTimer(ServedKey k) {
    return servedTimer(
        MeterNames.TIME_TO_FIRST_TOKEN, "Time from the request to the first generated token of a stream", k, TTFT_BUCKETS);
  }

  private Timer newTimePerOutputTokenTimer(ServedKey k) {
    return servedTimer(
        MeterNames.TIME_PER_OUTPUT_TOKEN, "Generation time per output token (after the first token for streams)", k, TPOT_BUCKETS);
  }

  private DistributionSummary tokenSummary(ServedKey k, String tokenType) {
    return DistributionSummary.builder(MeterNames.TOKEN_USAGE)
        .description("Tokens per request as the backend reported them")
        .tag(MeterNames.TOKEN_TYPE, tokenType)
        .tag(MeterNames.OPERATION, k.operation())
        .tag(MeterNames.MODEL, k.model())
        .tag(MeterNames.BACKEND, k.backend().id())
        .tag(MeterNames.TIER, k.backend().tier())
        .tags(whoTags(k.who()))
        .serviceLevelObjectives(TOKEN_BUCKETS)
        .register(registry);
  }

  private Timer servedTimer(String name, String description, ServedKey k, Duration[] buckets) {
    return Timer.builder(name)
        .description(description)
        .tag(MeterNames.OPERATION, k.operation())
        .tag(MeterNames.MODEL, k.model())
        .tag(MeterNames.BACKEND, k.backend().id())
        .tag(MeterNames.TIER, k.backend().tier())
        .serviceLevelObjectives(buckets)
        .register(registry);
  }

  private Counter newAttemptCounter(AttemptKey k) {
    return Counter.builder(MeterNames.ATTEMPTS)
        .description("Attempts against backends, by how they ended and whether the gateway went on to another backend")
        .tag(MeterNames.MODEL, k.backend().model())
        .tag(MeterNames.BACKEND, k.backend().id())
        .tag(MeterNames.TIER, k.backend().tier())
        .tag(MeterNames.RESULT, k.result().name().toLowerCase(Locale.ROOT))
        .tag(MeterNames.RETRIED, Boolean.toString(k.retried()))
        .register(registry);
  }

  private Counter newAbsorbedCounter(BackendLabels b) {
    return Counter.builder(MeterNames.THROTTLED_ABSORBED)
        .description("429s from a backend that the gateway absorbed by trying another backend")
        .tag(MeterNames.MODEL, b.model())
        .tag(MeterNames.BACKEND, b.id())
        .tag(MeterNames.TIER, b.tier())
        .register(registry);
  }

  private Counter newReturnedCounter(String model) {
    return Counter.builder(MeterNames.THROTTLED_RETURNED)
        .description("429s returned to clients")
        .tag(MeterNames.MODEL, model)
        .register(registry);
  }

  private Counter newSpillCounter(String model) {
    return Counter.builder(MeterNames.SPILLS)
        .description("Requests answered by a PAYG backend of a model that has PTU capacity")
        .tag(MeterNames.MODEL, model)
        .register(registry);
  }

  private static Duration[] seconds(double... values) {
    Duration[] out = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return out;
  }

  // ---- cache keys ----

  private record RequestKey(int status, String operation, String model, BackendLabels backend, Who who) {}

  private record ServedKey(String operation, String model, BackendLabels backend, Who who) {}

  private record LimitKey(String limit, String model, Who who) {}

  /** Opt-in caller labels; a null part is not a label. */
  private record Who(String consumer, String team) {
    static final Who NOBODY = new Who(null, null);
  }

  private record AttemptKey(BackendLabels backend, AttemptResult result, boolean retried) {}
}
