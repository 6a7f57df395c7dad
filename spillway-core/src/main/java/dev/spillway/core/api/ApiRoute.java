package dev.spillway.core.api;

import java.util.Optional;

/**
 * A matched inbound route.
 *
 * @param shape the URL family
 * @param operation what is asked for
 * @param pathParam the name in the path: the model (Azure classic deployment, or {@code GET
 *     /v1/models/{id}}), the object of an operation {@link Operation#onObject() on an object} (a response id), or, for
 *     admin routes, the backend id; empty when there is none
 * @param subPath for a call below an object ({@link Operation#VECTOR_STORES_CALL}), the rest of the path after the
 *     object's id, as received (segments of letters, digits, {@code -}, {@code _}, {@code .} only); else empty
 */
public record ApiRoute(RouteShape shape, Operation operation, Optional<String> pathParam, String subPath) {
  public ApiRoute {
    java.util.Objects.requireNonNull(subPath, "subPath");
  }

  public ApiRoute(RouteShape shape, Operation operation, Optional<String> pathParam) {
    this(shape, operation, pathParam, "");
  }
}
