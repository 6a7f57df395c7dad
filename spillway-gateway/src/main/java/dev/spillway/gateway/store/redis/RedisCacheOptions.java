package dev.spillway.gateway.store.redis;

import dev.spillway.core.cache.CacheStore;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How the shared response cache reaches Redis ({@link RedisAnswerStore}, {@link RedisSemanticEntries}).
 *
 * @param connectionString {@code redis://[:password@]host:port[/db]} or {@code rediss://}; never logged as given
 * @param keyPrefix prepended to every key and to the channel, so several gateways (or test runs) can share a Redis
 * @param commandTimeout how long one call may take, connection included, before the cache counts Redis as failed
 *     (a lookup then misses): short, since a cache slower than this is not worth waiting for
 * @param probeInterval after a failure, how long Redis is not tried again (lookups miss at once), and how long the
 *     semantic subscription waits between attempts to come back; zero tries Redis on every call
 * @param heartbeatInterval how often each replica checks that its subscription still hears the channel (it publishes
 *     a heartbeat and expects to hear it back); a subscription that hears nothing for three intervals is renewed
 * @param maxPoolSize connections kept to Redis for commands (the subscription has one more of its own)
 */
public record RedisCacheOptions(
    String connectionString, String keyPrefix, Duration commandTimeout, Duration probeInterval,
    Duration heartbeatInterval, int maxPoolSize) {

  public RedisCacheOptions {
    Objects.requireNonNull(connectionString, "connectionString");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(probeInterval, "probeInterval");
    Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
    if (commandTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("commandTimeout must be at least 1ms, got " + commandTimeout);
    }
    if (probeInterval.isNegative()) {
      throw new IllegalArgumentException("probeInterval must be >= 0, got " + probeInterval);
    }
    if (heartbeatInterval.toMillis() < 1) {
      throw new IllegalArgumentException("heartbeatInterval must be at least 1ms, got " + heartbeatInterval);
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
   * The options for {@code store} (a Redis store): its URL and key prefix, a 500 ms command timeout and a 1 s probe
   * interval (the other Redis stores'), a 2 s heartbeat and 8 connections.
   *
   * @throws IllegalArgumentException when the store is not Redis
   */
  public static RedisCacheOptions of(CacheStore store) {
    String url = store.redisUrl().orElseThrow(() -> new IllegalArgumentException("the cache store is not Redis"));
    return new RedisCacheOptions(url, store.keyPrefix(), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), 8);
  }

  public RedisCacheOptions withKeyPrefix(String prefix) {
    return new RedisCacheOptions(connectionString, prefix, commandTimeout, probeInterval, heartbeatInterval, maxPoolSize);
  }

  public RedisCacheOptions withTimeouts(Duration command, Duration probe, Duration heartbeat) {
    return new RedisCacheOptions(connectionString, keyPrefix, command, probe, heartbeat, maxPoolSize);
  }

  /** The key of the exact layer's answer under {@code key}. */
  String answerKey(String key) {
    return keyPrefix + "a:" + key;
  }

  /** The key of the semantic entry {@code id}. */
  String entryKey(String id) {
    return keyPrefix + "s:" + id;
  }

  /** The channel on which semantic entries and their invalidations are announced. */
  String channel() {
    return keyPrefix + "events";
  }

  /** {@code host:port} of the connection string, safe to log: no user, password or database. */
  public String endpoint() {
    URI uri = URI.create(connectionString);
    return uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort());
  }

  @Override
  public String toString() {
    return "RedisCacheOptions[endpoint=" + endpoint() + ", keyPrefix=" + keyPrefix + ", commandTimeout=" + commandTimeout
        + ", probeInterval=" + probeInterval + ", heartbeatInterval=" + heartbeatInterval + ", maxPoolSize="
        + maxPoolSize + "]";
  }
}
