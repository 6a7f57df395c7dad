package dev.spillway.bench;

import dev.spillway.core.config.LimitsConfig;

/** The gateway deployments the limit-accuracy benchmark measures, in the order they run. */
public enum LimitTopology {
  /** One gateway counting in its own memory ({@code limits.store: memory}). */
  ONE_REPLICA("one-replica", "1 replica, memory store", 1, 1.01),
  /** Three gateways sharing their counters in Redis ({@code limits.store: redis}). */
  THREE_REPLICAS("three-replicas", "3 replicas, Redis store", 3, 1.02);

  private final String id;
  private final String label;
  private final int replicas;
  private final double targetRatio;

  LimitTopology(String id, String label, int replicas, double targetRatio) {
    this.id = id;
    this.label = label;
    this.replicas = replicas;
    this.targetRatio = targetRatio;
  }

  /** The flag and JSON spelling: {@code one-replica}, {@code three-replicas}. */
  public String id() {
    return id;
  }

  /** How the report names it. */
  public String label() {
    return label;
  }

  public int replicas() {
    return replicas;
  }

  /** Admitted tokens in a minute window may be at most this multiple of the limit. */
  public double targetRatio() {
    return targetRatio;
  }

  /** True when the replicas share a Redis. */
  public boolean usesRedis() {
    return this == THREE_REPLICAS;
  }

  /** The {@code limits:} section of every replica's config. */
  LimitsConfig limitsConfig(String redisUrl) {
    return switch (this) {
      case ONE_REPLICA -> LimitsConfig.DEFAULTS;
      case THREE_REPLICAS -> new LimitsConfig(LimitsConfig.Store.REDIS, redisUrl, true, LimitsConfig.DEFAULTS.defaultMaxTokens());
    };
  }

  static LimitTopology fromId(String id) {
    for (LimitTopology t : values()) {
      if (t.id.equals(id)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown configuration '" + id + "'; expected one-replica or three-replicas");
  }
}
