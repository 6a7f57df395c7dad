package dev.spillway.simulator;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Iterator;

/**
 * Writes a speech clip as a chunked binary body: status and headers at once, the first chunk after
 * the simulated time to first byte, then the rest as fast as the client reads (pausing while the
 * write queue is full, resuming on drain). Stops when the client goes away; optionally closes the
 * connection after a number of chunks (or before the end, if there are fewer), to simulate a backend
 * dying mid-stream. Confined to the
 * request's event loop.
 */
final class SpeechStream {
  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Iterator<byte[]> chunks;
  private final int closeAfterChunks;
  private int written;
  private long timerId = -1;
  private boolean finished;
  private Future<Void> lastWrite = Future.succeededFuture();

  /** @param closeAfterChunks close the connection once this many chunks are written; -1 never */
  SpeechStream(Vertx vertx, HttpServerRequest request, Iterator<byte[]> chunks, int closeAfterChunks) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.chunks = chunks;
    this.closeAfterChunks = closeAfterChunks;
  }

  /** Sends the headers now and the first chunk after {@code delayNanos}; returns at once. */
  void start(String contentType, long delayNanos) {
    response.setStatusCode(200).setChunked(true).putHeader("content-type", contentType);
    response.closeHandler(v -> stop());
    response.exceptionHandler(e -> stop());
    response.writeHead();
    if (delayNanos <= 0) {
      pump();
    } else {
      timerId = vertx.setTimer(Math.max(1, (delayNanos + 999_999) / 1_000_000), id -> {
        timerId = -1;
        pump();
      });
    }
  }

  private void pump() {
    while (!finished) {
      if (closeAfterChunks >= 0 && (written >= closeAfterChunks || !chunks.hasNext())) {
        finished = true;
        lastWrite.onComplete(ar -> Replies.reset(request));
        return;
      }
      if (!chunks.hasNext()) {
        finished = true;
        response.end();
        return;
      }
      if (response.writeQueueFull()) {
        response.drainHandler(v -> pump());
        return;
      }
      lastWrite = response.write(Buffer.buffer(chunks.next()));
      written++;
    }
  }

  private void stop() {
    finished = true;
    if (timerId >= 0) {
      vertx.cancelTimer(timerId);
      timerId = -1;
    }
  }
}
