package dev.spillway.gateway.http;

import dev.spillway.core.api.ApiRoute;
import io.vertx.core.http.HttpServerRequest;

/**
 * A route the gateway answers itself, outside the request pipeline: the admin API, {@code /metrics}, the dashboard.
 * The edge router hands it the request with its id and matched route.
 */
@FunctionalInterface
public interface GatewayEndpoint {
  void handle(HttpServerRequest request, String requestId, ApiRoute route);
}
