package dev.spillway.gateway.store.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RedisBackendFacts} reaches Redis.
 *
 * @param connectionString {@code redis://[:password@]host:port[/db]} or {@code rediss://}; never logged as given
 * @param keyPrefix prepended to every key and to the channel's name ({@code routing.sharedKeyPrefix})
 * @param commandTimeout how long one call may take, connection included, before it counts as failed
 * @param probeInterval after a failure, how long no fact is sent to Redis (facts stay local meanwhile), and how long
 *     the subscription waits between attempts to come back (at least 100 ms)
 * @param heartbeatInterval how often each replica publishes a heartbeat on the channel; a subscription that hears
 *     nothing for three intervals is renewed (and everything in Redis read again)
 */
public record RedisBackendFactsOptions(
    String connectionString, String keyPrefix, Duration commandTimeout, Duration probeInterval,
    Duration heartbeatInterval) {

  public RedisBackendFactsOptions {
    Objects.requireNonNull(connectionString, "connectionString");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(probeInterval, "probeInterval");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    if (commandTimeout.toMillis() < 1 || heartbeatInterval.toMillis() < 1 || probeInterval.isNegative()) {
      throw new IllegalArgumentException("commandTimeout and heartbeatInterval must be at least 1ms, probeInterval >= 0");
    }
    URI uri = URI.create(connectionString);
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new IllegalArgumentException("connectionString must start with redis:// or rediss://");
    }
  }

  /** {@code connectionString} and {@code keyPrefix} with a 500 ms command timeout, 1 s probe interval and heartbeat. */
  public static RedisBackendFactsOptions of(String connectionString, String keyPrefix) {
    return new RedisBackendFactsOptions(connectionString, keyPrefix, Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(1));
  }

  /** The key holding a backend's throttle end. */
  String throttleKey(String backendId) {
    return throttlePrefix() + backendId;
  }

  String throttlePrefix() {
    return keyPrefix + "throttle:";
  }

  /** The key holding a fact's end: {@code throttle:} or {@code unauthorized:} and the backend's shared name. */
  String factKey(dev.spillway.core.routing.BackendFact.Kind kind, String backend) {
    return factPrefix(kind) + backend;
  }

  String factPrefix(dev.spillway.core.routing.BackendFact.Kind kind) {
    return switch (kind) {
      case THROTTLED -> throttlePrefix();
      case UNAUTHORIZED -> keyPrefix + "unauthorized:";
    };
  }

  /** The channel facts are announced on. */
  String channel() {
    return keyPrefix + "facts";
  }

  /** {@code host:port}, safe to log. */
  String endpoint() {
    URI uri = URI.create(connectionString);
    return uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort());
  }

  @Override
  public String toString() {
    return "RedisBackendFactsOptions[endpoint=" + endpoint() + ", keyPrefix=" + keyPrefix + "]";
  }
}
