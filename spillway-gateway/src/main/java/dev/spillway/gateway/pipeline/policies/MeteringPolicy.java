package dev.spillway.gateway.pipeline.policies;

import dev.spillway.core.api.Operation;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.RequestContext;
import io.vertx.core.Future;
import java.util.Set;

/**
 * {@code metering}: hands every finished request's outcome to the gateway's listeners — metrics, the usage ledger,
 * the dashboard, tracing. A model list the gateway answered is not a model call and is not metered; its refusals are.
 * The end of the client's answer waits for the listeners' records where they ask for it ({@link
 * GatewayListener#recordBeforeAnswer}).
 */
public final class MeteringPolicy implements Policy {
  private final GatewayListener listener;

  MeteringPolicy(GatewayListener listener) {
    this.listener = listener;
  }

  @Override
  public void onComplete(RequestContext ctx, RequestOutcome outcome) {
    completeBeforeAnswer(ctx, outcome);
  }

  /** Publishes the outcome; the answer ends when the listeners' records are safe (the ledger's, while it spills). */
  @Override
  public Future<Void> completeBeforeAnswer(RequestContext ctx, RequestOutcome outcome) {
    Operation op = outcome.operation();
    boolean modelList = op == Operation.LIST_MODELS || op == Operation.GET_MODEL;
    if (modelList && outcome.refusal().isEmpty()) {
      return Future.succeededFuture();
    }
    return listener.recordBeforeAnswer(outcome);
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("metering", Placement.AFTER_TERMINAL, 2000, Set.of());
    }

    @Override
    public Policy create(PipelineServices services) {
      return new MeteringPolicy(services.listener());
    }
  }
}
