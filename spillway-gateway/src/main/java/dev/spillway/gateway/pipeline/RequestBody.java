package dev.spillway.gateway.pipeline;

import dev.spillway.core.time.Scheduler;
import dev.spillway.gateway.http.Chunks;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;

/**
 * Reads a request body once, within a size limit and a time limit, while the pipeline's first policies run (the caller
 * is authenticated while its body arrives). Once the request has been answered otherwise (413, 408, 401, ...) the rest
 * of the body is read and dropped, up to a bound, so the client sees the answer instead of a reset.
 *
 * <p>The outcome is a value ({@link Read}); the future fails only when the connection broke. Not thread-safe: used on
 * the request's event loop.
 */
public final class RequestBody {
  /** How much of a refused body is read and dropped before the connection is closed. */
  private static final long MAX_DISCARD_BYTES = 64L * 1024 * 1024;

  /** A route without a body. */
  public static final RequestBody NONE = new RequestBody(null, 0);

  /** What reading the body gave. */
  public sealed interface Read {
    /** The whole body, within the limits. */
    record Received(Buffer bytes) implements Read {}

    /** Over {@code server.maxBodyBytes} (declared or sent). */
    record TooLarge() implements Read {}

    /** Not complete within {@code server.requestTimeout}. */
    record TimedOut() implements Read {}

    /** The request was answered on other grounds before its body mattered. */
    record Answered() implements Read {}
  }

  private final HttpServerRequest request;
  private final long maxBytes;
  private final Promise<Read> promise = Promise.promise();
  private final Chunks body = new Chunks();
  private long received;
  private boolean discarding;
  /** The body's deadline once set; see {@link #armDeadline}. */
  private Scheduler.Cancellable deadline = Scheduler.Cancellable.DONE;

  private RequestBody(HttpServerRequest request, long maxBytes) {
    this.request = request;
    this.maxBytes = maxBytes;
  }

  /** Starts reading at once; call from the request handler, before any asynchronous step. */
  public static RequestBody start(Scheduler scheduler, HttpServerRequest request, long maxBytes, Duration timeout) {
    RequestBody reader = new RequestBody(request, maxBytes);
    String declared = request.getHeader("content-length");
    if (declared != null && parseLength(declared) > maxBytes) {
      reader.refuse(new Read.TooLarge());
    }
    reader.armDeadline(scheduler, timeout);
    request.handler(reader::onChunk);
    request.exceptionHandler(
        err -> {
          reader.deadline.cancel();
          reader.discarding = true;
          reader.promise.tryFail(err);
        });
    request.endHandler(
        v -> {
          reader.deadline.cancel();
          if (!reader.discarding) {
            reader.promise.tryComplete(new Read.Received(reader.body.whole()));
          }
        });
    return reader;
  }

  /**
   * Sets the body's deadline, {@code timeout} from now. A small body usually arrives whole in the same event-loop turn
   * as the request's head, and a timer set and cancelled for each such request is a good part of a request's own cost:
   * on an event loop the timer is set only in the next turn, for what is left of {@code timeout}, and not at all when
   * the body is complete by then.
   */
  private void armDeadline(Scheduler scheduler, Duration timeout) {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    if (context == null) {
      deadline = scheduler.schedule(timeout.toNanos(), () -> refuse(new Read.TimedOut()));
      return;
    }
    long start = scheduler.ticker().read();
    context.runOnContext(v -> {
      if (promise.future().isComplete() || discarding) {
        return;
      }
      long left = Math.max(0, timeout.toNanos() - (scheduler.ticker().read() - start));
      deadline = scheduler.schedule(left, () -> refuse(new Read.TimedOut()));
    });
  }

  /** Completes with what was read; fails only when the connection broke (nobody is listening for an answer). */
  public Future<Read> read() {
    return promise.future();
  }

  /** The request was answered without its body: drop whatever still arrives. */
  public void discard() {
    if (request == null) {
      return;
    }
    discarding = true;
    promise.tryComplete(new Read.Answered());
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
      refuse(new Read.TooLarge());
      return;
    }
    body.append(chunk);
  }

  private void refuse(Read refusal) {
    if (discarding || promise.future().isComplete()) {
      return;
    }
    discarding = true;
    if (refusal instanceof Read.TimedOut && !request.response().headWritten()) {
      // A client this slow is not sending the rest: close once the answer is out. Set up before
      // completing the promise, whose listeners may send the answer at once.
      request.response().putHeader("connection", "close");
      request.response().endHandler(v -> request.connection().close());
    }
    promise.tryComplete(refusal);
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
