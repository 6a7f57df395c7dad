package dev.spillway.gateway.http;

import dev.spillway.core.error.GatewayError;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/** Writes a {@link GatewayError} as the OpenAI-shaped JSON response. */
public final class ErrorResponder {
  private ErrorResponder() {}

  /**
   * Ends {@code response} with {@code error}, unless it was already ended or its headers were
   * already sent (then the connection is reset instead, since a status can no longer be given).
   */
  public static void send(HttpServerResponse response, GatewayError error, String requestId) {
    if (response.ended() || response.closed()) {
      return;
    }
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(error.status());
    response.putHeader("content-type", "application/json");
    response.putHeader(GatewayHeaders.REQUEST_ID, requestId);
    for (Map.Entry<String, String> h : error.headers().entrySet()) {
      response.putHeader(h.getKey(), h.getValue());
    }
    response.end(error.toJson());
  }
}
