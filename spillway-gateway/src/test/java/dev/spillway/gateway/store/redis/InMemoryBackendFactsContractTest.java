package dev.spillway.gateway.store.redis;

import dev.spillway.core.routing.BackendFact;
import dev.spillway.core.routing.InMemoryBackendFacts;
import dev.spillway.core.routing.SharedBackendFacts;
import java.time.Clock;
import java.util.function.Consumer;

/** The in-process hub against the shared contract. */
class InMemoryBackendFactsContractTest extends SharedBackendFactsContract {
  @Override
  protected Space newSpace() {
    InMemoryBackendFacts hub = new InMemoryBackendFacts(Clock.systemUTC());
    return new Space() {
      @Override
      public SharedBackendFacts join(Consumer<BackendFact> listener) {
        return hub.join(listener);
      }

      @Override
      public void close() {}
    };
  }
}
