package dev.spillway.gateway.edge;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a new connection whose first request's headers have not arrived within {@code
 * server.requestTimeout}: a client trickling header lines (slowloris) would otherwise hold the
 * connection until the idle timeout. Once a request's headers are in, its body is bounded by the
 * same timeout in the body reader, and the connection's silences by the idle timeout.
 *
 * <p>On an HTTP/1.x connection kept alive, the next request's headers must be in within {@code
 * server.idleTimeout} of the previous answer's end. A silent connection is closed then anyway (by the
 * idle timeout); one trickling a byte now and then never is silent, and was held for as long as it
 * kept trickling. The first request's shorter deadline cannot apply here: it would close idle
 * keep-alive connections before their idle timeout.
 *
 * <p>Use {@link #connectionHandler()} as the server's connection handler and wrap the request
 * handler with {@link #requestHandler(Handler)}. Needs HTTP/2 cleartext upgrade off: with h2c on,
 * Vert.x announces a connection only once its first request's headers are complete. Thread-safe.
 */
public final class HeaderDeadline {
  private final Vertx vertx;
  private final long firstMillis;
  private final long nextMillis;
  private final Map<HttpConnection, Long> pending = new ConcurrentHashMap<>();

  /**
   * @param firstRequest how long a new connection has for its first request's headers ({@code server.requestTimeout})
   * @param nextRequest how long a kept-alive connection has for the next request's headers ({@code server.idleTimeout})
   */
  public HeaderDeadline(Vertx vertx, Duration firstRequest, Duration nextRequest) {
    this.vertx = vertx;
    this.firstMillis = Math.max(1, firstRequest.toMillis());
    this.nextMillis = Math.max(1, nextRequest.toMillis());
  }

  public Handler<HttpConnection> connectionHandler() {
    return connection -> {
      arm(connection, firstMillis);
      connection.closeHandler(
          v -> {
            Long t = pending.remove(connection);
            if (t != null) {
              vertx.cancelTimer(t);
            }
          });
    };
  }

  public Handler<HttpServerRequest> requestHandler(Handler<HttpServerRequest> next) {
    return request -> {
      HttpConnection connection = request.connection();
      Long timer = pending.remove(connection);
      if (timer != null) {
        vertx.cancelTimer(timer);
      }
      if (request.version() != HttpVersion.HTTP_2) {
        // Set before the pipeline runs: a handler set later (closing the connection after a refusal) replaces it.
        request.response().endHandler(v -> arm(connection, nextMillis));
      }
      next.handle(request);
    };
  }

  private void arm(HttpConnection connection, long millis) {
    long timer =
        vertx.setTimer(
            millis,
            id -> {
              if (pending.remove(connection, id)) {
                connection.close();
              }
            });
    Long previous = pending.put(connection, timer);
    if (previous != null) {
      vertx.cancelTimer(previous);
    }
  }
}
