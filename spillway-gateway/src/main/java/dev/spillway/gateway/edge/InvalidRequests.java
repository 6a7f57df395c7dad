package dev.spillway.gateway.edge;

import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.http.ErrorResponder;
import dev.spillway.gateway.http.RequestIds;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder could not read (headers over {@code server.maxHeaderBytes}, a
 * request line too long, broken framing) with an OpenAI-shaped error instead of Vert.x's bare
 * default, then closes the connection.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {
  private final java.time.Clock clock;

  public InvalidRequests(java.time.Clock clock) {
    this.clock = clock;
  }

  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    GatewayError error;
    if (cause instanceof TooLongFrameException tooLong) {
      // Netty says "An HTTP line is larger than ..." for the request line, "HTTP header is larger ..." for headers.
      String message = String.valueOf(tooLong.getMessage());
      error = message.contains("line") ? GatewayError.uriTooLong() : GatewayError.headersTooLarge();
    } else {
      error = GatewayError.malformedRequest();
    }
    request.response().putHeader("connection", "close");
    request.response().endHandler(v -> request.connection().close());
    ErrorResponder.send(request.response(), error, RequestIds.next(clock::millis));
  }
}
