package dev.spillway.gateway.edge;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes a new connection whose first request's headers have not arrived within {@code
 * server.requestTimeout}: a client trickling header lines (slowloris) would otherwise hold the
 * connection until the idle timeout. Once a request's headers are in, its body is bounded by the
 * same timeout in the body reader, and the connection's silences by the idle timeout.
 *
 * <p>Use {@link #connectionHandler()} as the server's connection handler and wrap the request
 * handler with {@link #requestHandler(Handler)}. Needs HTTP/2 cleartext upgrade off: with h2c on,
 * Vert.x announces a connection only once its first request's headers are complete. Thread-safe.
 */
public final class HeaderDeadline {
  private final Vertx vertx;
  private final long timeoutMillis;
  private final Map<HttpConnection, Long> pending = new ConcurrentHashMap<>();

  public HeaderDeadline(Vertx vertx, Duration timeout) {
    this.vertx = vertx;
    this.timeoutMillis = Math.max(1, timeout.toMillis());
  }

  public Handler<HttpConnection> connectionHandler() {
    return connection -> {
      long timer =
          vertx.setTimer(
              timeoutMillis,
              id -> {
                if (pending.remove(connection) != null) {
                  connection.close();
                }
              });
      pending.put(connection, timer);
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
      Long timer = pending.remove(request.connection());
      if (timer != null) {
        vertx.cancelTimer(timer);
      }
      next.handle(request);
    };
  }
}
