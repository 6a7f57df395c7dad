package dev.spillway.gateway.forward;

import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;
import java.util.function.Predicate;

/**
 * Relays the frames of one WebSocket to another as they come — text and binary, fragments in order — with
 * back-pressure: while the receiving side's write queue is full the sending side is paused, so a slow reader holds
 * its peer back instead of filling the gateway's memory. Pings and pongs are not relayed: each hop keeps its own
 * connection alive (Vert.x answers pings). Close frames are not relayed either; {@link #closeTogether} passes the code.
 */
final class FrameBridge {
  /** A close code no close frame may carry: none was received (1005) or the connection dropped (1006). */
  private static final short NO_STATUS = 1005;
  private static final short ABNORMAL = 1006;
  static final short NORMAL = 1000;
  /** What a side whose peer dropped without a close frame is told: the other end failed. */
  static final short PEER_FAILED = 1011;

  private FrameBridge() {}

  /**
   * Relays {@code from}'s data frames to {@code to}; {@code keep} sees each frame first and may drop it (false).
   */
  static void relay(WebSocketBase from, WebSocketBase to, Predicate<WebSocketFrame> keep) {
    from.frameHandler(frame -> {
      if (frame.isPing() || frame.isClose() || frame.type() == io.vertx.core.http.WebSocketFrameType.PONG) {
        return;
      }
      if (!keep.test(frame) || to.isClosed()) {
        return;
      }
      to.writeFrame(frame);
      if (to.writeQueueFull()) {
        from.pause();
        to.drainHandler(v -> from.resume());
      }
    });
  }

  /** The code to send on {@code peer}'s behalf: its own, or what stands for a missing or impossible one. */
  static short codeFor(Short received) {
    if (received == null || received == ABNORMAL) {
      return PEER_FAILED;
    }
    return received == NO_STATUS ? NORMAL : received;
  }

  /** True when {@code code} says the side closed on purpose (1000, 1001) rather than failed. */
  static boolean orderly(Short code) {
    return code != null && (code == NORMAL || code == 1001 || code == NO_STATUS);
  }
}
