package dev.spillway.gateway.pipeline.policies;

import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.auth.AuthOutcome;
import dev.spillway.gateway.auth.ClientAuthenticator;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.RequestBody;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.Verdict;
import io.vertx.core.Future;
import java.util.Set;

/**
 * {@code authenticate}: names the caller from its gateway key or JWT (while the body is still arriving), or refuses
 * with 401. An open gateway names everyone {@code anonymous}.
 */
public final class AuthenticatePolicy implements Policy {
  private final ClientAuthenticator authenticator;

  AuthenticatePolicy(ClientAuthenticator authenticator) {
    this.authenticator = authenticator;
  }

  /** A realtime upgrade stays paused (unread) until the session upgrades it: a read request cannot be upgraded. */
  private static boolean upgrading(RequestContext ctx) {
    return ctx.route().operation() == dev.spillway.core.api.Operation.REALTIME && ctx.httpRequest().canUpgradeToWebSocket();
  }

  @Override
  public Future<Verdict> onRequest(RequestContext ctx) {
    boolean noBody = ctx.body() == RequestBody.NONE && ctx.upload().isEmpty();
    if (noBody) {
      ctx.httpRequest().pause();
    }
    return authenticator
        .authenticate(ctx.headers())
        .transform(
            ar -> {
              if (noBody && !upgrading(ctx)) {
                ctx.httpRequest().resume();
              }
              if (ar.failed() || ar.result() == null) {
                // The authenticator itself failed (for example a JWKS endpoint down with no cached keys).
                return Verdict.refuse(GatewayError.invalidCredentials());
              }
              return switch (ar.result()) {
                case AuthOutcome.Denied denied -> Verdict.refuse(denied.error());
                case AuthOutcome.Allowed allowed -> {
                  ctx.principal(allowed.principal());
                  yield Verdict.CONTINUE_NOW;
                }
              };
            });
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("authenticate", Placement.REQUEST, 100, Set.of());
    }

    @Override
    public Policy create(PipelineServices services) {
      return new AuthenticatePolicy(services.component(ClientAuthenticator.class));
    }
  }
}
