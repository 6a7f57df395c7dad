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
 */
public record RoutingConfig(Duration defaultRetryAfter, Duration maxRetryAfter, int maxAttempts) {
  public static final RoutingConfig DEFAULTS =
      new RoutingConfig(Duration.ofSeconds(10), Duration.ofSeconds(60), 0);

  public RoutingConfig {
    Objects.requireNonNull(defaultRetryAfter, "defaultRetryAfter");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts must be >= 0, was " + maxAttempts);
    }
  }
}
