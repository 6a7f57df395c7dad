package dev.spillway.core.config;

import java.util.Map;
import java.util.Optional;

/**
 * Settings of pipeline policies that bind their own config section ({@link PolicySettingsBinder}), by their settings
 * type: at the root of the file (the gateway's defaults) and under each consumer (its own). Immutable.
 */
public final class PolicySettings {
  public static final PolicySettings NONE = new PolicySettings(Map.of());

  private final Map<Class<?>, Object> byType;

  private PolicySettings(Map<Class<?>, Object> byType) {
    this.byType = Map.copyOf(byType);
  }

  /** @param settings each policy's bound settings object (one per type) */
  public static PolicySettings of(Iterable<?> settings) {
    java.util.HashMap<Class<?>, Object> map = new java.util.HashMap<>();
    for (Object s : settings) {
      if (map.put(s.getClass(), s) != null) {
        throw new IllegalArgumentException("two settings of type " + s.getClass().getSimpleName());
      }
    }
    return map.isEmpty() ? NONE : new PolicySettings(map);
  }

  /** The settings of {@code type}, when its section was given. */
  public <T> Optional<T> get(Class<T> type) {
    return Optional.ofNullable(type.cast(byType.get(type)));
  }

  /** These settings with {@code type}'s replaced by {@code value}, or left out when it is empty. */
  public <T> PolicySettings with(Class<T> type, Optional<? extends T> value) {
    java.util.HashMap<Class<?>, Object> map = new java.util.HashMap<>(byType);
    map.remove(type);
    value.ifPresent(v -> map.put(type, v));
    return map.isEmpty() ? NONE : new PolicySettings(map);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PolicySettings other && byType.equals(other.byType);
  }

  @Override
  public int hashCode() {
    return byType.hashCode();
  }

  @Override
  public String toString() {
    return "PolicySettings" + byType.values();
  }
}
