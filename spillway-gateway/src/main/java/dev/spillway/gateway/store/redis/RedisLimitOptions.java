package dev.spillway.gateway.store.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RedisLimitStore} reaches Redis and what it does when it cannot.
 *
 * @param connectionString {@code redis://[:password@]host:port[/db]}; never logged as given
 * @param keyPrefix prepended to every key, so several gateways (or test runs) can share a Redis
 * @param failurePolicy what happens when Redis is unreachable
 * @param commandTimeout how long one script call may take, connection included, before it counts as
 *     a failure
 * @param reservationTtl how long an unsettled reservation can still be settled
 * @param probeInterval after a failure, how long the store skips Redis before trying it again (so a
 *     dead Redis costs one timeout per interval, not one per request); zero retries every call
 * @param maxPoolSize connections kept to Redis
 * @param trustCallerClock tests only: take {@code now} from the caller instead of Redis {@code
 *     TIME}, so windows can be driven by a fake clock. Production leaves it false: replica clocks then
 *     never matter.
 */
public record RedisLimitOptions(
    String connectionString,
    String keyPrefix,
    FailurePolicy failurePolicy,
    Duration commandTimeout,
    Duration reservationTtl,
    Duration probeInterval,
    int maxPoolSize,
    boolean trustCallerClock) {

  public static final String DEFAULT_CONNECTION_STRING = "redis://127.0.0.1:6379";
  public static final String DEFAULT_KEY_PREFIX = "spillway:lim:";

  public RedisLimitOptions {
    Objects.requireNonNull(connectionString, "connectionString");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(failurePolicy, "failurePolicy");
    requirePositive(commandTimeout, "commandTimeout");
    requirePositive(reservationTtl, "reservationTtl");
    Objects.requireNonNull(probeInterval, "probeInterval");
    if (probeInterval.isNegative()) {
      throw new IllegalArgumentException("probeInterval must be >= 0, got " + probeInterval);
    }
    if (maxPoolSize < 1) {
      throw new IllegalArgumentException("maxPoolSize must be >= 1, got " + maxPoolSize);
    }
    URI uri = URI.create(connectionString);
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new IllegalArgumentException("connectionString must start with redis:// or rediss://");
    }
  }

  /**
   * A builder that starts from the defaults: local Redis, {@code spillway:lim:} keys, fail open, 500 ms command timeout,
   * 1 h reservations, 1 s probe interval, 8 connections, Redis {@code TIME}.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every option of this one, for a copy that differs in a few of them. */
  public Builder toBuilder() {
    return new Builder()
        .connectionString(connectionString)
        .keyPrefix(keyPrefix)
        .failurePolicy(failurePolicy)
        .commandTimeout(commandTimeout)
        .reservationTtl(reservationTtl)
        .probeInterval(probeInterval)
        .maxPoolSize(maxPoolSize)
        .trustCallerClock(trustCallerClock);
  }

  /**
   * Collects the options; every one has a default. Setters reject null; {@link #build()} checks the rest (positive
   * timeouts, at least one connection, a {@code redis://} or {@code rediss://} URL). Not thread-safe; use it once.
   */
  public static final class Builder {
    private String connectionString = DEFAULT_CONNECTION_STRING;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private FailurePolicy failurePolicy = FailurePolicy.FAIL_OPEN;
    private Duration commandTimeout = Duration.ofMillis(500);
    private Duration reservationTtl = Duration.ofHours(1);
    private Duration probeInterval = Duration.ofSeconds(1);
    private int maxPoolSize = 8;
    private boolean trustCallerClock;

    private Builder() {}

    public Builder connectionString(String connectionString) {
      this.connectionString = Objects.requireNonNull(connectionString, "connectionString");
      return this;
    }

    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    public Builder failurePolicy(FailurePolicy failurePolicy) {
      this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
      return this;
    }

    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
      return this;
    }

    public Builder reservationTtl(Duration reservationTtl) {
      this.reservationTtl = Objects.requireNonNull(reservationTtl, "reservationTtl");
      return this;
    }

    /** Zero retries Redis on every call after a failure. */
    public Builder probeInterval(Duration probeInterval) {
      this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
      return this;
    }

    public Builder maxPoolSize(int maxPoolSize) {
      this.maxPoolSize = maxPoolSize;
      return this;
    }

    /** Tests only: windows follow the {@code now} passed by the caller. See {@link RedisLimitOptions#trustCallerClock}. */
    public Builder trustCallerClock(boolean trustCallerClock) {
      this.trustCallerClock = trustCallerClock;
      return this;
    }

    /** @throws IllegalArgumentException naming the option that is out of range */
    public RedisLimitOptions build() {
      return new RedisLimitOptions(
          connectionString, keyPrefix, failurePolicy, commandTimeout, reservationTtl, probeInterval, maxPoolSize,
          trustCallerClock);
    }
  }

  /** {@code host:port} of the connection string, safe to log: no user, password or database. */
  public String endpoint() {
    URI uri = URI.create(connectionString);
    return uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort());
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  @Override
  public String toString() {
    return "RedisLimitOptions[endpoint=" + endpoint() + ", keyPrefix=" + keyPrefix + ", failurePolicy="
        + failurePolicy.configName() + ", commandTimeout=" + commandTimeout + ", reservationTtl=" + reservationTtl
        + ", probeInterval=" + probeInterval + ", maxPoolSize=" + maxPoolSize + ", trustCallerClock="
        + trustCallerClock + "]";
  }
}
