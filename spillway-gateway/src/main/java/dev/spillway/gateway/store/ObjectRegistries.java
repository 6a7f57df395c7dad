package dev.spillway.gateway.store;

import dev.spillway.core.config.ObjectsConfig;
import dev.spillway.core.objects.InMemoryObjectRegistry;
import dev.spillway.core.objects.ObjectRegistry;
import dev.spillway.gateway.store.redis.RedisObjectOptions;
import dev.spillway.gateway.store.redis.RedisObjectRegistry;
import io.vertx.core.Vertx;

/** The object registry that {@code objects:} in the config asks for: in memory, or Redis shared by replicas. */
public final class ObjectRegistries {
  private ObjectRegistries() {}

  public static ObjectRegistry create(Vertx vertx, ObjectsConfig config) {
    return switch (config.store()) {
      case MEMORY -> new InMemoryObjectRegistry(config.ttl(), config.maxEntries());
      case REDIS -> RedisObjectRegistry.create(vertx, RedisObjectOptions.builder(config).build());
    };
  }

  /** Closes a registry that holds connections (Redis); nothing for the one in memory. */
  public static void close(ObjectRegistry registry) {
    if (registry instanceof RedisObjectRegistry redis) {
      redis.close();
    }
  }
}
