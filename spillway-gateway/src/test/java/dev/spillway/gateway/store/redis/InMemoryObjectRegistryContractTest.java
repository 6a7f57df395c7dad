package dev.spillway.gateway.store.redis;

import dev.spillway.core.objects.InMemoryObjectRegistry;
import dev.spillway.core.objects.ObjectRegistry;
import java.time.Duration;

/** The in-memory registry (the default) against the shared contract; its bound is tested in core. */
class InMemoryObjectRegistryContractTest extends ObjectRegistryContract {

  @Override
  protected ObjectRegistry newRegistry(Duration ttl) {
    return new InMemoryObjectRegistry(ttl, InMemoryObjectRegistry.DEFAULT_MAX_ENTRIES);
  }

  @Override
  protected int putsPerThread() {
    return 2_000;
  }
}
