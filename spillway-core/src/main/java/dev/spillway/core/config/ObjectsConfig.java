package dev.spillway.core.config;

import dev.spillway.core.objects.InMemoryObjectRegistry;
import dev.spillway.core.objects.ObjectRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway records who owns each stateful object it hands out (stored responses, files, batches, vector
 * stores, uploads), so that a caller reaches only its own: see {@link ObjectRegistry}.
 *
 * @param store {@code memory} (one replica, the default) or {@code redis} (every replica finds every object)
 * @param ttl how long after its creation an object stays reachable through the gateway (default 30 days, as OpenAI
 *     keeps stored responses). It applies to every kind: files and vector stores that the backend keeps longer become
 *     unreachable through the gateway after it, so set it to cover the longest-lived object callers rely on
 * @param maxEntries the memory store's bound on objects; when full it forgets the oldest first (then 404). Unused by
 *     the redis store
 * @param redisUrl for the redis store: {@code objects.redisUrl}, or else {@code limits.redisUrl} when that is written
 *     in the file; empty when neither is
 * @param keyPrefix the redis store's key prefix (default {@code spillway:obj:})
 */
public record ObjectsConfig(Store store, Duration ttl, int maxEntries, Optional<String> redisUrl, String keyPrefix) {
  public enum Store {
    MEMORY,
    REDIS;

    /** As written in the file: {@code memory}, {@code redis}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final String DEFAULT_KEY_PREFIX = "spillway:obj:";
  /** The shortest TTL accepted: shorter would answer 404 for objects while their callers are still using them. */
  public static final Duration MIN_TTL = Duration.ofMinutes(1);
  public static final int MAX_ENTRIES_LIMIT = 100_000_000;

  public static final ObjectsConfig DEFAULTS =
      new ObjectsConfig(
          Store.MEMORY, ObjectRegistry.DEFAULT_TTL, InMemoryObjectRegistry.DEFAULT_MAX_ENTRIES, Optional.empty(),
          DEFAULT_KEY_PREFIX);

  public ObjectsConfig {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(ttl, "ttl");
    redisUrl = redisUrl == null ? Optional.empty() : redisUrl.filter(u -> !u.isBlank());
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    if (ttl.compareTo(MIN_TTL) < 0) {
      throw new IllegalArgumentException("ttl must be at least 1m, got " + Durations.format(ttl));
    }
    if (maxEntries < 1 || maxEntries > MAX_ENTRIES_LIMIT) {
      throw new IllegalArgumentException("maxEntries must be 1.." + MAX_ENTRIES_LIMIT + ", got " + maxEntries);
    }
    if (keyPrefix.isBlank()) {
      throw new IllegalArgumentException("keyPrefix must not be blank");
    }
    if (store == Store.REDIS && redisUrl.isEmpty()) {
      throw new IllegalArgumentException("the redis store needs a redisUrl");
    }
  }

  /** A builder that starts at {@link #DEFAULTS}: memory, 30 days, 100,000 entries, no Redis URL. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder holding every value of this one, for a copy that differs in a few of them. */
  public Builder toBuilder() {
    Builder builder = new Builder().store(store).ttl(ttl).maxEntries(maxEntries).keyPrefix(keyPrefix);
    redisUrl.ifPresent(builder::redisUrl);
    return builder;
  }

  @Override
  public String toString() {
    return "ObjectsConfig[store=" + store.configName() + ", ttl=" + Durations.format(ttl) + ", maxEntries=" + maxEntries
        + ", redisUrl=" + redisUrl.map(ScalarReader::redactUrl).orElse("none") + ", keyPrefix=" + keyPrefix + "]";
  }

  /** Collects the values of an {@link ObjectsConfig}; {@link #build()} checks them. Setters reject null. Not thread-safe. */
  public static final class Builder {
    private Store store;
    private Duration ttl;
    private int maxEntries;
    private Optional<String> redisUrl = Optional.empty();
    private String keyPrefix;

    private Builder() {}

    public Builder store(Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    public Builder ttl(Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    public Builder maxEntries(int maxEntries) {
      this.maxEntries = maxEntries;
      return this;
    }

    /** {@code redis://} or {@code rediss://}, for the redis store. */
    public Builder redisUrl(String redisUrl) {
      this.redisUrl = Optional.of(Objects.requireNonNull(redisUrl, "redisUrl"));
      return this;
    }

    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      return this;
    }

    /** @throws IllegalArgumentException naming the value out of range, or a redis store without a URL */
    public ObjectsConfig build() {
      return new ObjectsConfig(store, ttl, maxEntries, redisUrl, keyPrefix);
    }
  }
}
