package dev.spillway.simulator;

import io.vertx.core.http.HttpMethod;
import java.util.Optional;

/**
 * Where a request path points: an inference operation (with the deployment when the URL names it)
 * or the model list. Parsing is pure and does not look at the method; {@link #allowedMethod()}
 * says which one the route accepts.
 *
 * @param operation the inference operation, or empty for the model list
 * @param pathDeployment the deployment from an Azure classic URL, empty when the body's {@code model} names it
 * @param classicAzure whether the URL is {@code /openai/deployments/{deployment}/...} (needs {@code api-version})
 */
record SimRoute(Optional<Operation> operation, Optional<String> pathDeployment, boolean classicAzure) {
  private static final String CLASSIC_PREFIX = "/openai/deployments/";

  static final SimRoute MODELS = new SimRoute(Optional.empty(), Optional.empty(), false);

  /** The route for {@code path}, or empty when the path is not one the simulator serves. */
  static Optional<SimRoute> match(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/v1/models") || p.equals("/openai/v1/models")) {
      return Optional.of(MODELS);
    }
    for (String prefix : new String[] {"/openai/v1/", "/v1/"}) {
      if (p.startsWith(prefix)) {
        return Optional.ofNullable(Operation.ofPathSuffix(p.substring(prefix.length())))
            .map(op -> new SimRoute(Optional.of(op), Optional.empty(), false));
      }
    }
    if (p.startsWith(CLASSIC_PREFIX)) {
      String rest = p.substring(CLASSIC_PREFIX.length());
      int slash = rest.indexOf('/');
      if (slash <= 0) {
        return Optional.empty();
      }
      String deployment = java.net.URLDecoder.decode(rest.substring(0, slash), java.nio.charset.StandardCharsets.UTF_8);
      return Optional.ofNullable(Operation.ofPathSuffix(rest.substring(slash + 1)))
          .map(op -> new SimRoute(Optional.of(op), Optional.of(deployment), true));
    }
    return Optional.empty();
  }

  /** GET for the model list, POST for inference. */
  HttpMethod allowedMethod() {
    return operation.isPresent() ? HttpMethod.POST : HttpMethod.GET;
  }
}
