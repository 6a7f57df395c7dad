package dev.spillway.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a {@link StreamPlan} as server-sent events on a schedule: everything up to
 * the first content event at time-to-first-token, then one content event per output-token interval,
 * then the closing events. Uses Vert.x timers (never blocks), pauses while the response's write
 * queue is full and resumes on drain, and stops for good when the client goes away. Optionally
 * closes the connection after a number of events, to simulate a backend dying mid-stream.
 *
 * <p>Confined to the event loop of the request; not thread-safe.
 */
final class SseStream {
  private static final long MIDSTREAM_GRACE_MILLIS = 20;
  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final StreamPlan plan;
  private final long startNanos;
  private final long ttftNanos;
  private final long nanosPerToken;
  private final int closeAfterEvents;
  private int next;
  private long timerId = -1;
  private boolean finished;
  private Future<Void> lastWrite = Future.succeededFuture();

  /**
   * @param startNanos {@link System#nanoTime()} when the request was admitted
   * @param ttftNanos delay from start to the first content event
   * @param nanosPerToken delay between content events
   * @param closeAfterEvents close the connection once this many events are written; -1 never
   */
  SseStream(Vertx vertx, HttpServerRequest request, StreamPlan plan,
      long startNanos, long ttftNanos, long nanosPerToken, int closeAfterEvents) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.plan = plan;
    this.startNanos = startNanos;
    this.ttftNanos = ttftNanos;
    this.nanosPerToken = nanosPerToken;
    this.closeAfterEvents = closeAfterEvents;
  }

  /** Starts writing; returns at once. */
  void start() {
    response.setChunked(true);
    response.putHeader("content-type", "text/event-stream");
    response.putHeader("cache-control", "no-cache");
    response.closeHandler(v -> stop());
    response.exceptionHandler(e -> stop());
    pump();
  }

  private void pump() {
    if (finished) {
      return;
    }
    long now = System.nanoTime();
    while (next < plan.events().size()) {
      if (closeAfterEvents >= 0 && next >= closeAfterEvents) {
        finished = true;
        // Close once the events already written are on the wire, plus a short pause so that the
        // client has read them as a separate step, as when a real backend dies between two chunks.
        lastWrite.onComplete(ar -> vertx.setTimer(MIDSTREAM_GRACE_MILLIS, id -> Replies.reset(request)));
        return;
      }
      long wait = startNanos + dueNanos(next) - now;
      if (wait > 0) {
        timerId = vertx.setTimer(Math.max(1, (wait + 999_999) / 1_000_000), id -> {
          timerId = -1;
          pump();
        });
        return;
      }
      if (response.writeQueueFull()) {
        response.drainHandler(v -> pump());
        return;
      }
      lastWrite = response.write(plan.events().get(next++));
    }
    finished = true;
    response.end();
  }

  /** Offset of event {@code index} from the start, in nanoseconds. */
  private long dueNanos(int index) {
    int contentIndex = index - plan.firstContentIndex();
    int lastContent = plan.contentCount() - 1;
    return ttftNanos + Math.max(0, Math.min(contentIndex, lastContent)) * nanosPerToken;
  }

  private void stop() {
    finished = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
