package dev.spillway.gateway.proxy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * Reads a request body once, within a size limit and a time limit. Once the request has been
 * answered otherwise (413, 408, 401, ...) the rest of the body is read and dropped, up to a bound,
 * so the client sees the answer instead of a reset.
 *
 * <p>Not thread-safe: used on the request's event loop.
 */
final class BodyReader {
  /** How much of a refused body is read and dropped before the connection is closed. */
  private static final long MAX_DISCARD_BYTES = 64L * 1024 * 1024;

  enum Refusal {
    TOO_LARGE,
    TIMED_OUT,
    /** The request was answered on other grounds (authentication) before its body mattered. */
    ANSWERED
  }

  /** Completes with the body, or fails with {@link RefusedBody} (too large, too slow) or an I/O error. */
  static final class RefusedBody extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final Refusal refusal;

    RefusedBody(Refusal refusal) {
      super(refusal.name(), null, false, false);
      this.refusal = refusal;
    }
  }

  private final HttpServerRequest request;
  private final long maxBytes;
  private final Promise<Buffer> promise = Promise.promise();
  private final Buffer body = Buffer.buffer();
  private long received;
  private boolean discarding;

  private BodyReader(HttpServerRequest request, long maxBytes) {
    this.request = request;
    this.maxBytes = maxBytes;
  }

  /** Starts reading at once; call from the request handler, before any asynchronous step. */
  static BodyReader start(Vertx vertx, HttpServerRequest request, long maxBytes, Duration timeout) {
    BodyReader reader = new BodyReader(request, maxBytes);
    String declared = request.getHeader("content-length");
    if (declared != null && parseLength(declared) > maxBytes) {
      reader.refuse(Refusal.TOO_LARGE);
    }
    long timer = vertx.setTimer(timeout.toMillis(), id -> reader.refuse(Refusal.TIMED_OUT));
    request.handler(reader::onChunk);
    request.exceptionHandler(
        err -> {
          vertx.cancelTimer(timer);
          reader.fail(err);
        });
    request.endHandler(
        v -> {
          vertx.cancelTimer(timer);
          if (!reader.discarding) {
            reader.promise.tryComplete(reader.body);
          }
        });
    return reader;
  }

  Future<Buffer> future() {
    return promise.future();
  }

  /** The request was answered without its body: drop whatever still arrives. */
  void discard() {
    discarding = true;
    promise.tryFail(new RefusedBody(Refusal.ANSWERED));
  }

  private void onChunk(Buffer chunk) {
    received += chunk.length();
    if (discarding) {
      if (received > maxBytes + MAX_DISCARD_BYTES) {
        request.connection().close();
      }
      return;
    }
    if (received > maxBytes) {
      refuse(Refusal.TOO_LARGE);
      return;
    }
    body.appendBuffer(chunk);
  }

  private void refuse(Refusal refusal) {
    if (discarding || promise.future().isComplete()) {
      return;
    }
    discarding = true;
    if (refusal == Refusal.TIMED_OUT && !request.response().headWritten()) {
      // A client this slow is not sending the rest: close once the answer is out. Set up before
      // failing the promise, whose listeners may send the answer at once.
      request.response().putHeader("connection", "close");
      request.response().endHandler(v -> request.connection().close());
    }
    promise.tryFail(new RefusedBody(refusal));
  }

  private void fail(Throwable err) {
    discarding = true;
    promise.tryFail(err);
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
