package dev.spillway.gateway.store.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RedisSessionPins} and {@link RedisDrainRates} reach Redis: the limits' Redis and the shared routing key
 * prefix, as the shared throttles use them.
 *
 * @param connectionString {@code redis://[:password@]host:port[/db]} or {@code rediss://}; never logged as given
 * @param keyPrefix prepended to every key ({@code routing.sharedKeyPrefix})
 * @param commandTimeout how long one call may take, connection included; a session's pin is read before its request
 *     is routed, so this bounds what a slow Redis adds to such a request
 * @param probeInterval after a failure, how long Redis is not tried (pins and rates stay local meanwhile)
 * @param sessionPinTtl how long a session's pin is kept after its last answer
 */
public record RedisRoutingStateOptions(
    String connectionString, String keyPrefix, Duration commandTimeout, Duration probeInterval, Duration sessionPinTtl) {

  /** A session's pin lasts a day after its last answer: a conversation picked up the next morning keeps its backend. */
  public static final Duration DEFAULT_SESSION_PIN_TTL = Duration.ofHours(24);

  public RedisRoutingStateOptions {
    Objects.requireNonNull(connectionString, "connectionString");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    Objects.requireNonNull(probeInterval, "probeInterval");
    Objects.requireNonNull(sessionPinTtl, "sessionPinTtl");
    if (commandTimeout.toMillis() < 1 || sessionPinTtl.toMillis() < 1 || probeInterval.isNegative()) {
      throw new IllegalArgumentException("commandTimeout and sessionPinTtl must be at least 1ms, probeInterval >= 0");
    }
    URI uri = URI.create(connectionString);
    if (!"redis".equals(uri.getScheme()) && !"rediss".equals(uri.getScheme())) {
      throw new IllegalArgumentException("connectionString must start with redis:// or rediss://");
    }
  }

  /**
   * {@code connectionString} and {@code keyPrefix} with a 500 ms command timeout (the limit store's, also read on the
   * request path), 1 s probe interval, pins for a day.
   */
  public static RedisRoutingStateOptions of(String connectionString, String keyPrefix) {
    return new RedisRoutingStateOptions(connectionString, keyPrefix, Duration.ofMillis(500), Duration.ofSeconds(1),
        DEFAULT_SESSION_PIN_TTL);
  }

  /**
   * Client options: a connection may take 2 s to be made (or the command timeout, if longer). A call still gives up
   * after its command timeout, but the connection it started goes on being made, for the calls after it: a first
   * connection on a loaded machine (the client's handshake, cold code) is not abandoned over and over.
   */
  io.vertx.redis.client.RedisOptions clientOptions(int maxPoolSize) {
    Duration connect = commandTimeout.compareTo(Duration.ofSeconds(2)) > 0 ? commandTimeout : Duration.ofSeconds(2);
    return RedisCalls.clientOptions(connectionString, maxPoolSize, connect);
  }

  /** The key of a session's pin. */
  String sessionKey(String sessionId) {
    return keyPrefix + "session:" + sessionId;
  }

  /** The hash of a PTU deployment's drain estimates, one field per replica. */
  String drainKey(String backend) {
    return keyPrefix + "drain:" + backend;
  }

  /** {@code host:port}, safe to log. */
  String endpoint() {
    URI uri = URI.create(connectionString);
    return uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort());
  }

  @Override
  public String toString() {
    return "RedisRoutingStateOptions[endpoint=" + endpoint() + ", keyPrefix=" + keyPrefix + "]";
  }
}
