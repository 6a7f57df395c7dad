package dev.spillway.gateway.edge;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * <p>No timer is set per request: one periodic sweep (every quarter of the shorter deadline, 10 ms to 1 s) closes
 * the connections whose headers are overdue, so a connection is cut off up to one sweep late.
 *
 * <p>Use {@link #connectionHandler()} as the server's connection handler and wrap the request
 * handler with {@link #requestHandler(Handler)}. Needs HTTP/2 cleartext upgrade off: with h2c on,
 * Vert.x announces a connection only once its first request's headers are complete. Thread-safe.
 */
public final class HeaderDeadline {
  private final Vertx vertx;
  private final long firstNanos;
  private final long nextNanos;
  private final long sweepMillis;
  /** Every open connection, with when its awaited headers are due (0 while a request is in). */
  private final Map<HttpConnection, Due> open = new ConcurrentHashMap<>();
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /** When one connection's awaited headers are due: {@link System#nanoTime()}, or 0 when none are awaited. */
  private static final class Due {
    volatile long atNanos;
  }

  /**
   * @param firstRequest how long a new connection has for its first request's headers ({@code server.requestTimeout})
   * @param nextRequest how long a kept-alive connection has for the next request's headers ({@code server.idleTimeout})
   */
  public HeaderDeadline(Vertx vertx, Duration firstRequest, Duration nextRequest) {
    this.vertx = vertx;
    this.firstNanos = Math.max(1, firstRequest.toNanos());
    this.nextNanos = Math.max(1, nextRequest.toNanos());
    // No timer per request: one sweep looks at every connection a few times per deadline (at most each second).
    this.sweepMillis = Math.clamp(Math.min(firstRequest.toMillis(), nextRequest.toMillis()) / 4, 10, 1_000);
  }

  public Handler<HttpConnection> connectionHandler() {
    return connection -> {
      Due due = new Due();
      due.atNanos = dueIn(firstNanos);
      open.put(connection, due);
      connection.closeHandler(v -> open.remove(connection));
      if (sweeping.compareAndSet(false, true)) {
        vertx.setPeriodic(sweepMillis, id -> sweep());
      }
    };
  }

  public Handler<HttpServerRequest> requestHandler(Handler<HttpServerRequest> next) {
    return request -> {
      HttpConnection connection = request.connection();
      Due due = open.get(connection);
      if (due != null) {
        due.atNanos = 0;
        if (request.version() != HttpVersion.HTTP_2) {
          // Set before the pipeline runs: a handler set later (closing the connection after a refusal) replaces it.
          request.response().endHandler(v -> due.atNanos = dueIn(nextNanos));
        }
      }
      next.handle(request);
    };
  }

  /** Closes every connection whose awaited headers are overdue. */
  private void sweep() {
    long now = System.nanoTime();
    for (Map.Entry<HttpConnection, Due> e : open.entrySet()) {
      long at = e.getValue().atNanos;
      if (at != 0 && now - at >= 0) {
        open.remove(e.getKey());
        e.getKey().close();
      }
    }
  }

  private static long dueIn(long nanos) {
    long at = System.nanoTime() + nanos;
    return at == 0 ? 1 : at;
  }
}
