package dev.spillway.simulator;

import io.vertx.core.http.HttpMethod;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Where a request path points: an inference operation (with the deployment when the URL names it),
 * a call on a stored response, or the model list. Parsing is pure and does not look at the method;
 * {@link #allowedMethods()} says which ones the route accepts.
 *
 * <p>The Responses API is served on {@code /v1/responses...}, {@code /openai/v1/responses...} and
 * Azure's pre-v1 {@code /openai/responses...?api-version=}, which names no deployment (the body's
 * {@code model} does); Azure has no {@code /openai/deployments/{deployment}/responses}, so neither
 * does the simulator.
 *
 * @param operation the inference operation, or empty for the model list and stored-response calls
 * @param pathDeployment the deployment from an Azure classic URL, empty when the body's {@code model} names it
 * @param classicAzure whether the URL is one of Azure's pre-v1 shapes ({@code /openai/deployments/{deployment}/...}
 *     or {@code /openai/responses...}), which need {@code api-version}
 * @param responseCall the call on a stored response, when the path is {@code responses/{id}...}
 */
record SimRoute(Optional<Operation> operation, Optional<String> pathDeployment, boolean classicAzure,
    Optional<ResponseCall> responseCall) {
  private static final String CLASSIC_PREFIX = "/openai/deployments/";
  private static final String LEGACY_RESPONSES_PREFIX = "/openai/";
  private static final String RESPONSES = Operation.RESPONSES.pathSuffix();

  static final SimRoute MODELS = new SimRoute(Optional.empty(), Optional.empty(), false, Optional.empty());

  /** The route for {@code path}, or empty when the path is not one the simulator serves. */
  static Optional<SimRoute> match(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.equals("/v1/models") || p.equals("/openai/v1/models")) {
      return Optional.of(MODELS);
    }
    for (String prefix : new String[] {"/openai/v1/", "/v1/"}) {
      if (p.startsWith(prefix)) {
        return underVersion(p.substring(prefix.length()), false);
      }
    }
    if (p.equals(LEGACY_RESPONSES_PREFIX + RESPONSES) || p.startsWith(LEGACY_RESPONSES_PREFIX + RESPONSES + "/")) {
      return underVersion(p.substring(LEGACY_RESPONSES_PREFIX.length()), true);
    }
    if (p.startsWith(CLASSIC_PREFIX)) {
      String rest = p.substring(CLASSIC_PREFIX.length());
      int slash = rest.indexOf('/');
      if (slash <= 0) {
        return Optional.empty();
      }
      String deployment = URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
      return Optional.ofNullable(Operation.ofPathSuffix(rest.substring(slash + 1)))
          .filter(Operation::onClassicAzure)
          .map(op -> new SimRoute(Optional.of(op), Optional.of(deployment), true, Optional.empty()));
    }
    return Optional.empty();
  }

  /** The route for what follows a version prefix: an operation, or a call on a stored response. */
  private static Optional<SimRoute> underVersion(String rest, boolean classicAzure) {
    if (rest.startsWith(RESPONSES + "/")) {
      return ResponseCall.parse(rest.substring(RESPONSES.length() + 1))
          .map(call -> new SimRoute(Optional.empty(), Optional.empty(), classicAzure, Optional.of(call)));
    }
    return Optional.ofNullable(Operation.ofPathSuffix(rest))
        .map(op -> new SimRoute(Optional.of(op), Optional.empty(), classicAzure, Optional.empty()));
  }

  /** GET for the model list, POST for inference, per call for stored responses. */
  List<HttpMethod> allowedMethods() {
    if (responseCall.isPresent()) {
      return responseCall.get().allowedMethods();
    }
    return List.of(operation.isPresent() ? HttpMethod.POST : HttpMethod.GET);
  }
}
