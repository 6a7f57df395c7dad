package dev.spillway.gateway.pipeline.policies;

import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.spend.SpendBook;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code spillRights}: closes pay-as-you-go to a caller who may not spill ({@code payg: deny} on its consumer or team)
 * or whose consumer's or team's PAYG budget for the period is used up, so that when the PTU is full it waits or gets
 * {@code 429 payg_not_allowed} with the reason, never a silent PAYG answer. It only closes PAYG ({@link
 * RequestContext#denyPayg}); the router and the PTU station decide what happens then. When a PAYG deployment answered,
 * the request's cost is counted against its consumer's and team's budgets.
 *
 * <p>Spend is read from the {@link SpendBook}'s store (Redis when limits are shared), never waiting on the event loop;
 * a store that cannot be read leaves PAYG open and is counted ({@code spillway_payg_spend_store_failures_total}).
 */
public final class SpillRightsPolicy implements Policy {
  private final SpendBook book;
  private final Clock clock;

  SpillRightsPolicy(SpendBook book, Clock clock) {
    this.book = book;
    this.clock = clock;
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    Optional<ConsumerConfig> consumer = ctx.principal().consumer();
    if (!book.enforces() || consumer.isEmpty() || ctx.pool() == null || !servesPayg(ctx)) {
      return Verdict.CONTINUE_NOW;
    }
    CompletionStage<Optional<String>> closure = book.closure(consumer.get(), clock.millis());
    CompletableFuture<Optional<String>> now = closure.toCompletableFuture();
    if (now.isDone() && !now.isCompletedExceptionally()) {
      now.join().ifPresent(ctx::denyPayg);
      return Verdict.CONTINUE_NOW;
    }
    // Read from Redis: continue on this request's event loop once the answer is in.
    Context context = Vertx.currentContext();
    Future<Optional<String>> answer =
        context == null ? Future.fromCompletionStage(closure) : Future.fromCompletionStage(closure, context);
    return answer.map(reason -> {
      reason.ifPresent(ctx::denyPayg);
      return Verdict.CONTINUE;
    });
  }

  @Override
  public void onComplete(RequestContext ctx, RequestOutcome outcome) {
    if (!book.enforces() || outcome.tier().orElse(null) != Tier.PAYG || outcome.usage().isEmpty()
        || outcome.model().isEmpty()) {
      return;
    }
    ctx.principal().consumer().ifPresent(
        consumer -> book.record(consumer, outcome.model().get(), outcome.usage().get(), clock.millis()));
  }

  private static boolean servesPayg(RequestContext ctx) {
    return ctx.pool().backends().stream().anyMatch(b -> b.config().tier() == Tier.PAYG);
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("spillRights", Placement.REQUEST, 550, Set.of("authenticate", "authorizeModel"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new SpillRightsPolicy(services.component(SpendBook.class), services.clock());
    }
  }
}
