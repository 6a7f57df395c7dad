package dev.spillway.gateway.pipeline.policies;

import dev.spillway.core.limits.LimitCheck;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.limits.LimitAdmission;
import dev.spillway.gateway.limits.LimitTicket;
import dev.spillway.gateway.pipeline.AttributeKey;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code limits}: reserves the request's estimated tokens against its consumer's rates and quotas (429 or 403 when
 * over), replaces a backend's {@code x-ratelimit-*} headers with the caller's own headroom, and settles the
 * reservation with the real usage when the request ends (a failed request used nothing).
 */
public final class LimitsPolicy implements Policy {
  private static final AttributeKey<LimitTicket> TICKET = AttributeKey.of("limits.ticket", LimitTicket.class);

  private final LimitAdmission admission;
  private final Clock clock;

  LimitsPolicy(LimitAdmission admission, Clock clock) {
    this.admission = admission;
    this.clock = clock;
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    if (ctx.pool() == null) {
      return Verdict.CONTINUE_NOW;
    }
    List<LimitCheck> checks = LimitAdmission.checks(ctx.principal(), ctx.headers(), ctx.clientIp(), ctx.model().orElseThrow());
    Optional<LimitCheck> throttled = ctx.attribute(GuardPolicy.THROTTLE);
    if (throttled.isPresent()) {
      // An end user the abuse monitoring throttled: its own token limit on top of its consumer's.
      checks = new java.util.ArrayList<>(checks);
      checks.add(throttled.get());
    }
    if (checks.isEmpty()) {
      return Verdict.CONTINUE_NOW; // no limits: nothing to reserve, report or settle
    }
    return admission
        .reserve(ctx.requestId(), checks, ctx.estimatedCostTokens(), clock.millis())
        .map(
            decision ->
                switch (decision) {
                  case LimitAdmission.Decision.Admitted admitted -> {
                    ctx.attribute(TICKET, admitted.ticket());
                    yield Verdict.CONTINUE;
                  }
                  case LimitAdmission.Decision.Refused refused -> new Verdict.Refuse(refused.error());
                });
  }

  @Override
  public void onResponseStart(RequestContext ctx, int status, MultiMap headers) {
    ctx.attribute(TICKET).ifPresent(ticket -> LimitAdmission.headers(headers, ticket));
  }

  @Override
  public void onComplete(RequestContext ctx, RequestOutcome outcome) {
    Optional<LimitTicket> ticket = ctx.attribute(TICKET);
    if (ticket.isPresent() && ticket.get().limited()) {
      long used = outcome.usage().map(TokenUsage::totalTokens).orElse(0L);
      admission.settle(ctx.requestId(), ticket.get(), used, clock.millis());
    }
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("limits", Placement.REQUEST, 500, Set.of("authenticate", "authorizeModel", "estimateTokens"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new LimitsPolicy(services.component(LimitAdmission.class), services.clock());
    }
  }
}
