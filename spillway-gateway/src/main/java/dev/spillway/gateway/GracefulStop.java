package dev.spillway.gateway;

import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.time.Scheduler;
import dev.spillway.gateway.forward.InFlightRequests;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * A stop that drains, in the order a load balancer needs: readiness turns 503 at once; the listener keeps accepting for
 * {@code server.drainDelay} (the balancer has not noticed yet, and a refused connection would be an error for its
 * client); then it stops accepting, and requests and streams in flight get {@code server.drainTimeout} to finish. Those
 * still going then end with {@code 503 gateway_shutting_down} (streams: an SSE error event, so that the client knows
 * the answer is incomplete), booked as interrupted by the shutdown. Last, the rest of the gateway closes: the usage
 * queue is flushed (or spilled to disk), exporters and upstream connections close.
 *
 * <p>Both waits are on the gateway's {@link Scheduler}, so a test moves them with its clock.
 */
final class GracefulStop {
  private static final Logger LOG = System.getLogger(GracefulStop.class.getName());
  /** After the cut, how long the cut requests' last bytes get before the listener's connections are closed. */
  private static final long CUT_GRACE_MILLIS = 1_000;

  private final Scheduler scheduler;
  private final ServerConfig server;
  private final AtomicBoolean ready;
  private final InFlightRequests inFlight;

  GracefulStop(Scheduler scheduler, ServerConfig server, AtomicBoolean ready, InFlightRequests inFlight) {
    this.scheduler = scheduler;
    this.server = server;
    this.ready = ready;
    this.inFlight = inFlight;
  }

  /** The requests being forwarded now. */
  InFlightRequests inFlight() {
    return inFlight;
  }

  /** Drains {@code listener}, then runs {@code closeRest}; the future completes when both are done. */
  Future<Void> run(HttpServer listener, Supplier<Future<Void>> closeRest) {
    ready.set(false);
    LOG.log(Level.INFO, "stopping: not ready; " + inFlight.size() + " requests in flight, accepting for another "
        + server.drainDelay().toMillis() + " ms, then " + server.drainTimeout().toMillis() + " ms to finish");
    Promise<Void> accepting = Promise.promise();
    scheduler.schedule(server.drainDelay().toNanos(), accepting::tryComplete);
    return accepting.future().compose(v -> {
      Scheduler.Cancellable cut = scheduler.schedule(server.drainTimeout().toNanos(), () -> {
        int left = inFlight.size();
        if (left > 0) {
          LOG.log(Level.WARNING, "drain time over: ending " + left + " requests still in flight with 503");
        }
        inFlight.cutAll();
      });
      // The listener's own deadline is wall-clock and only a backstop: by then the cut has ended every request.
      long backstop = server.drainTimeout().toMillis() + CUT_GRACE_MILLIS;
      return listener.shutdown(backstop, TimeUnit.MILLISECONDS).andThen(done -> cut.cancel());
    }).eventually(closeRest::get)
        .andThen(done -> LOG.log(Level.INFO, "stopped"));
  }
}
