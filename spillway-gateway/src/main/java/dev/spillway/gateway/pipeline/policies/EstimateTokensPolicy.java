package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.tokens.TokenEstimator;
import dev.spillway.gateway.limits.LimitAdmission;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Set;

/**
 * {@code estimateTokens}: counts the prompt with the model family's tokenizer and reads the output the request may
 * produce ({@code max_(completion_)tokens} × n, else {@code limits.defaultMaxTokens}); limits reserve the sum and
 * routing plans with it. A body over 64 KiB is counted on a worker thread (tens of milliseconds), never on the event
 * loop; so is any body while the model's vocabulary is still loading (just after start-up), which the count waits for.
 */
public final class EstimateTokensPolicy implements Policy {
  /** Bodies up to this size are counted on the event loop (well under a millisecond). */
  private static final int INLINE_ESTIMATE_BYTES = 64 * 1024;

  private final Vertx vertx;
  private final TokenEstimator estimator;
  private final long defaultMaxTokens;

  EstimateTokensPolicy(Vertx vertx, TokenEstimator estimator, long defaultMaxTokens) {
    this.vertx = vertx;
    this.estimator = estimator;
    this.defaultMaxTokens = defaultMaxTokens;
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    ObjectNode body = ctx.json();
    if (body == null || ctx.model().isEmpty()) {
      return Verdict.CONTINUE_NOW;
    }
    Operation op = ctx.route().operation();
    String model = ctx.model().get();
    long output = estimator.expectedOutputTokens(op, body, defaultMaxTokens);
    if (ctx.rawBody().length() <= INLINE_ESTIMATE_BYTES && estimator.vocabularyLoaded(model)) {
      ctx.tokenEstimate(estimator.promptTokens(op, body, model), output);
      return Verdict.CONTINUE_NOW;
    }
    return vertx
        .executeBlocking(() -> estimator.promptTokens(op, body, model), false)
        .transform(
            ar -> {
              ctx.tokenEstimate(ar.succeeded() ? ar.result() : ctx.rawBody().length() / 4L, output);
              return Verdict.CONTINUE_NOW;
            });
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("estimateTokens", Placement.REQUEST, 400, Set.of("parse"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new EstimateTokensPolicy(
          services.vertx(), services.component(TokenEstimator.class), services.component(LimitAdmission.class).defaultMaxTokens());
    }
  }
}
