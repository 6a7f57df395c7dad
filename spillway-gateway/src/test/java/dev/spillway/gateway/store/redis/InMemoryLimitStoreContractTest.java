package dev.spillway.gateway.store.redis;

import dev.spillway.core.limits.InMemoryLimitStore;
import dev.spillway.core.limits.LimitStore;

/** The in-memory store (the default, and Redis's fail-open fallback) against the shared contract. */
class InMemoryLimitStoreContractTest extends LimitStoreContract {

  @Override
  protected LimitStore newStore() {
    return new InMemoryLimitStore();
  }

  @Override
  protected int attemptsPerThread() {
    return 2_000;
  }
}
