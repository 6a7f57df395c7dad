package dev.spillway.gateway.proxy;

import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.routing.BackendState;
import dev.spillway.gateway.events.AttemptResult;
import io.vertx.core.MultiMap;
import java.util.OptionalLong;

/**
 * Tells a backend's state what an attempt showed: the circuit breaker's verdict, the load the
 * backend reported in its headers, and (for successes) its latency. The one place that decides
 * which outcomes count against a backend.
 */
final class BackendFeedback {
  private BackendFeedback() {}

  /**
   * @param status the backend's HTTP status, 0 when there was none
   * @param retryAfterMillis what the backend's retry headers asked for, if anything; capped at
   *     {@code routing.maxRetryAfter} like a 429's, so "retry after a day" cannot shut a backend out
   */
  static void outcome(
      BackendState backend, RoutingConfig routing, AttemptResult result, int status, OptionalLong retryAfterMillis, long nowNanos) {
    switch (result) {
      case OK, CLIENT_ERROR -> backend.breaker().onSuccess(nowNanos);
      case THROTTLED, CANCELLED, CREDENTIAL_ERROR, UPSTREAM_AUTH_FAILED -> backend.breaker().onIgnored();
      case SERVER_ERROR -> {
        if (routing.breaker().failureStatuses().contains(status)) {
          long cap = routing.maxRetryAfter().toMillis();
          OptionalLong capped =
              retryAfterMillis.isPresent() ? OptionalLong.of(Math.min(retryAfterMillis.getAsLong(), cap)) : retryAfterMillis;
          backend.breaker().onFailure(nowNanos, capped);
        } else {
          backend.breaker().onIgnored();
        }
      }
      case CONNECT_ERROR, TIMEOUT, INVALID_RESPONSE, STREAM_INTERRUPTED ->
          backend.breaker().onFailure(nowNanos, OptionalLong.empty());
    }
  }

  /** Reads {@code azure-openai-deployment-utilization} and {@code x-ratelimit-remaining-tokens}. */
  static void reportedLoad(BackendState backend, MultiMap headers, long nowNanos) {
    String utilization = headers.get("azure-openai-deployment-utilization");
    if (utilization != null) {
      String number = utilization.trim();
      if (number.endsWith("%")) {
        number = number.substring(0, number.length() - 1).trim();
      }
      try {
        double percent = Double.parseDouble(number);
        if (percent >= 0 && Double.isFinite(percent)) {
          backend.reportUtilization(percent, nowNanos);
        }
      } catch (NumberFormatException ignored) {
        // A backend's odd header is not the client's problem.
      }
    }
    String remaining = headers.get("x-ratelimit-remaining-tokens");
    if (remaining != null) {
      try {
        long tokens = Long.parseLong(remaining.trim());
        if (tokens >= 0) {
          backend.reportRemainingTokens(tokens, nowNanos);
        }
      } catch (NumberFormatException ignored) {
        // As above.
      }
    }
  }
}
