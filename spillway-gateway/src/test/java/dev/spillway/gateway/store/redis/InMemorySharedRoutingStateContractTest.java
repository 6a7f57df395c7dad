package dev.spillway.gateway.store.redis;

import dev.spillway.core.routing.InMemorySessionPinStore;
import dev.spillway.core.routing.SessionPinStore;
import dev.spillway.core.routing.station.DrainRateStore;
import dev.spillway.core.routing.station.InMemoryDrainRateStore;

/** The in-process session pins and drain rates against the shared contract. */
class InMemorySharedRoutingStateContractTest extends SharedRoutingStateContract {
  private record Stores(SessionPinStore pins, DrainRateStore rates) implements Space {
    @Override
    public void close() {}
  }

  @Override
  protected Space newSpace() {
    return new Stores(new InMemorySessionPinStore(1_000), new InMemoryDrainRateStore());
  }

  @Override
  protected Space member(Space of) {
    return of; // one store is every member's
  }
}
