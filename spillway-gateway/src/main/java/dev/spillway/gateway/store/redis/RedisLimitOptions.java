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

  /** Local Redis, {@code spillway:lim:} keys, fail open, 500 ms timeout, 1 h reservations, 1 s probe. */
  public static RedisLimitOptions defaults() {
    return new RedisLimitOptions(
        DEFAULT_CONNECTION_STRING,
        DEFAULT_KEY_PREFIX,
        FailurePolicy.FAIL_OPEN,
        Duration.ofMillis(500),
        Duration.ofHours(1),
        Duration.ofSeconds(1),
        8,
        false);
  }

  public RedisLimitOptions withConnectionString(String value) {
    return new RedisLimitOptions(
        value, keyPrefix, failurePolicy, commandTimeout,
        reservationTtl, probeInterval, maxPoolSize, trustCallerClock);
  }

  public RedisLimitOptions withKeyPrefix(String value) {
    return new RedisLimitOptions(
        connectionString, value, failurePolicy, commandTimeout,
        reservationTtl, probeInterval, maxPoolSize, trustCallerClock);
  }

  public RedisLimitOptions withFailurePolicy(FailurePolicy value) {
    return new RedisLimitOptions(
        connectionString, keyPrefix, value, commandTimeout,
        reservationTtl, probeInterval, maxPoolSize, trustCallerClock);
  }

  public RedisLimitOptions withCommandTimeout(Duration value) {
    return new RedisLimitOptions(
        connectionString, keyPrefix, failurePolicy, value,
        reservationTtl, probeInterval, maxPoolSize, trustCallerClock);
  }

  public RedisLimitOptions withReservationTtl(Duration value) {
    return new RedisLimitOptions(
        connectionString, keyPrefix, failurePolicy, commandTimeout,
        value, probeInterval, maxPoolSize, trustCallerClock);
  }

  public RedisLimitOptions withProbeInterval(Duration value) {
    return new RedisLimitOptions(
        connectionString, keyPrefix, failurePolicy, commandTimeout,
        reservationTtl, value, maxPoolSize, trustCallerClock);
  }

  public RedisLimitOptions withMaxPoolSize(int value) {
    return new RedisLimitOptions(
        connectionString, keyPrefix, failurePolicy, commandTimeout,
        reservationTtl, probeInterval, value, trustCallerClock);
  }

  /** Tests only: windows follow the {@code now} passed by the caller. See {@link #trustCallerClock}. */
  public RedisLimitOptions withCallerClockForTests() {
    return new RedisLimitOptions(
        connectionString, keyPrefix, failurePolicy, commandTimeout,
        reservationTtl, probeInterval, maxPoolSize, true);
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
