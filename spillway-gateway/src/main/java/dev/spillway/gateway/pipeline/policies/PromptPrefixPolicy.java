package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.ledger.PromptPrefixHash;
import dev.spillway.core.ledger.UsageRecord;
import dev.spillway.core.tokens.PromptText;
import dev.spillway.core.tokens.TokenEstimator;
import dev.spillway.gateway.ledger.LedgerPrefixHash;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.Set;

/**
 * {@code promptPrefix}: for a chat completion, completion or response whose prompt has at least {@value
 * UsageRecord.CacheFacts#PREFIX_TOKENS} tokens (the shortest a provider's prompt cache serves), the ledger's keyed hash
 * of those first tokens, for the prompt-cache report's prefix stability (do a consumer's consecutive prompts begin
 * alike, so that the provider can serve them from its cache?). No prompt text is kept; a shorter prompt gets no hash.
 *
 * <p>The prompt is rendered by {@link PromptText} (at most {@value #MAX_CHARS} characters) and tokenized in the model's
 * encoding up to the {@value UsageRecord.CacheFacts#PREFIX_TOKENS}th token only, so the work is bounded however long the
 * prompt: a few hundred microseconds on the event loop, like {@code estimateTokens} on a small body. It never refuses.
 * It stands after {@code estimateTokens}, whose count lets it skip short prompts without tokenizing them.
 */
public final class PromptPrefixPolicy implements Policy {
  /**
   * Characters rendered at most: 1,024 tokens span about 4 KiB of English text; this leaves room for text whose tokens
   * are long (runs of spaces, code) without letting a huge prompt cost more.
   */
  static final int MAX_CHARS = 64 * 1024;

  private final TokenEstimator estimator;
  private final LedgerPrefixHash hash;

  PromptPrefixPolicy(TokenEstimator estimator, LedgerPrefixHash hash) {
    this.estimator = estimator;
    this.hash = hash;
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    ObjectNode body = ctx.json();
    if (body == null || ctx.model().isEmpty() || ctx.route() == null
        || ctx.promptTokens() < UsageRecord.CacheFacts.PREFIX_TOKENS) {
      return Verdict.CONTINUE_NOW;
    }
    Operation op = ctx.route().operation();
    if (!PromptText.renders(op)) {
      return Verdict.CONTINUE_NOW;
    }
    Optional<PromptPrefixHash> keyed = hash.current();
    if (keyed.isEmpty()) {
      return Verdict.CONTINUE_NOW;
    }
    int[] first = estimator.firstTokens(PromptText.render(op, body, MAX_CHARS), ctx.model().get(),
        UsageRecord.CacheFacts.PREFIX_TOKENS);
    if (first.length == UsageRecord.CacheFacts.PREFIX_TOKENS) {
      ctx.result().promptPrefixHash(keyed.get().of(first));
    }
    return Verdict.CONTINUE_NOW;
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("promptPrefix", Placement.REQUEST, 410, Set.of("estimateTokens"));
    }

    /** With the gateway's {@link LedgerPrefixHash} (warmed at start), or one of its own when none is registered. */
    @Override
    public Policy create(PipelineServices services) {
      Object registered = services.components().get(LedgerPrefixHash.class);
      LedgerPrefixHash hash = registered instanceof LedgerPrefixHash h
          ? h
          : new LedgerPrefixHash(services.vertx(), services.config(), services.clock());
      return new PromptPrefixPolicy(services.component(TokenEstimator.class), hash);
    }
  }
}
