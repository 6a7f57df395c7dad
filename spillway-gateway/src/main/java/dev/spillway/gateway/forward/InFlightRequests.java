package dev.spillway.gateway.forward;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The forwarded requests still going — HTTP requests and streams, and realtime sessions — each with the event loop it
 * runs on: what a graceful stop waits for, and what it ends when its drain time is over. One per gateway; thread-safe
 * (requests come and go on every event loop).
 */
public final class InFlightRequests {
  /** Something a stop waits for and, when the drain time is over, ends on its own event loop. */
  interface Cuttable {
    /** The gateway's drain time is over: end now, telling the client the gateway stops, blaming no backend. */
    void shutdownCut();
  }

  private final Map<Cuttable, Context> loops = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger heldBack = new java.util.concurrent.atomic.AtomicInteger();

  /** Registers a request that started forwarding on the current event loop (ignored off an event loop, as in tests). */
  void started(Cuttable loop) {
    Context context = Vertx.currentContext();
    if (context != null) {
      loops.put(loop, context);
    }
  }

  void finished(Cuttable loop) {
    loops.remove(loop);
  }

  /** Requests being forwarded now. */
  public int size() {
    return loops.size();
  }

  /**
   * Streams whose backend is paused now because their client reads slower than the backend writes (its write queue is
   * full): slow readers. Their silence is not the backend's, and no timeout runs against the backend meanwhile.
   */
  public int streamsHeldBack() {
    return heldBack.get();
  }

  void heldBack(boolean paused) {
    if (paused) {
      heldBack.incrementAndGet();
    } else {
      heldBack.decrementAndGet();
    }
  }

  /**
   * Ends every request still going, each on its own event loop: a stream gets an SSE error event, a request still
   * waiting for its answer {@code 503 gateway_shutting_down}, a realtime session a close with code 1001 (going away). Booked as interrupted by the shutdown; no backend is
   * blamed.
   */
  public void cutAll() {
    loops.forEach((loop, context) -> context.runOnContext(v -> loop.shutdownCut()));
  }
}
