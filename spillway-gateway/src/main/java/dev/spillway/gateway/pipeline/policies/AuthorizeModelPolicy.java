package dev.spillway.gateway.pipeline.policies;

import dev.spillway.core.api.RouteShape;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.SessionAffinity;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.routing.Pool;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code authorizeModel}: the caller may use the model (checked before whether it exists, so a caller learns nothing
 * about models outside its grant), the model is configured; sets its pool and the request's session-affinity key.
 */
public final class AuthorizeModelPolicy implements Policy {
  private final Map<String, Pool> pools;

  AuthorizeModelPolicy(Map<String, Pool> pools) {
    this.pools = pools;
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    if (ctx.model().isEmpty()) {
      return Verdict.CONTINUE_NOW;
    }
    String model = ctx.model().get();
    if (!ctx.principal().mayUse(model)) {
      return Verdict.refuse(GatewayError.modelNotAllowed(model));
    }
    Pool pool = pools.get(model);
    if (pool == null) {
      // The outcome names configured models only (and one the caller was refused).
      ctx.model(null);
      return Verdict.refuse(
          ctx.route().shape() == RouteShape.AZURE_CLASSIC ? GatewayError.unknownDeployment(model) : GatewayError.unknownModel(model));
    }
    ctx.pool(pool);
    ctx.affinityKey(affinityKey(ctx, pool.model()));
    return Verdict.CONTINUE_NOW;
  }

  /** The session key from the configured header or cookie, when the model has session affinity. */
  static Optional<String> affinityKey(RequestContext ctx, ModelConfig model) {
    if (model.affinity().isEmpty()) {
      return Optional.empty();
    }
    SessionAffinity affinity = model.affinity().get();
    String value =
        switch (affinity.source()) {
          case HEADER -> ctx.headers().get(affinity.name());
          case COOKIE -> {
            Cookie cookie = ctx.httpRequest().getCookie(affinity.name());
            yield cookie == null ? null : cookie.getValue();
          }
        };
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("authorizeModel", Placement.REQUEST, 300, Set.of("authenticate", "parse"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new AuthorizeModelPolicy(services.pools());
    }
  }
}
