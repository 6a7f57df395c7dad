package dev.spillway.core.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The circuit breaker every backend gets. A breaker opens when, within the sliding {@code window},
 * at least {@code minimumCalls} calls were made and either {@code failureThreshold} of them failed
 * or the failure rate reached {@code failureRatePercent}. It then stays open for {@code
 * tripDuration} (or for the backend's own Retry-After when {@code acceptRetryAfter} is set), after
 * which {@code halfOpenProbes} trial calls decide whether it closes again.
 *
 * <p>429 never counts: throttling is handled by the throttle state, not the breaker. Client errors
 * (4xx) never count.
 *
 * <p>The breakers of one pool together never hold out more than {@code maxEjectedPercent} of its backends (rounded
 * down): when one more would be held out, the open backend closest to its half-open time (then the least failed) is
 * made half-open at once and gets trial calls, so a pool is never dark because of its breakers alone. A backend an
 * operator forced open counts as held out but is never the one put on trial.
 *
 * @param enabled false to never open (state DISABLED)
 * @param failureThreshold failures in the window that open the breaker (0 = only the rate counts)
 * @param failureRatePercent failure percentage in the window that opens it, 1..100 (0 = only the count)
 * @param minimumCalls calls in the window before either rule applies
 * @param window length of the sliding window
 * @param tripDuration how long the breaker stays open
 * @param acceptRetryAfter open for the backend's Retry-After instead, when it sent one
 * @param halfOpenProbes trial calls allowed while half-open; all must succeed to close
 * @param failureStatuses HTTP statuses that count as failures (timeouts and connection errors always do)
 * @param maxEjectedPercent the most of a pool's backends its breakers may hold out at once, 0..100, rounded down:
 *     {@value #DEFAULT_MAX_EJECTED_PERCENT} (the default) leaves one backend on trial in any pool of up to 100
 *     backends, a single-backend pool included; 100 lets the breakers hold out the whole pool
 */
public record BreakerConfig(
    boolean enabled,
    int failureThreshold,
    int failureRatePercent,
    int minimumCalls,
    Duration window,
    Duration tripDuration,
    boolean acceptRetryAfter,
    int halfOpenProbes,
    Set<Integer> failureStatuses,
    int maxEjectedPercent) {

  /**
   * All but one backend of a pool (of up to 100 backends) may be held out by breakers, so a pool whose backends are
   * all suspected keeps one on trial instead of answering 503 for a whole open time (see {@code
   * dev.spillway.core.routing.EjectionCap}).
   */
  public static final int DEFAULT_MAX_EJECTED_PERCENT = 99;

  /**
   * Trips on the failure rate only (half of at least 5 calls in 30 s): a count threshold by default would open the
   * breaker of a busy backend for a handful of failures among hundreds of thousands of calls (the edge benchmark saw
   * 5 in 300,000 take the only backend out for 30 s).
   */
  public static final BreakerConfig DEFAULTS =
      new BreakerConfig(
          true, 0, 50, 5, Duration.ofSeconds(30), Duration.ofSeconds(30), true, 1, Set.of(500, 502, 503, 504),
          DEFAULT_MAX_EJECTED_PERCENT);

  public BreakerConfig {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(tripDuration, "tripDuration");
    failureStatuses = Set.copyOf(failureStatuses);
    if (failureThreshold < 0) {
      throw new IllegalArgumentException("failureThreshold must be >= 0");
    }
    if (failureRatePercent < 0 || failureRatePercent > 100) {
      throw new IllegalArgumentException("failureRatePercent must be 0..100");
    }
    if (failureThreshold == 0 && failureRatePercent == 0 && enabled) {
      throw new IllegalArgumentException("failureThreshold and failureRatePercent cannot both be 0");
    }
    if (minimumCalls < 1) {
      throw new IllegalArgumentException("minimumCalls must be >= 1");
    }
    if (halfOpenProbes < 1) {
      throw new IllegalArgumentException("halfOpenProbes must be >= 1");
    }
    if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
      throw new IllegalArgumentException("maxEjectedPercent must be 0..100");
    }
    if (window.isNegative() || window.isZero() || tripDuration.isNegative() || tripDuration.isZero()) {
      throw new IllegalArgumentException("window and tripDuration must be positive");
    }
  }

  /** The settings with the default {@code maxEjectedPercent} ({@value #DEFAULT_MAX_EJECTED_PERCENT}). */
  public BreakerConfig(
      boolean enabled,
      int failureThreshold,
      int failureRatePercent,
      int minimumCalls,
      Duration window,
      Duration tripDuration,
      boolean acceptRetryAfter,
      int halfOpenProbes,
      Set<Integer> failureStatuses) {
    this(enabled, failureThreshold, failureRatePercent, minimumCalls, window, tripDuration, acceptRetryAfter,
        halfOpenProbes, failureStatuses, DEFAULT_MAX_EJECTED_PERCENT);
  }

  /**
   * The most backends of a pool of {@code poolSize} its breakers may hold out at once: {@code poolSize *
   * maxEjectedPercent / 100} rounded down, so below 100 % at least one backend always stays in.
   */
  public int maxEjected(int poolSize) {
    return (int) ((long) poolSize * maxEjectedPercent / 100);
  }

  /** These settings with another {@code maxEjectedPercent}. */
  public BreakerConfig withMaxEjectedPercent(int percent) {
    return new BreakerConfig(enabled, failureThreshold, failureRatePercent, minimumCalls, window, tripDuration,
        acceptRetryAfter, halfOpenProbes, failureStatuses, percent);
  }
}
