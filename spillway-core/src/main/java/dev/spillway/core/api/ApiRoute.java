package dev.spillway.core.api;

import java.util.Optional;

/**
 * A matched inbound route.
 *
 * @param shape the URL family
 * @param operation what is asked for
 * @param pathModel the model named in the path (Azure classic deployment, or {@code GET
 *     /v1/models/{id}}); empty when the model comes from the body
 */
public record ApiRoute(RouteShape shape, Operation operation, Optional<String> pathModel) {}
