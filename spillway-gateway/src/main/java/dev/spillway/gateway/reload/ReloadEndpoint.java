package dev.spillway.gateway.reload;

import dev.spillway.core.api.ApiRoute;
import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.http.Answer;
import dev.spillway.gateway.http.ErrorResponder;
import dev.spillway.gateway.http.GatewayEndpoint;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code POST /admin/reload}, behind the admin API's access check: reloads the config file and answers {@code 200
 * {"reloaded":true,"generation":n,"changes":[...],"needsRestart":[...]}} ({@code reloaded:false} when nothing changed),
 * or {@code 422 {"reloaded":false,"generation":n,"problems":[{file,line,key,message}...]}} when the file is invalid and
 * the running generation stays. A gateway started without a config file (from code) has nothing to reload: 409.
 */
public final class ReloadEndpoint implements GatewayEndpoint {
  private final Supplier<Optional<ConfigReloader>> reloader;

  /** @param reloader the reloader, once the gateway was told its config file */
  public ReloadEndpoint(Supplier<Optional<ConfigReloader>> reloader) {
    this.reloader = reloader;
  }

  @Override
  public void handle(HttpServerRequest request, String requestId, ApiRoute route) {
    Optional<ConfigReloader> r = reloader.get();
    if (r.isEmpty()) {
      ErrorResponder.send(request.response(), GatewayError.reloadNotConfigured(), requestId);
      return;
    }
    r.get().reload("admin").onComplete(done -> {
      if (done.failed()) {
        ErrorResponder.send(request.response(), GatewayError.internal(), requestId);
      } else {
        ReloadOutcome outcome = done.result();
        int status = outcome instanceof ReloadOutcome.Invalid ? 422 : 200;
        Answer.json(status, outcome.toJson().toString()).send(request.response(), requestId);
      }
    });
  }
}
