package dev.spillway.core.config;

import dev.spillway.core.config.ScalarReader.Value;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds the {@code routing:} section, including {@code routing.breaker}, to {@link RoutingConfig}.
 * Its own class so the cross-key rules of retry timing and the breaker sit together, away from the
 * model rules. Remembers the bound {@code requestDeadline}, which {@link ModelsBinder} checks each
 * model's {@code maxWaitForPtu} against. One instance per load; not thread-safe.
 */
final class RoutingBinder {
  private final ScalarReader read;
  private Optional<Duration> requestDeadline = Optional.of(RoutingConfig.DEFAULT_REQUEST_DEADLINE);
  /** Where {@code routing.shared: true} is written, for {@link #checkShared}. */
  private Optional<Value> sharedOn = Optional.empty();

  RoutingBinder(ScalarReader read) {
    this.read = read;
  }

  /**
   * routing.requestDeadline as bound by {@link #bind}, the default when routing was never bound, or
   * empty when it was invalid (then nothing is checked against it).
   */
  Optional<Duration> requestDeadline() {
    return requestDeadline;
  }

  /** Always returns a config; a bad part is reported and replaced by its default. */
  RoutingConfig bind(YamlNode.Mapping m) {
    read.checkKeys(m, "routing", ConfigBinder.ROUTING_KEYS);
    RoutingConfig d = RoutingConfig.DEFAULTS;
    Optional<Value> defaultText = read.scalar(m, "defaultRetryAfter", "routing");
    Optional<Value> maxText = read.scalar(m, "maxRetryAfter", "routing");
    Optional<Duration> def = defaultText.flatMap(read::positiveDuration);
    Optional<Duration> max = maxText.flatMap(read::positiveDuration);
    Duration defaultRetryAfter = def.orElse(d.defaultRetryAfter());
    Duration maxRetryAfter = max.orElse(d.maxRetryAfter());
    boolean bothUsable = def.isPresent() == defaultText.isPresent() && max.isPresent() == maxText.isPresent();
    if (bothUsable && maxRetryAfter.compareTo(defaultRetryAfter) < 0) {
      Value at = maxText.or(() -> defaultText).orElseThrow();
      read.problem(
          at.line(),
          "routing.maxRetryAfter",
          "must be at least routing.defaultRetryAfter ("
              + Durations.format(defaultRetryAfter)
              + "), got "
              + Durations.format(maxRetryAfter)
              + (max.isPresent() ? "" : " (the default)"));
    }
    int maxAttempts =
        read.scalar(m, "maxAttempts", "routing")
            .flatMap(v -> read.integer(v, 0, Integer.MAX_VALUE))
            .orElse(d.maxAttempts());
    Optional<Value> deadlineText = read.scalar(m, "requestDeadline", "routing");
    Optional<Duration> deadline = deadlineText.flatMap(read::positiveDuration);
    requestDeadline = deadline.isPresent() == deadlineText.isPresent()
        ? Optional.of(deadline.orElse(d.requestDeadline()))
        : Optional.empty();
    BreakerConfig breaker =
        read.section(m, "breaker", "routing").map(b -> breaker(b, "routing.breaker")).orElse(d.breaker());
    Optional<Value> sharedText = read.scalar(m, "shared", "routing");
    Optional<Boolean> shared = sharedText.flatMap(read::bool);
    sharedOn = shared.orElse(false) ? sharedText : Optional.empty();
    String sharedKeyPrefix = read.scalar(m, "sharedKeyPrefix", "routing").flatMap(read::nonBlank)
        .orElse(SharedRouting.DEFAULT_KEY_PREFIX);
    Duration authHold = read.scalar(m, "authHold", "routing").flatMap(this::authHold).orElse(d.authHold());
    return read.build(
            m.line(),
            "routing",
            () ->
                new RoutingConfig(
                    defaultRetryAfter,
                    maxRetryAfter,
                    maxAttempts,
                    deadline.orElse(d.requestDeadline()),
                    breaker,
                    new SharedRouting(shared, sharedKeyPrefix),
                    authHold))
        .orElse(d);
  }

  /** {@code routing.authHold}: zero allowed (no hold), at most {@link RoutingConfig#MAX_AUTH_HOLD}. */
  private Optional<Duration> authHold(Value v) {
    return read.convert(v, Durations::parse)
        .filter(hold -> read.positive(v, hold.compareTo(RoutingConfig.MAX_AUTH_HOLD) <= 0,
            "must be a duration from 0s to " + Durations.format(RoutingConfig.MAX_AUTH_HOLD)
                + " (a fixed credential is picked up by a config reload, whatever the hold)"));
  }

  /**
   * Reports {@code routing.shared: true} without {@code limits.store: redis}: the shared throttles live in the limits'
   * Redis, and there is none.
   */
  void checkShared(LimitsConfig limits) {
    sharedOn.filter(v -> limits.store() != LimitsConfig.Store.REDIS)
        .ifPresent(v -> read.problem(v.line(), v.path(), "true needs limits.store: redis (replicas share backend"
            + " throttles through the limits' Redis, limits.redisUrl); set limits.store: redis, or remove routing.shared"));
  }

