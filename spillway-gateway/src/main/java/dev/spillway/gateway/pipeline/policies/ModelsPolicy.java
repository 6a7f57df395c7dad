package dev.spillway.gateway.pipeline.policies;

import dev.spillway.core.api.Operation;
import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.http.Answer;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import java.util.List;
import java.util.Set;

/**
 * {@code models}: answers {@code GET /v1/models} and {@code GET /v1/models/{id}} from the configured logical models
 * the caller may use; every other request passes.
 */
public final class ModelsPolicy implements Policy {
  private final List<String> modelNames;

  ModelsPolicy(List<String> modelNames) {
    this.modelNames = List.copyOf(modelNames);
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    Operation op = ctx.route().operation();
    if (op != Operation.LIST_MODELS && op != Operation.GET_MODEL) {
      return Verdict.CONTINUE_NOW;
    }
    List<String> visible = ctx.principal().visible(modelNames);
    if (op == Operation.LIST_MODELS) {
      return Verdict.respond(Answer.json(200, ModelsResponder.list(visible)));
    }
    String id = ctx.route().pathParam().orElseThrow();
    return visible.contains(id)
        ? Verdict.respond(Answer.json(200, ModelsResponder.model(id)))
        : Verdict.refuse(GatewayError.unknownModel(id));
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("models", Placement.REQUEST, 150, Set.of("authenticate"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new ModelsPolicy(List.copyOf(services.pools().keySet()));
    }
  }
}
