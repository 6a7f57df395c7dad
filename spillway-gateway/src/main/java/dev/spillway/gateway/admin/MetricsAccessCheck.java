package dev.spillway.gateway.admin;

import dev.spillway.core.config.MetricsAccess;
import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.metrics.GatewayMetrics;
import dev.spillway.gateway.http.ErrorResponder;
import dev.spillway.core.api.ApiRoute;
import dev.spillway.gateway.http.GatewayEndpoint;
import dev.spillway.gateway.http.GatewayHeaders;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/** {@code GET /metrics}, answered to whom {@code admin.metricsAccess} allows. */
public final class MetricsAccessCheck implements GatewayEndpoint {
  private final GatewayMetrics metrics;
  private final MetricsAccess access;
  private final AdminAccess admin;

  public MetricsAccessCheck(GatewayMetrics metrics, MetricsAccess access, AdminAccess admin) {
    this.metrics = metrics;
    this.access = access;
    this.admin = admin;
  }

  /**
   * The rule itself, shared with the dashboard: completes with the refusal to answer, or empty when
   * {@code request} may read the metrics.
   */
  public Future<Optional<GatewayError>> verdict(HttpServerRequest request) {
    return switch (access) {
      case OPEN -> Future.succeededFuture(Optional.empty());
      case LOOPBACK ->
          Future.succeededFuture(
              AdminAccess.fromLoopback(request.remoteAddress()) ? Optional.empty() : Optional.of(GatewayError.metricsForbidden()));
      case ADMIN -> admin.check(request);
    };
  }

  @Override
  public void handle(HttpServerRequest request, String requestId, ApiRoute route) {
    Future<Optional<GatewayError>> verdict = verdict(request);
    request.pause();
    verdict.onComplete(
        ar -> {
          request.resume();
          Optional<GatewayError> refusal = ar.succeeded() ? ar.result() : Optional.of(GatewayError.invalidCredentials());
          if (refusal.isPresent()) {
            ErrorResponder.send(request.response(), refusal.get(), requestId);
            return;
          }
          request
              .response()
              .putHeader("content-type", GatewayMetrics.CONTENT_TYPE)
              .putHeader(GatewayHeaders.REQUEST_ID, requestId)
              .end(metrics.scrape());
        });
  }
}
