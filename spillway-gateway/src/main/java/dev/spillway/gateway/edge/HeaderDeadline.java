package dev.spillway.gateway.edge;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.internal.ContextInternal;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

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
 *
 * <p>Each connection has one {@link Deadline}, made when it opens; a request cancels it and the end of its answer sets
 * it again, as a timer on the connection's own event loop: per request, no map entry, boxed id or lambda is made.
 */
public final class HeaderDeadline {
  private final Vertx vertx;
  private final long firstMillis;
  private final long nextMillis;
  private final Map<HttpConnection, Deadline> pending = new ConcurrentHashMap<>();

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
      Deadline deadline = new Deadline(vertx, connection, nextMillis);
      pending.put(connection, deadline);
      deadline.arm(firstMillis);
      connection.closeHandler(
          v -> {
            Deadline d = pending.remove(connection);
            if (d != null) {
              d.cancel();
            }
          });
    };
  }

  public Handler<HttpServerRequest> requestHandler(Handler<HttpServerRequest> next) {
    return request -> {
      Deadline deadline = pending.get(request.connection());
      if (deadline != null) {
        deadline.cancel();
        if (request.version() != HttpVersion.HTTP_2) {
          // Set before the pipeline runs: a handler set later (closing the connection after a refusal) replaces it.
          request.response().endHandler(deadline);
        }
      }
      next.handle(request);
    };
  }

  /**
   * One connection's deadline for its next request's headers; armed and cancelled on the connection's event loop. It
   * is the end handler of each answer (arming the next deadline) and the task of its own timer (closing the
   * connection).
   */
  private static final class Deadline implements Handler<Void>, Runnable {
    private final Vertx vertx;
    private final HttpConnection connection;
    private final long nextMillis;
    private final ContextInternal context;
    private ScheduledFuture<?> timer;
    private long vertxTimer = -1;

    Deadline(Vertx vertx, HttpConnection connection, long nextMillis) {
      this.vertx = vertx;
      this.connection = connection;
      this.nextMillis = nextMillis;
      this.context = Vertx.currentContext() instanceof ContextInternal c && c.isEventLoopContext() ? c : null;
    }

    void arm(long millis) {
      cancel();
      if (context != null && context.inThread()) {
        timer = context.nettyEventLoop().schedule(this, millis, TimeUnit.MILLISECONDS);
      } else {
        vertxTimer = vertx.setTimer(millis, id -> expired());
      }
    }

    void cancel() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      if (vertxTimer >= 0) {
        vertx.cancelTimer(vertxTimer);
        vertxTimer = -1;
      }
    }

    /** The answer ended: the next request's headers are due within {@code nextMillis}. */
    @Override
    public void handle(Void ended) {
      arm(nextMillis);
    }

    /**
     * The timer fired, on the connection's event loop: closes it there and then, as a handler of its context (not in a
     * later turn, when a request that arrived meanwhile would have been cut).
     */
    @Override
    public void run() {
      context.emit(null, v -> expired());
    }

    private void expired() {
      timer = null;
      vertxTimer = -1;
      connection.close();
    }
  }
}
