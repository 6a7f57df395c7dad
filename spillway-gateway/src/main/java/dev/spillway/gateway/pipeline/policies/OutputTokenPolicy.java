package dev.spillway.gateway.pipeline.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.config.ConsumerConfig;
import dev.spillway.core.policies.MaxTokensSettings;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.tokens.TokenEstimator;
import dev.spillway.gateway.limits.LimitAdmission;
import dev.spillway.gateway.pipeline.AttributeKey;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * {@code maxTokens}, the output-token policy. Generating tokens is the slowest step of a call, and a request without an
 * output limit lets a model run long (and makes the limiter reserve {@code limits.defaultMaxTokens}). With {@code
 * maxTokens} set for the gateway or the caller's consumer (see {@link MaxTokensSettings}), a chat or text completion
 * without {@code max_tokens} / {@code max_completion_tokens} (a Responses API request without {@code
 * max_output_tokens}) gets the default ({@code max_completion_tokens} for chat, {@code max_tokens} for completions,
 * {@code max_output_tokens} for responses), and one asking for more than the cap is lowered to it or refused with 400
 * ({@code onOverCap: refuse}). The response says what the gateway set in {@value #APPLIED_HEADER}, and the expected
 * output the limiter reserves follows the new limit.
 */
public final class OutputTokenPolicy implements Policy {
  /** Response header naming the output limit the gateway set, when it changed the request's. */
  public static final String APPLIED_HEADER = "x-spillway-max-tokens-applied";

  private static final String[] COMPLETION_FIELDS = {"max_completion_tokens", "max_tokens"};
  private static final String[] RESPONSES_FIELDS = {"max_output_tokens"};
  private static final AttributeKey<Long> APPLIED = AttributeKey.of("maxTokens.applied", Long.class);

  private final MaxTokensSettings gatewayDefault;
  private final TokenEstimator estimator;
  private final long limiterDefaultMaxTokens;

  OutputTokenPolicy(MaxTokensSettings gatewayDefault, TokenEstimator estimator, long limiterDefaultMaxTokens) {
    this.gatewayDefault = gatewayDefault;
    this.estimator = estimator;
    this.limiterDefaultMaxTokens = limiterDefaultMaxTokens;
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    Operation op = ctx.route().operation();
    ObjectNode body = ctx.json();
    if (body == null || (op != Operation.CHAT_COMPLETIONS && op != Operation.COMPLETIONS && op != Operation.RESPONSES)) {
      return Verdict.CONTINUE_NOW;
    }
    MaxTokensSettings settings =
        ctx.principal()
            .consumer()
            .flatMap(c -> consumerSettings(c))
            .map(own -> own.orElse(gatewayDefault))
            .orElse(gatewayDefault);
    OptionalLong cap = settings.capTokens();
    boolean changed = false;
    boolean asked = false;
    for (String field : op == Operation.RESPONSES ? RESPONSES_FIELDS : COMPLETION_FIELDS) {
      JsonNode value = body.get(field);
      if (value == null || value.isNull() || !value.canConvertToLong()) {
        continue;
      }
      asked = true;
      if (cap.isPresent() && value.asLong() > cap.getAsLong()) {
        if (settings.onOverCap().orElse(MaxTokensSettings.OverCap.LOWER) == MaxTokensSettings.OverCap.REFUSE) {
          return Verdict.refuse(GatewayError.invalidParameter(field,
              field + " may be at most " + cap.getAsLong() + " on this gateway; this request asks for " + value.asLong() + "."));
        }
        body.put(field, cap.getAsLong());
        changed = true;
      }
    }
    OptionalLong defaultTokens = settings.effectiveDefault();
    if (!asked && defaultTokens.isPresent()) {
      String field = switch (op) {
        case CHAT_COMPLETIONS -> "max_completion_tokens";
        case RESPONSES -> "max_output_tokens";
        default -> "max_tokens";
      };
      body.put(field, defaultTokens.getAsLong());
      changed = true;
    }
    if (changed) {
      ctx.markBodyChanged();
      long applied = cap.isPresent() && asked ? cap.getAsLong() : defaultTokens.orElse(cap.orElse(0));
      ctx.attribute(APPLIED, applied);
      ctx.tokenEstimate(ctx.promptTokens(), estimator.expectedOutputTokens(op, body, limiterDefaultMaxTokens));
    }
    return Verdict.CONTINUE_NOW;
  }

  @Override
  public void onResponseStart(RequestContext ctx, int status, MultiMap headers) {
    ctx.attribute(APPLIED).ifPresent(applied -> headers.set(APPLIED_HEADER, Long.toString(applied)));
  }

  private static Optional<MaxTokensSettings> consumerSettings(ConsumerConfig consumer) {
    return consumer.policySettings().get(MaxTokensSettings.class);
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("maxTokens", Placement.REQUEST, 450, Set.of("authenticate", "estimateTokens"), Set.of("limits"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new OutputTokenPolicy(
          services.config().policySettings().get(MaxTokensSettings.class).orElse(MaxTokensSettings.NONE),
          services.component(TokenEstimator.class),
          services.component(LimitAdmission.class).defaultMaxTokens());
    }
  }
}
