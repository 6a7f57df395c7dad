package dev.spillway.gateway.dashboard;

import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.http.ErrorResponder;
import dev.spillway.core.api.ApiRoute;
import dev.spillway.gateway.http.GatewayEndpoint;
import dev.spillway.gateway.http.GatewayHeaders;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /dashboard} (the page), {@code /dashboard/{asset}} and {@code /dashboard/api/stats}
 * (the data the page polls), answered to whom {@code admin.metricsAccess} allows: the same rule
 * as {@code /metrics}, since the dashboard shows the same facts.
 *
 * <p>Every answer forbids framing and sniffing and carries a Content-Security-Policy of
 * {@code default-src 'self'}: the page loads nothing from elsewhere and runs no inline script.
 * Assets are revalidated by ETag ({@code no-cache}); the data is never stored.
 */
public final class DashboardEndpoint implements GatewayEndpoint {
  static final String STATS = "api/stats";
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private final DashboardStats stats;
  private final DashboardAssets assets = new DashboardAssets();
  private final Function<HttpServerRequest, Future<Optional<GatewayError>>> access;

  /**
   * @param access the metrics access rule: completes with the refusal to send, or empty to serve
   */
  public DashboardEndpoint(DashboardStats stats, Function<HttpServerRequest, Future<Optional<GatewayError>>> access) {
    this.stats = stats;
    this.access = access;
  }

  @Override
  public void handle(HttpServerRequest request, String requestId, ApiRoute route) {
    String resource = route.pathParam().orElse("");
    request.pause();
    access
        .apply(request)
        .onComplete(
            ar -> {
              request.resume();
              Optional<GatewayError> refusal = ar.succeeded() ? ar.result() : Optional.of(GatewayError.invalidCredentials());
              if (refusal.isPresent()) {
                ErrorResponder.send(request.response(), refusal.get(), requestId);
              } else {
                serve(request, requestId, resource);
              }
            });
  }

  private void serve(HttpServerRequest request, String requestId, String resource) {
    HttpServerResponse response = request.response();
    if (resource.equals(STATS)) {
      secure(response, requestId)
          .putHeader("content-type", "application/json")
          .putHeader("cache-control", "no-store")
          .end(stats.snapshot().toString());
      return;
    }
    Optional<DashboardAssets.Asset> asset = assets.find(resource);
    if (asset.isEmpty()) {
      ErrorResponder.send(response, GatewayError.unknownRoute(request.method().name(), request.path()), requestId);
      return;
    }
    DashboardAssets.Asset a = asset.get();
    secure(response, requestId).putHeader("cache-control", "no-cache").putHeader("etag", a.etag());
    if (a.etag().equals(request.getHeader("if-none-match"))) {
      response.setStatusCode(304).end();
      return;
    }
    response.putHeader("content-type", a.contentType()).end(a.body());
  }

  private static HttpServerResponse secure(HttpServerResponse response, String requestId) {
    return response
        .putHeader(GatewayHeaders.REQUEST_ID, requestId)
        .putHeader("content-security-policy", CONTENT_SECURITY_POLICY)
        .putHeader("x-content-type-options", "nosniff")
        .putHeader("x-frame-options", "DENY")
        .putHeader("referrer-policy", "no-referrer");
  }
}
