package dev.spillway.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Gateway-wide routing settings.
 *
 * @param defaultRetryAfter how long a backend that answered 429 without any retry header stays
 *     throttled
 * @param maxRetryAfter cap on any backend-supplied retry delay (Azure can say a day)
 * @param maxAttempts the most backends one request may try; 0 means every backend of the pool once
 * @param requestDeadline the longest one client request may spend trying backends and waiting for
 *     PTU, before the response starts; a started stream is bounded by the backend timeouts instead
 * @param breaker the circuit breaker every backend gets
 */
public record RoutingConfig(
    Duration defaultRetryAfter, Duration maxRetryAfter, int maxAttempts, Duration requestDeadline, BreakerConfig breaker) {
  public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofMinutes(2);

  public static final RoutingConfig DEFAULTS =
      new RoutingConfig(Duration.ofSeconds(10), Duration.ofSeconds(60), 0, DEFAULT_REQUEST_DEADLINE, BreakerConfig.DEFAULTS);

  public RoutingConfig {
    Objects.requireNonNull(defaultRetryAfter, "defaultRetryAfter");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    Objects.requireNonNull(requestDeadline, "requestDeadline");
    Objects.requireNonNull(breaker, "breaker");
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts must be >= 0, was " + maxAttempts);
    }
    if (requestDeadline.isNegative() || requestDeadline.isZero()) {
      throw new IllegalArgumentException("requestDeadline must be positive");
    }
  }

  public RoutingConfig(Duration defaultRetryAfter, Duration maxRetryAfter, int maxAttempts) {
    this(defaultRetryAfter, maxRetryAfter, maxAttempts, DEFAULT_REQUEST_DEADLINE, BreakerConfig.DEFAULTS);
  }

  public RoutingConfig withBreaker(BreakerConfig newBreaker) {
    return new RoutingConfig(defaultRetryAfter, maxRetryAfter, maxAttempts, requestDeadline, newBreaker);
  }
}
