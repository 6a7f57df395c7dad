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
 * @param enabled false to never open (state DISABLED)
 * @param failureThreshold failures in the window that open the breaker (0 = only the rate counts)
 * @param failureRatePercent failure percentage in the window that opens it, 1..100 (0 = only the count)
 * @param minimumCalls calls in the window before either rule applies
 * @param window length of the sliding window
 * @param tripDuration how long the breaker stays open
 * @param acceptRetryAfter open for the backend's Retry-After instead, when it sent one
 * @param halfOpenProbes trial calls allowed while half-open; all must succeed to close
 * @param failureStatuses HTTP statuses that count as failures (timeouts and connection errors always do)
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
    Set<Integer> failureStatuses) {

  /**
   * Trips on the failure rate only (half of at least 5 calls in 30 s): a count threshold by default would open the
   * breaker of a busy backend for a handful of failures among hundreds of thousands of calls (the edge benchmark saw
   * 5 in 300,000 take the only backend out for 30 s).
   */
  public static final BreakerConfig DEFAULTS =
      new BreakerConfig(
          true, 0, 50, 5, Duration.ofSeconds(30), Duration.ofSeconds(30), true, 1, Set.of(500, 502, 503, 504));

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
    if (window.isNegative() || window.isZero() || tripDuration.isNegative() || tripDuration.isZero()) {
      throw new IllegalArgumentException("window and tripDuration must be positive");
    }
  }
}