  private BreakerConfig breaker(YamlNode.Mapping m, String path) {
    read.checkKeys(m, path, ConfigBinder.BREAKER_KEYS);
    BreakerConfig d = BreakerConfig.DEFAULTS;
    int before = read.problemCount();
    boolean enabled = read.scalar(m, "enabled", path).flatMap(read::bool).orElse(d.enabled());
    Optional<Value> thresholdText = read.scalar(m, "failureThreshold", path);
    Optional<Value> rateText = read.scalar(m, "failureRatePercent", path);
    int failureThreshold =
        thresholdText.flatMap(v -> read.integer(v, 0, Integer.MAX_VALUE)).orElse(d.failureThreshold());
    int failureRatePercent = rateText.flatMap(v -> read.integer(v, 0, 100)).orElse(d.failureRatePercent());
    int minimumCalls =
        read.scalar(m, "minimumCalls", path)
            .flatMap(v -> read.integer(v, 1, Integer.MAX_VALUE))
            .orElse(d.minimumCalls());
    Duration window = read.scalar(m, "window", path).flatMap(read::positiveDuration).orElse(d.window());
    Duration tripDuration =
        read.scalar(m, "tripDuration", path).flatMap(read::positiveDuration).orElse(d.tripDuration());
    boolean acceptRetryAfter =
        read.scalar(m, "acceptRetryAfter", path).flatMap(read::bool).orElse(d.acceptRetryAfter());
    int halfOpenProbes =
        read.scalar(m, "halfOpenProbes", path)
            .flatMap(v -> read.integer(v, 1, Integer.MAX_VALUE))
            .orElse(d.halfOpenProbes());
    Set<Integer> failureStatuses = failureStatuses(m, path).orElse(d.failureStatuses());
    int maxEjectedPercent =
        read.scalar(m, "maxEjectedPercent", path)
            .flatMap(v -> read.integer(v, 0, 100))
            .orElse(d.maxEjectedPercent());
    if (read.problemCount() != before) {
      return d;
    }
    if (enabled && failureThreshold == 0 && failureRatePercent == 0) {
      Optional<Value> last =
          thresholdText.isPresent() && rateText.isPresent()
              ? Optional.of(thresholdText.get().line() > rateText.get().line() ? thresholdText.get() : rateText.get())
              : thresholdText.or(() -> rateText);
      read.problem(
          last.map(Value::line).orElse(m.line()),
          last.map(Value::path).orElse(path),
          "failureThreshold and failureRatePercent cannot both be 0 while the breaker is enabled (it could never"
              + " open); set one above 0, or set enabled: false");
      return d;
    }
    return read.build(
            m.line(),
            path,
            () ->
                new BreakerConfig(
                    enabled,
                    failureThreshold,
                    failureRatePercent,
                    minimumCalls,
                    window,
                    tripDuration,
                    acceptRetryAfter,
                    halfOpenProbes,
                    failureStatuses,
                    maxEjectedPercent))
        .orElse(d);
  }

  /** The 5xx statuses that count as breaker failures; empty when absent or wrong (problems reported). */
  private Optional<Set<Integer>> failureStatuses(YamlNode.Mapping m, String parentPath) {
    YamlNode.Entry entry = m.entries().get("failureStatuses");
    if (entry == null || ScalarReader.isNull(entry.value())) {
      return Optional.empty();
    }
    String path = ConfigBinder.child(parentPath, "failureStatuses");
    if (!(entry.value() instanceof YamlNode.Sequence items)) {
      read.problem(
          entry.keyLine(),
          path,
          "must be a list of HTTP statuses, for example [500, 502, 503, 504], got " + entry.value().kind());
      return Optional.empty();
    }
    int before = read.problemCount();
    Map<Integer, Integer> indexOfStatus = new LinkedHashMap<>();
    for (int i = 0; i < items.items().size(); i++) {
      YamlNode item = items.items().get(i);
      String itemPath = path + "[" + i + "]";
      if (ScalarReader.isNull(item)) {
        read.problem(item.line(), itemPath, "must be an HTTP status 500..599, got empty");
        continue;
      }
      Optional<Integer> status = read.value(item, item.line(), itemPath).flatMap(this::failureStatus);
      if (status.isPresent()) {
        Integer first = indexOfStatus.putIfAbsent(status.get(), i);
        if (first != null) {
          read.problem(
              item.line(), itemPath, "duplicate status " + status.get() + " (already listed at [" + first + "])");
        }
      }
    }
    return read.problemCount() == before ? Optional.of(Set.copyOf(indexOfStatus.keySet())) : Optional.empty();
  }

  private Optional<Integer> failureStatus(Value v) {
    Optional<Long> number = read.wholeNumber(v, "an HTTP status 500..599");
    if (number.isEmpty()) {
      return Optional.empty();
    }
    long status = number.get();
    if (status == 429) {
      read.problem(
          v.line(),
          v.path(),
          "429 is never a breaker failure: throttling is handled by Retry-After and the throttle state, not the"
              + " breaker; remove it");
      return Optional.empty();
    }
    if (status >= 400 && status <= 499) {
      read.problem(
          v.line(),
          v.path(),
          "must be a 5xx status 500..599; client errors (4xx) never count as breaker failures, got " + v.shown());
      return Optional.empty();
    }
    if (status < 500 || status > 599) {
      read.problem(v.line(), v.path(), "must be an HTTP status 500..599, got " + v.shown());
      return Optional.empty();
    }
    return Optional.of((int) status);
  }
}
