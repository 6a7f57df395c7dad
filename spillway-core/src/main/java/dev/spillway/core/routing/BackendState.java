package dev.spillway.core.routing;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BreakerConfig;
import dev.spillway.core.routing.breaker.CircuitBreaker;
import dev.spillway.core.routing.strategy.Candidate;
import dev.spillway.core.routing.strategy.LatencyStats;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Live state of one backend deployment: until when it is throttled (429), its circuit breaker
 * (5xx, timeouts, connection failures), calls in flight, recent latency, and the load it last
 * reported. Thread-safe; every update is a single atomic operation, never read-modify-write.
 *
 * <p>Times are {@link dev.spillway.core.time.Ticker} nanos.
 *
 * <p>A config reload that keeps the deployment ({@link Pool#reconfigured}) makes a new state object under the new
 * settings that <em>shares</em> every mutable holder of the old one, so calls still in flight on the old generation
 * and calls on the new one update the same throttle, breaker, in-flight count, latency, reports and drain model.
 */
public final class BackendState implements Candidate {
  private static final long NOT_THROTTLED = Long.MIN_VALUE;
  /**
   * Predictive spill acts on a reported load for this long only. A backend passed over sends no new reports, so a
   * longer hold would keep a PTU that has long drained out of use (the spillover matrix measured 72 % PTU use with a
   * 10 s hold); after the hold one call goes through and brings a fresh reading (a 429 carries one too). Half a
   * second is what a PTU bucket holding 10 s of capacity drains 5 % in.
   */
  static final long REPORT_FRESH_NANOS = 500_000_000L;

  private final BackendConfig config;
  private final int index;
  private final CircuitBreaker breaker;
  private final LatencyStats latency;
  private final AtomicLong throttledUntilNanos;
  /** Until when the backend is held out for refusing the gateway's credential ({@link #holdForAuth}). */
  private final AtomicLong authHeldUntilNanos;
  private final AtomicInteger inFlight;
  private final java.util.concurrent.atomic.AtomicReference<MinuteUsage> sentThisMinute;
  private final Reports reports;
  private final java.util.concurrent.atomic.AtomicReference<dev.spillway.core.routing.station.DrainModel> drain;
  private final java.util.concurrent.atomic.AtomicBoolean probeInFlight;

  /** The load the backend last reported, with when; one holder, so a reload can share it. */
  private static final class Reports {
    volatile double utilizationPercent = -1;
    volatile long utilizationAtNanos;
    volatile long remainingTokens = -1;
    volatile long remainingAtNanos;
  }

  BackendState(BackendConfig config, int index, BreakerConfig breakerConfig) {
    this.config = config;
    this.index = index;
    this.breaker = newBreaker(config, breakerConfig);
    this.latency = new LatencyStats();
    this.throttledUntilNanos = new AtomicLong(NOT_THROTTLED);
    this.authHeldUntilNanos = new AtomicLong(NOT_THROTTLED);
    this.inFlight = new AtomicInteger();
    this.sentThisMinute = new java.util.concurrent.atomic.AtomicReference<>(new MinuteUsage(Long.MIN_VALUE, 0, 0));
    this.reports = new Reports();
    this.probeInFlight = new java.util.concurrent.atomic.AtomicBoolean();
    this.drain =
        new java.util.concurrent.atomic.AtomicReference<>(
            dev.spillway.core.routing.station.DrainModel.initial(config.capacity().tokensPerMinute().orElse(0)));
  }

  /**
   * The same deployment as {@code previous} under new settings: {@code config} at {@code index}, sharing every mutable
   * holder of {@code previous} (see the class comment). The breaker is {@code previous}'s when {@code keepBreaker}
   * (the breaker settings did not change), else a fresh one under {@code breakerConfig}: a window counted under other
   * thresholds does not carry over. An auth hold carries over only when the credential settings are the same: a
   * reload that changes them (a fixed key) lets the backend be tried at once.
   */
  BackendState(BackendConfig config, int index, BackendState previous, BreakerConfig breakerConfig, boolean keepBreaker) {
    this.config = config;
    this.index = index;
    this.breaker = keepBreaker ? previous.breaker : newBreaker(config, breakerConfig);
    this.latency = previous.latency;
    this.throttledUntilNanos = previous.throttledUntilNanos;
    this.authHeldUntilNanos =
        previous.config.auth().equals(config.auth()) ? previous.authHeldUntilNanos : new AtomicLong(NOT_THROTTLED);
    this.inFlight = previous.inFlight;
    this.sentThisMinute = previous.sentThisMinute;
    this.reports = previous.reports;
    this.drain = previous.drain;
    this.probeInFlight = previous.probeInFlight;
  }

  private static CircuitBreaker newBreaker(BackendConfig config, BreakerConfig breakerConfig) {
    return new CircuitBreaker(breakerConfig, dev.spillway.core.routing.breaker.BreakerLog.of(config.id()));
  }

  /** What the station knows of this backend's drain (meaningful for PTU backends). */
  public dev.spillway.core.routing.station.DrainModel drainModel() {
    return drain.get();
  }

  /** A request of {@code costTokens} is sent here now: it takes its cost from the drain model's room. */
  void drainSent(long costTokens, long nowNanos) {
    drain.updateAndGet(m -> m.sent(costTokens, nowNanos));
  }

  /** The backend refused a request of {@code costTokens} for {@code retryNanos}. */
  void drainThrottled(long costTokens, long retryNanos, long nowNanos) {
    drain.updateAndGet(m -> m.throttled(costTokens, retryNanos, nowNanos));
  }

  void drainUtilization(double percent, long nowNanos) {
    drain.updateAndGet(m -> m.utilization(percent, nowNanos));
  }

  void drainRemaining(long tokens, long nowNanos) {
    drain.updateAndGet(m -> m.remaining(tokens, nowNanos));
  }

  /**
   * Other replicas' estimate of the drain rate, taken while this backend's model has no rate of its own.
   *
   * @return true when the model took it
   */
  boolean drainSeeded(double tokensPerNano) {
    return !drain.getAndUpdate(m -> m.seeded(tokensPerNano)).hasRate() && tokensPerNano > 0;
  }

  boolean probeInFlight() {
    return probeInFlight.get();
  }

  void probeSent() {
    probeInFlight.set(true);
  }

  void probeAnswered() {
    probeInFlight.set(false);
  }

  public BackendConfig config() {
    return config;
  }

  public String id() {
    return config.id();
  }

  @Override
  public int poolIndex() {
    return index;
  }

  @Override
  public int weight() {
    return config.weight();
  }

  @Override
  public int inFlight() {
    return inFlight.get();
  }

  @Override
  public LatencyStats latency() {
    return latency;
  }

  public CircuitBreaker breaker() {
    return breaker;
  }

  /** Not throttled by a 429 (the breaker is a separate question). */
  public boolean isAvailable(long nowNanos) {
    long until = throttledUntilNanos.get();
    return until == NOT_THROTTLED || nowNanos - until >= 0;
  }

  public boolean isThrottled(long nowNanos) {
    return !isAvailable(nowNanos);
  }

  /** Nanos until the 429 throttle ends; 0 when not throttled. */
  public long nanosUntilAvailable(long nowNanos) {
    long until = throttledUntilNanos.get();
    return until == NOT_THROTTLED ? 0 : Math.max(0, until - nowNanos);
  }

  /**
   * May take a call now: neither throttled, nor held for refusing the gateway's credential, nor refused by its breaker.
   * Does not take a probe permit.
   */
  public boolean canTakeCall(long nowNanos) {
    return isAvailable(nowNanos) && !isAuthHeld(nowNanos) && breaker.isCallPermitted(nowNanos);
  }

  /**
   * Held out of routing because it refused the gateway's credential ({@code 401} after one refresh) until a moment
   * not yet reached. Not a throttle: {@link #isThrottled} and the station do not count it (it says nothing about the
   * backend's capacity).
   */
  public boolean isAuthHeld(long nowNanos) {
    long until = authHeldUntilNanos.get();
    return until != NOT_THROTTLED && nowNanos - until < 0;
  }

  /** Nanos until the auth hold ends; 0 when not held. */
  public long nanosUntilAuthReleased(long nowNanos) {
    long until = authHeldUntilNanos.get();
    return until == NOT_THROTTLED ? 0 : Math.max(0, until - nowNanos);
  }

  /** Holds the backend out until {@code untilNanos} for refusing the credential; only ever extends a hold. */
  public void holdForAuth(long untilNanos) {
    authHeldUntilNanos.accumulateAndGet(
        untilNanos, (old, next) -> old == NOT_THROTTLED || next - old > 0 ? next : old);
  }

  /** Ends an auth hold (operator reset, or tests). */
  public void clearAuthHold() {
    authHeldUntilNanos.set(NOT_THROTTLED);
  }

  /**
   * Marks the backend throttled until {@code untilNanos}. Only ever extends an existing throttle:
   * a late, shorter Retry-After never shortens a longer one.
   */
  public void throttleUntil(long untilNanos) {
    throttledUntilNanos.accumulateAndGet(
        untilNanos, (old, next) -> old == NOT_THROTTLED || next - old > 0 ? next : old);
  }

  /** Clears any throttle (operator reset, or tests). */
  public void clearThrottle() {
    throttledUntilNanos.set(NOT_THROTTLED);
  }

  public void callStarted() {
    inFlight.incrementAndGet();
  }

  public void callEnded() {
    inFlight.decrementAndGet();
  }

  /** What this gateway sent to the backend in the current minute (60 s window of the ticker). */
  private record MinuteUsage(long windowStartNanos, long tokens, long requests) {}

  private static final long MINUTE_NANOS = 60_000_000_000L;

  /** Counts a call of {@code costTokens} sent now, toward the backend's declared capacity. */
  public void recordSent(long costTokens, long nowNanos) {
    sentThisMinute.updateAndGet(
        u -> nowNanos - u.windowStartNanos() >= MINUTE_NANOS || u.windowStartNanos() == Long.MIN_VALUE
            ? new MinuteUsage(nowNanos, costTokens, 1)
            : new MinuteUsage(u.windowStartNanos(), u.tokens() + costTokens, u.requests() + 1));
  }

  /**
   * True when sending {@code costTokens} more in the current minute would exceed the capacity the
   * backend declared, so the call would surely be throttled.
   */
  boolean wouldExceedCapacity(long costTokens, long nowNanos) {
    dev.spillway.core.config.BackendCapacity capacity = config.capacity();
    if (!capacity.declared()) {
      return false;
    }
    MinuteUsage u = sentThisMinute.get();
    boolean current = u.windowStartNanos() != Long.MIN_VALUE && nowNanos - u.windowStartNanos() < MINUTE_NANOS;
    long tokens = current ? u.tokens() : 0;
    long requests = current ? u.requests() : 0;
    return (capacity.tokensPerMinute().isPresent() && tokens + costTokens > capacity.tokensPerMinute().getAsLong())
        || (capacity.requestsPerMinute().isPresent() && requests + 1 > capacity.requestsPerMinute().getAsLong());
  }

  /** Records {@code azure-openai-deployment-utilization} as last reported. */
  public void reportUtilization(double percent, long nowNanos) {
    reports.utilizationAtNanos = nowNanos;
    reports.utilizationPercent = percent;
  }

  /** Records {@code x-ratelimit-remaining-tokens} as last reported. */
  public void reportRemainingTokens(long tokens, long nowNanos) {
    reports.remainingAtNanos = nowNanos;
    reports.remainingTokens = tokens;
  }

  /** The last reported utilization, any age (for the admin view). */
  public OptionalDouble lastUtilizationPercent() {
    double u = reports.utilizationPercent;
    return u < 0 ? OptionalDouble.empty() : OptionalDouble.of(u);
  }

  /** The last reported remaining tokens, any age (for the admin view). */
  public OptionalLong lastRemainingTokens() {
    long r = reports.remainingTokens;
    return r < 0 ? OptionalLong.empty() : OptionalLong.of(r);
  }

  /** The reported utilization if it is recent enough to act on. */
  OptionalDouble freshUtilizationPercent(long nowNanos) {
    double u = reports.utilizationPercent;
    return u >= 0 && nowNanos - reports.utilizationAtNanos < REPORT_FRESH_NANOS ? OptionalDouble.of(u) : OptionalDouble.empty();
  }

  /** The reported remaining tokens if recent enough to act on. */
  OptionalLong freshRemainingTokens(long nowNanos) {
    long r = reports.remainingTokens;
    return r >= 0 && nowNanos - reports.remainingAtNanos < REPORT_FRESH_NANOS ? OptionalLong.of(r) : OptionalLong.empty();
  }
}
