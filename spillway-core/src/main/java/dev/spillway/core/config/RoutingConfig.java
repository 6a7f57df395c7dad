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
 * @param shared whether replicas share backend throttles through Redis ({@code routing.shared}, {@code
 *     routing.sharedKeyPrefix})
 * @param authHold how long a backend that refused the gateway's credential (a 401 even after one refresh) is held out
 *     of routing ({@code routing.authHold}); zero turns the hold off (each request then meets the 401 again), at most
 *     {@link #MAX_AUTH_HOLD}
 */
public record RoutingConfig(
    Duration defaultRetryAfter,
    Duration maxRetryAfter,
    int maxAttempts,
    Duration requestDeadline,
    BreakerConfig breaker,
    SharedRouting shared,
    Duration authHold) {
  public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofMinutes(2);
  public static final Duration DEFAULT_AUTH_HOLD = Duration.ofSeconds(60);
  /** The longest {@code routing.authHold}: a fixed credential is picked up by a reload at once, whatever the hold. */
  public static final Duration MAX_AUTH_HOLD = Duration.ofHours(1);

  public static final RoutingConfig DEFAULTS =
      new RoutingConfig(Duration.ofSeconds(10), Duration.ofSeconds(60), 0, DEFAULT_REQUEST_DEADLINE, BreakerConfig.DEFAULTS,
          SharedRouting.DEFAULTS, DEFAULT_AUTH_HOLD);

  /** The settings before {@code routing.authHold}: the default hold. */
  public RoutingConfig(Duration defaultRetryAfter, Duration maxRetryAfter, int maxAttempts, Duration requestDeadline,
      BreakerConfig breaker, SharedRouting shared) {
    this(defaultRetryAfter, maxRetryAfter, maxAttempts, requestDeadline, breaker, shared, DEFAULT_AUTH_HOLD);
  }

  public RoutingConfig {
    Objects.requireNonNull(defaultRetryAfter, "defaultRetryAfter");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    Objects.requireNonNull(requestDeadline, "requestDeadline");
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(shared, "shared");
    Objects.requireNonNull(authHold, "authHold");
    if (authHold.isNegative() || authHold.compareTo(MAX_AUTH_HOLD) > 0) {
      throw new IllegalArgumentException("authHold must be between 0 and " + MAX_AUTH_HOLD + ", was " + authHold);
    }
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts must be >= 0, was " + maxAttempts);
    }
    if (requestDeadline.isNegative() || requestDeadline.isZero()) {
      throw new IllegalArgumentException("requestDeadline must be positive");
    }
  }

  /**
   * A builder that starts at {@link #DEFAULTS} (where a config file without {@code routing:} leaves every value): 10 s
   * default retry-after, 60 s cap, every backend once, {@link #DEFAULT_REQUEST_DEADLINE}, {@link
   * BreakerConfig#DEFAULTS}, {@link SharedRouting#DEFAULTS}.
   */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder holding every value of these settings, for a copy that differs in a few of them. */
  public Builder toBuilder() {
    return new Builder()
        .defaultRetryAfter(defaultRetryAfter)
        .maxRetryAfter(maxRetryAfter)
        .maxAttempts(maxAttempts)
        .requestDeadline(requestDeadline)
        .breaker(breaker)
        .shared(shared)
        .authHold(authHold);
  }

  /**
   * Collects the values of a {@link RoutingConfig}, starting from the settings it was made from. Setters reject null;
   * {@link #build()} checks the ranges (the record's rules). Not thread-safe; use it once.
   */
  public static final class Builder {
    private Duration defaultRetryAfter;
    private Duration maxRetryAfter;
    private int maxAttempts;
    private Duration requestDeadline;
    private BreakerConfig breaker;
    private SharedRouting shared;
    private Duration authHold;

    private Builder() {}

    /** Zero turns the hold off; at most {@link #MAX_AUTH_HOLD}. */
    public Builder authHold(Duration authHold) {
      this.authHold = Objects.requireNonNull(authHold, "authHold");
      return this;
    }

    public Builder defaultRetryAfter(Duration defaultRetryAfter) {
      this.defaultRetryAfter = Objects.requireNonNull(defaultRetryAfter, "defaultRetryAfter");
      return this;
    }

    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
      return this;
    }

    /** 0 means every backend of the pool once. */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder requestDeadline(Duration requestDeadline) {
      this.requestDeadline = Objects.requireNonNull(requestDeadline, "requestDeadline");
      return this;
    }

    public Builder breaker(BreakerConfig breaker) {
      this.breaker = Objects.requireNonNull(breaker, "breaker");
      return this;
    }

    public Builder shared(SharedRouting shared) {
      this.shared = Objects.requireNonNull(shared, "shared");
      return this;
    }

    /** @throws IllegalArgumentException naming the value that is out of range */
    public RoutingConfig build() {
      return new RoutingConfig(defaultRetryAfter, maxRetryAfter, maxAttempts, requestDeadline, breaker, shared, authHold);
    }
  }
}
