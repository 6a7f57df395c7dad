package dev.spillway.gateway.events;

import java.util.List;

/**
 * Observes the gateway's traffic: the seam for the demo's live table, metrics and the usage
 * ledger. Called on the event loop that handles the request, so implementations must be quick and
 * must not block; they must be thread-safe because several event loops call them.
 */
public interface GatewayListener {

  default void onAttempt(AttemptOutcome attempt) {}

  default void onRequest(RequestOutcome request) {}

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
        for (GatewayListener l : copy) {
          try {
            l.onRequest(request);
          } catch (RuntimeException e) {
            ListenerFailures.report(l, e);
          }
        }
      }
    };
  }
}
