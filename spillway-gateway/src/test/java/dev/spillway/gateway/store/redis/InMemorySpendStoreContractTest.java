package dev.spillway.gateway.store.redis;

import dev.spillway.core.spend.InMemorySpendStore;
import dev.spillway.core.spend.SpendStore;

/** The in-memory spend store (the default for one replica) against the shared contract. */
class InMemorySpendStoreContractTest extends SpendStoreContract {

  @Override
  protected SpendStore newStore() {
    return new InMemorySpendStore();
  }

  @Override
  protected int addsPerThread() {
    return 5_000;
  }
}
