package dev.spillway.gateway.proxy;

import dev.spillway.core.error.GatewayError;
import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder could not read (headers over {@code server.maxHeaderBytes}, a
 * request line too long, broken framing) with an OpenAI-shaped error instead of Vert.x's bare
 * default, then closes the connection.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {
  @Override
  public void handle(HttpServerRequest request) {
    Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
    GatewayError error =
        cause instanceof TooLongFrameException ? GatewayError.headersTooLarge() : GatewayError.malformedRequest();
    request.response().putHeader("connection", "close");
    ErrorResponder.send(request.response(), error, RequestIds.next());
    request.response().endHandler(v -> request.connection().close());
  }
}
