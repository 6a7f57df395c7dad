package dev.spillway.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;

/**
 * A complete response the gateway makes itself (a model list, a cached completion): status, content type, extra
 * headers and body.
 */
public record Answer(int status, String contentType, Map<String, String> headers, Buffer body) {
  public Answer {
    headers = Map.copyOf(headers);
  }

  /** A JSON answer without extra headers. */
  public static Answer json(int status, String json) {
    return new Answer(status, "application/json", Map.of(), Buffer.buffer(json));
  }

  /** Ends {@code response} with this answer and the gateway's request id (for the gateway's own endpoints). */
  public void send(HttpServerResponse response, String requestId) {
    send(response, requestId, h -> {});
  }

  /**
   * As {@link #send(HttpServerResponse, String)}, letting {@code beforeEnd} add headers once the answer's are set (the
   * pipeline's policies, for an answer a policy gave).
   */
  public void send(HttpServerResponse response, String requestId, java.util.function.Consumer<io.vertx.core.MultiMap> beforeEnd) {
    writeHead(response, requestId, beforeEnd);
    response.end(body);
  }

  /** Status and headers of {@link #send}, without ending the response (the caller ends it with {@link #body}). */
  public void writeHead(HttpServerResponse response, String requestId, java.util.function.Consumer<io.vertx.core.MultiMap> beforeEnd) {
    response.setStatusCode(status).putHeader("content-type", contentType);
    headers.forEach(response::putHeader);
    response.putHeader(GatewayHeaders.REQUEST_ID, requestId);
    beforeEnd.accept(response.headers());
  }
}
