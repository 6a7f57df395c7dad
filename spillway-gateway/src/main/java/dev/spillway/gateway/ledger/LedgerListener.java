package dev.spillway.gateway.ledger;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.ledger.UsageRecord;
import dev.spillway.core.routing.Pool;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.events.RequestOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Turns every finished request — success, client error, upstream failure, stream — into a usage
 * record for the ledger. Hands it to the {@link LedgerWriter}, which never blocks the event loop; the request's answer
 * ends only once the record is committed to the database or fsynced to a spill segment ({@link #recordBeforeAnswer}).
 */
public final class LedgerListener implements GatewayListener {
  private final LedgerWriter writer;
  private final Map<String, Pool> pools;
  private final Clock clock;

  public LedgerListener(LedgerWriter writer, Map<String, Pool> pools, Clock clock) {
    this.writer = writer;
    this.pools = pools;
    this.clock = clock;
  }

  @Override
  public void onRequest(RequestOutcome o) {
    recordBeforeAnswer(o);
  }

  /**
   * Offers the request's record; the future completes once the record is in the database or on disk, back on the
   * calling event loop.
   */
  @Override
  public Future<Void> recordBeforeAnswer(RequestOutcome o) {
    CompletableFuture<Void> offered = writer.offer(record(o)).toCompletableFuture();
    if (offered.isDone()) {
      return Future.succeededFuture();
    }
    Context context = Vertx.currentContext();
    return context == null ? Future.fromCompletionStage(offered) : Future.fromCompletionStage(offered, context);
  }

  private UsageRecord record(RequestOutcome o) {
    Optional<BackendConfig> backend = o.backend();
    TokenUsage usage = o.usage().orElse(TokenUsage.of(0, 0));
    String model = o.model().orElse("");
    // Azure's own spillover: the PTU deployment passed the request to a standard one, so PAYG served and was paid.
    boolean byAzure = o.azureSpilloverFrom().isPresent();
    boolean spilled = byAzure || spilled(model, backend);
    // when the request was received, as the record says
    return UsageRecord.builder(o.requestId(), clock.instant().minusNanos(o.durationNanos()))
        .consumer(o.caller().consumer())
        .team(o.caller().team())
        .clientIp(o.caller().clientIp())
        .route(o.operation() == null ? "" : o.operation().label())
        .model(model)
        .backend(backend.map(BackendConfig::id).orElse(""))
        .tier(o.tier().map(Tier::id).orElse(""))
        .region(backend.map(BackendConfig::region).orElse(""))
        .status(o.status())
        .tokens(usage.promptTokens(), usage.completionTokens(), usage.cachedTokens(), usage.reasoningTokens())
        .usageEstimated(o.usageEstimated())
        .latencyMillis(o.durationNanos() / 1_000_000)
        .ttftMillis(o.timeToFirstTokenNanos().isPresent() ? o.timeToFirstTokenNanos().getAsLong() / 1_000_000 : null)
        .cacheStatus(o.cache().status().ledgerValue())
        .attempts(o.attempts())
        .spilled(spilled)
        .spilledBy(byAzure ? UsageRecord.SPILLED_BY_AZURE : spilled ? UsageRecord.SPILLED_BY_GATEWAY : "")
        .interruptedBy(o.interruptedBy())
        .units(o.units())
        .cache(cacheFacts(o))
        .endUser(o.endUser())
        .safety(o.safety())
        .build();
  }

  /** What a response-cache hit saved (the stored answer's usage), and the prompt prefix hash, if any. */
  private static UsageRecord.CacheFacts cacheFacts(RequestOutcome o) {
    Optional<TokenUsage> saved = o.cache().status().hit() ? o.cache().saved() : Optional.empty();
    if (saved.isEmpty() && o.promptPrefixHash().isEmpty()) {
      return UsageRecord.CacheFacts.NONE;
    }
    return new UsageRecord.CacheFacts(saved.map(TokenUsage::promptTokens).orElse(0L),
        saved.map(TokenUsage::completionTokens).orElse(0L), o.promptPrefixHash());
  }

  /** Served by PAYG for a model that has PTU backends: the request spilled. */
  private boolean spilled(String model, Optional<BackendConfig> backend) {
    if (backend.isEmpty() || backend.get().tier() != Tier.PAYG) {
      return false;
    }
    Pool pool = pools.get(model);
    return pool != null && pool.backends().stream().anyMatch(b -> b.config().tier() == Tier.PTU);
  }
}
