package dev.spillway.core.cache;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the response cache keeps its answers: in this process ({@link #MEMORY}, the default), or in Redis, shared by
 * every replica (the exact layer's answers, and the semantic layer's entries, which each replica also keeps in its own
 * index). Chosen by the gateway's own {@code cache} section only.
 *
 * @param kind memory or Redis
 * @param redisUrl {@code redis://} or {@code rediss://}, for {@link Kind#REDIS}; may hold a password, so {@link
 *     #toString} shows its host and port only
 * @param keyPrefix every key the cache writes in Redis (and its channel) starts with it, so several gateways or test
 *     runs can share a Redis
 */
public record CacheStore(Kind kind, Optional<String> redisUrl, String keyPrefix) {
  /** Memory or Redis. */
  public enum Kind {
    MEMORY,
    REDIS;

    /** As written in the file: {@code memory}, {@code redis}. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public static final String DEFAULT_KEY_PREFIX = "spillway:cache:";

  /** In this process: the default. */
  public static final CacheStore MEMORY = new CacheStore(Kind.MEMORY, Optional.empty(), DEFAULT_KEY_PREFIX);

  public CacheStore {
    Objects.requireNonNull(kind, "kind");
    redisUrl = redisUrl == null ? Optional.empty() : redisUrl.filter(u -> !u.isBlank());
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    if (keyPrefix.isBlank()) {
      throw new IllegalArgumentException("keyPrefix must not be blank");
    }
    if (kind == Kind.REDIS && redisUrl.isEmpty()) {
      throw new IllegalArgumentException("the redis store needs a redisUrl");
    }
    String lower = redisUrl.orElse("redis://").toLowerCase(Locale.ROOT);
    if (!lower.startsWith("redis://") && !lower.startsWith("rediss://")) {
      throw new IllegalArgumentException("redisUrl must be a redis:// or rediss:// URL");
    }
  }

  /** Redis at {@code redisUrl}, keys under {@code keyPrefix}. */
  public static CacheStore redis(String redisUrl, String keyPrefix) {
    return new CacheStore(Kind.REDIS, Optional.of(redisUrl), keyPrefix);
  }

  /** True when the answers are in Redis, shared by every replica. */
  public boolean shared() {
    return kind == Kind.REDIS;
  }

  /** {@code host:port} of the Redis URL (safe to log: no user, password or database); empty for memory. */
  public String endpoint() {
    return redisUrl.map(url -> {
      try {
        URI uri = URI.create(url);
        return uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort());
      } catch (IllegalArgumentException e) {
        return "(unparsable URL)";
      }
    }).orElse("");
  }

  @Override
  public String toString() {
    return "CacheStore[" + kind.configName() + (shared() ? ", " + endpoint() + ", " + keyPrefix : "") + "]";
  }
}
