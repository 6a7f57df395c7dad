package dev.spillway.core.cache;

import java.util.Objects;

/**
 * Which entries an invalidation removes: those of one tenant, one model, one key, or any combination; an empty field
 * matches everything, so {@link #ALL} empties the cache.
 */
public record CacheScope(String tenant, String model, String key) {
  public static final CacheScope ALL = new CacheScope("", "", "");

  public CacheScope {
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(key, "key");
  }

  public boolean matches(CachedAnswer a) {
    return (tenant.isEmpty() || tenant.equals(a.tenant()))
        && (model.isEmpty() || model.equals(a.model()))
        && (key.isEmpty() || key.equals(a.key()));
  }
}
