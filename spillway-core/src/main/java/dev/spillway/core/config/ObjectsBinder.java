package dev.spillway.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Binds the top-level {@code objects:} section: where the owners of stateful objects (stored responses, files,
 * batches, vector stores, uploads) are recorded. The redis store connects to {@code objects.redisUrl}, or to {@code
 * limits.redisUrl} when only that is written, so one Redis serves both without saying it twice; a redis store with
 * neither is a problem at {@code objects.store}.
 */
final class ObjectsBinder {
  static final List<String> OBJECTS_KEYS = List.of("store", "ttl", "maxEntries", "redisUrl", "keyPrefix");

  private final ScalarReader read;

  ObjectsBinder(ScalarReader read) {
    this.read = read;
  }

  /** @param limitsRedisUrl {@code limits.redisUrl} when the file writes it (not its default): the fallback URL */
  ObjectsConfig bind(YamlNode.Mapping m, Optional<String> limitsRedisUrl) {
    String path = "objects";
    int before = read.problemCount();
    read.checkKeys(m, path, OBJECTS_KEYS);
    ObjectsConfig d = ObjectsConfig.DEFAULTS;
    Optional<ScalarReader.Value> storeValue = read.scalar(m, "store", path);
    ObjectsConfig.Store store =
        storeValue.flatMap(v -> read.choice(v, ObjectsConfig.Store.values(), ObjectsConfig.Store::configName))
            .orElse(d.store());
    Duration ttl = read.scalar(m, "ttl", path).flatMap(this::ttl).orElse(d.ttl());
    int maxEntries =
        read.scalar(m, "maxEntries", path).flatMap(v -> read.integer(v, 1, ObjectsConfig.MAX_ENTRIES_LIMIT))
            .orElse(d.maxEntries());
    boolean ownUrlWritten = ScalarReader.present(m, "redisUrl");
    Optional<String> redisUrl =
        ownUrlWritten ? read.scalar(m, "redisUrl", path).flatMap(read::redisUrl) : limitsRedisUrl;
    String keyPrefix = read.scalar(m, "keyPrefix", path).flatMap(read::nonBlank).orElse(d.keyPrefix());
    if (store == ObjectsConfig.Store.REDIS && !ownUrlWritten && redisUrl.isEmpty()) {
      ScalarReader.Value v = storeValue.orElseThrow(); // REDIS is never the default
      read.problem(
          v.line(),
          v.path(),
          "redis needs a Redis URL: set objects.redisUrl, or limits.redisUrl (used when objects.redisUrl is absent)");
    }
    if (read.problemCount() != before) {
      return d; // the load fails; the value is never used
    }
    return new ObjectsConfig(store, ttl, maxEntries, redisUrl, keyPrefix);
  }

  /** A positive duration of at least {@link ObjectsConfig#MIN_TTL}. */
  private Optional<Duration> ttl(ScalarReader.Value v) {
    Optional<Duration> d = read.positiveDuration(v);
    if (d.isPresent() && d.get().compareTo(ObjectsConfig.MIN_TTL) < 0) {
      read.problem(v.line(), v.path(), "must be at least 1m (objects would vanish while in use), got " + v.shown());
      return Optional.empty();
    }
    return d;
  }
}
