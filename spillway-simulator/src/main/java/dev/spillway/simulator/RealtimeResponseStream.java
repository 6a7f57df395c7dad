package dev.spillway.simulator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import java.util.List;

/**
 * Writes one {@link RealtimeTurn} on a WebSocket, paced like a chat stream ({@link SseStream}):
 * {@code response.created} at once, the opening events with the first delta at time to first token,
 * one delta per output-token interval, and the closing events with the last delta. Uses Vert.x
 * timers (never blocks), waits while the socket's write queue is full, can be cancelled (the closing
 * events then follow at once, with the text sent so far) and stops for good when the socket closes.
 *
 * <p>Confined to the socket's event loop; not thread-safe.
 */
final class RealtimeResponseStream {
  /** What the session learns when the response has ended: how many deltas went out and the final status. */
  interface Ended {
    void ended(RealtimeTurn turn, int sentDeltas, String status);
  }

  private final Vertx vertx;
  private final ServerWebSocket ws;
  private final RealtimeTurn turn;
  private final long ttftNanos;
  private final long nanosPerToken;
  private final Ended ended;
  private long startNanos;
  private boolean opened;
  private int sentDeltas;
  private boolean finished;
  private long timerId = -1;

  /**
   * @param ttftNanos delay from the start to the opening events and first delta
   * @param nanosPerToken delay between deltas
   */
  RealtimeResponseStream(Vertx vertx, ServerWebSocket ws, RealtimeTurn turn, long ttftNanos, long nanosPerToken,
      Ended ended) {
    this.vertx = vertx;
    this.ws = ws;
    this.turn = turn;
    this.ttftNanos = ttftNanos;
    this.nanosPerToken = nanosPerToken;
    this.ended = ended;
  }

  String responseId() {
    return turn.responseId();
  }

  /** Sends {@code response.created} and schedules the rest; returns at once. */
  void start() {
    startNanos = System.nanoTime();
    write(turn.created());
    pump();
  }

  /** Ends the response now as {@code cancelled}, with what was sent so far. */
  void cancel() {
    if (finished) {
      return;
    }
    stopTimer();
    if (!opened) {
      writeAll(turn.opening());
      opened = true;
    }
    finish(RealtimeTurn.CANCELLED);
  }

  /** Stops for good without writing anything: the socket is gone. */
  void abandon() {
    finished = true;
    stopTimer();
  }

  private void pump() {
    timerId = -1;
    while (sentDeltas < turn.outputTokens()) {
      if (finished || ws.isClosed()) {
        return;
      }
      long wait = startNanos + ttftNanos + sentDeltas * nanosPerToken - System.nanoTime();
      if (wait > 0) {
        timerId = vertx.setTimer(Math.max(1, (wait + 999_999) / 1_000_000), id -> pump());
        return;
      }
      if (ws.writeQueueFull()) {
        ws.drainHandler(v -> {
          ws.drainHandler(null);
          pump();
        });
        return;
      }
      if (!opened) {
        writeAll(turn.opening());
        opened = true;
      }
      write(turn.delta(sentDeltas++));
    }
    if (!finished && !ws.isClosed()) {
      finish(turn.finalStatus());
    }
  }

  private void finish(String status) {
    finished = true;
    writeAll(turn.closing(sentDeltas, status));
    ended.ended(turn, sentDeltas, status);
  }

  private void writeAll(List<ObjectNode> events) {
    events.forEach(this::write);
  }

  private void write(ObjectNode event) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(event.toString());
    }
  }

  private void stopTimer() {
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
