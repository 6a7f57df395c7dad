package dev.spillway.gateway.store.redis;

import dev.spillway.core.config.ObjectsConfig;
import dev.spillway.core.objects.ObjectRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RedisObjectRegistry} reaches Redis and how long it keeps objects.
 *
 * @param connectionString {@code redis://[:password@]host:port[/db]} or {@code rediss://}; never logged as given
 * @param keyPrefix prepended to every key, so several gateways (or test runs) can share a Redis
 * @param ttl how long after its creation an object stays known (the {@link ObjectRegistry} TTL)
 * @param commandTimeout how long one call may take, connection included, before it fails with {@code
 *     ObjectRegistryUnavailableException}
 * @param probeInterval after a failure, how long calls fail at once instead of trying Redis again (so a Redis that
 *     never answers costs one timeout per interval, not one per request); zero tries Redis on every call
 * @param maxPoolSize connections kept to Redis
 */
public record RedisObjectOptions(
    String connectionString, String keyPrefix, Duration ttl, Duration commandTimeout, Duration probeInterval,
    int maxPoolSize) {

  public static final String DEFAULT_KEY_PREFIX = ObjectsConfig.DEFAULT_KEY_PREFIX;

  public RedisObjectOptions {
    Objects.requireNonNull(connectionString, "connectionString");
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1ms, got " + ttl);
    }
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    if (commandTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("commandTimeout must be at least 1ms, got " + commandTimeout);
    }
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
   * A builder that starts from the defaults: local Redis, {@code spillway:obj:} keys, a 30-day TTL, 500 ms command
   * timeout, 1 s probe interval, 8 connections (the limit store's timeout, interval and pool size).
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder taking the connection string, key prefix and TTL from {@code objects:} (other options at their defaults).
   *
   * @throws IllegalArgumentException when {@code objects} names no Redis URL
   */
  public static Builder builder(ObjectsConfig objects) {
    String url = objects.redisUrl().orElseThrow(() -> new IllegalArgumentException("objects: names no redisUrl"));
    return new Builder().connectionString(url).keyPrefix(objects.keyPrefix()).ttl(objects.ttl());
  }

  /** A builder holding every option of this one, for a copy that differs in a few of them. */
  public Builder toBuilder() {
    return new Builder()
        .connectionString(connectionString)
        .keyPrefix(keyPrefix)
        .ttl(ttl)
        .commandTimeout(commandTimeout)
        .probeInterval(probeInterval)
        .maxPoolSize(maxPoolSize);
  }

  /**
   * Collects the options; every one has a default. Setters reject null; {@link #build()} checks the rest. Not
   * thread-safe; use it once.
   */
  public static final class Builder {
    private String connectionString = RedisLimitOptions.DEFAULT_CONNECTION_STRING;
    private String keyPrefix = DEFAULT_KEY_PREFIX;
    private Duration ttl = ObjectRegistry.DEFAULT_TTL;
    private Duration commandTimeout = Duration.ofMillis(500);
    private Duration probeInterval = Duration.ofSeconds(1);
    private int maxPoolSize = 8;

    private Builder() {}

    public Builder connectionString(String connectionString) {
      this.connectionString = Objects.requireNonNull(connectionString, "connectionString");
      return this;
    }

    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    public Builder commandTimeout(Duration commandTimeout) {
      this.commandTimeout = Objects.requireNonNull(commandTimeout, "commandTimeout");
      return this;
    }

    /** Zero tries Redis on every call after a failure. */
    public Builder probeInterval(Duration probeInterval) {
      this.probeInterval = Objects.requireNonNull(probeInterval, "probeInterval");
      return this;
    }

    public Builder maxPoolSize(int maxPoolSize) {
      this.maxPoolSize = maxPoolSize;
      return this;
    }

    /** @throws IllegalArgumentException naming the option that is out of range */
    public RedisObjectOptions build() {
      return new RedisObjectOptions(connectionString, keyPrefix, ttl, commandTimeout, probeInterval, maxPoolSize);
    }
  }

  /** {@code host:port} of the connection string, safe to log: no user, password or database. */
  public String endpoint() {
    URI uri = URI.create(connectionString);
    return uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort());
  }

  @Override
  public String toString() {
    return "RedisObjectOptions[endpoint=" + endpoint() + ", keyPrefix=" + keyPrefix + ", ttl=" + ttl
        + ", commandTimeout=" + commandTimeout + ", probeInterval=" + probeInterval + ", maxPoolSize=" + maxPoolSize
        + "]";
  }
}
