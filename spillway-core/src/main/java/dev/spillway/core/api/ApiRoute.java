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
 */
public record ApiRoute(RouteShape shape, Operation operation, Optional<String> pathParam) {}
