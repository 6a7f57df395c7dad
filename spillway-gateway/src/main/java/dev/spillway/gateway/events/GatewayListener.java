package dev.spillway.gateway.events;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Observes the gateway's traffic: the seam for the demo's live table, metrics and the usage
 * ledger. Called on the event loop that handles the request, so implementations must be quick and
 * must not block; they must be thread-safe because several event loops call them.
 */
public interface GatewayListener {

  default void onAttempt(AttemptOutcome attempt) {}

  /** A request is over: called once its outcome is known, just before the last of its answer goes to the client. */
  default void onRequest(RequestOutcome request) {}

  /**
   * As {@link #onRequest}, for a listener whose record of the request must be safe before the client can see the
   * request as done: the end of the client's answer waits until the returned future completes (failed counts as
   * completed). The usage ledger needs it while its database is down: its record is fsynced to a spill file first, a
   * few milliseconds. Must not block, and must complete: an answer that waits for a future that never completes never
   * ends. Default: {@link #onRequest}, nothing to wait for.
   */
  default Future<Void> recordBeforeAnswer(RequestOutcome request) {
    onRequest(request);
    return Future.succeededFuture();
  }

  static GatewayListener none() {
    return new GatewayListener() {};
  }

  /** Calls each listener in order; a listener that throws does not stop the others. */
  static GatewayListener composite(List<GatewayListener> listeners) {
    List<GatewayListener> copy = List.copyOf(listeners);
    return new GatewayListener() {
      @Override
      public void onAttempt(AttemptOutcome attempt) {
        for (GatewayListener l : copy) {
          try {
            l.onAttempt(attempt);
          } catch (RuntimeException e) {
            ListenerFailures.report(l, e);
          }
        }
      }

      @Override
      public void onRequest(RequestOutcome request) {
        recordBeforeAnswer(request);
      }

      /** Every listener's record; the answer waits for all of them (usually none has anything to wait for). */
      @Override
      public Future<Void> recordBeforeAnswer(RequestOutcome request) {
        List<Future<Void>> waits = null;
        for (GatewayListener l : copy) {
          try {
            Future<Void> wait = l.recordBeforeAnswer(request);
            if (!wait.isComplete()) {
              if (waits == null) {
                waits = new ArrayList<>(2);
              }
              waits.add(wait);
            }
          } catch (RuntimeException e) {
            ListenerFailures.report(l, e);
          }
        }
        if (waits == null) {
          return Future.succeededFuture();
        }
        return waits.size() == 1 ? waits.get(0) : Future.join(waits).transform(ar -> Future.succeededFuture());
      }
    };
  }
}
