package dev.spillway.gateway.edge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.cache.CacheStore;
import dev.spillway.gateway.cache.ResponseCache;
import dev.spillway.gateway.http.Json;
import dev.spillway.gateway.ledger.LedgerWriter;
import dev.spillway.gateway.limits.LimitAdmission;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The body of a ready {@code /readyz}: {@code status: ready}, and what degrades without stopping the gateway — the
 * shared limit store ({@code limitStore: redis | degraded}) and the usage ledger ({@code ledger: ok | spilling}, the
 * records not yet in its database, and how long records have waited on disk), and a shared response cache ({@code
 * cache: shared | degraded}, degraded while its Redis is out and requests bypass it); and whatever {@link #and} adds
 * (the config file's state after a reload).
 */
public final class Readiness implements Supplier<String> {
  private final LimitAdmission limits;
  private final Optional<LedgerWriter> ledger;
  private final Optional<ResponseCache> sharedCache;
  private final java.util.List<java.util.function.Consumer<ObjectNode>> details;

  public Readiness(LimitAdmission limits, Optional<LedgerWriter> ledger, ResponseCache cache) {
    this(limits, ledger, cache.store() == CacheStore.Kind.REDIS ? Optional.of(cache) : Optional.empty(),
        java.util.List.of());
  }

  private Readiness(LimitAdmission limits, Optional<LedgerWriter> ledger, Optional<ResponseCache> sharedCache,
      java.util.List<java.util.function.Consumer<ObjectNode>> details) {
    this.limits = limits;
    this.ledger = ledger;
    this.sharedCache = sharedCache;
    this.details = details;
  }

  /** This readiness with {@code detail} adding its fields to every ready answer. */
  public Readiness and(java.util.function.Consumer<ObjectNode> detail) {
    java.util.List<java.util.function.Consumer<ObjectNode>> more = new java.util.ArrayList<>(details);
    more.add(detail);
    return new Readiness(limits, ledger, sharedCache, java.util.List.copyOf(more));
  }

  @Override
  public String get() {
    ObjectNode ready = Json.MAPPER.createObjectNode().put("status", "ready");
    limits.health(ready);
    ledger.ifPresent(
        w -> {
          LedgerWriter.Health h = w.health();
          ready.put("ledger", h.spilling() ? "spilling" : "ok");
          ready.put("ledgerBacklog", h.backlogRecords());
          ready.put("ledgerSpillingSeconds", h.spillingSeconds());
        });
    sharedCache.ifPresent(c -> ready.put("cache", c.degraded() ? "degraded" : "shared"));
    details.forEach(d -> d.accept(ready));
    return ready.toString();
  }
}
