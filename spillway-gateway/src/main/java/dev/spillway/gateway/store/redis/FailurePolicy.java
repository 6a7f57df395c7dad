package dev.spillway.gateway.store.redis;

/** What {@link RedisLimitStore} does when Redis cannot be reached or does not answer in time. */
public enum FailurePolicy {
  /**
   * Keep serving: count on this replica's in-memory store instead (limits then hold per replica,
   * not cluster-wide), count the fallback and report the store as degraded.
   */
  FAIL_OPEN("failOpen"),
  /** Refuse: the stage fails with {@code LimitStoreUnavailableException}, which the edge maps to 503. */
  FAIL_CLOSED("failClosed");

  private final String configName;

  FailurePolicy(String configName) {
    this.configName = configName;
  }

  /** The name used in YAML: {@code failOpen} or {@code failClosed}. */
  public String configName() {
    return configName;
  }
}
