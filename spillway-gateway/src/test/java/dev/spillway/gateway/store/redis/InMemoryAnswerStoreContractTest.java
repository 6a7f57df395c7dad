package dev.spillway.gateway.store.redis;

import dev.spillway.core.cache.AnswerStore;
import dev.spillway.core.cache.InMemoryAnswerStore;

/** The in-memory answer store (the default) against the shared contract; its bounds are tested in core. */
class InMemoryAnswerStoreContractTest extends AnswerStoreContract {

  @Override
  protected AnswerStore newStore() {
    return new InMemoryAnswerStore(100_000, 512L * 1024 * 1024);
  }
}
