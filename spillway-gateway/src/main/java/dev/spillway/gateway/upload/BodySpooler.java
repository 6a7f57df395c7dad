package dev.spillway.gateway.upload;

import dev.spillway.core.multipart.MultipartScanner;
import dev.spillway.core.time.Scheduler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.http.HttpServerRequest;
import java.util.Objects;

/**
 * Reads an upload's body into a spool file, within a size limit and a time limit, while a {@link MultipartScanner} reads
 * the form as the bytes pass: the body is never held in memory, and the fields the gateway routes by are known when the
 * last byte is. The counterpart of {@code RequestBody} for {@code multipart/form-data} routes, with the same outcomes
 * and the same way of refusing (the rest of a refused body is read and dropped, up to a bound, so the client sees the
 * answer instead of a reset).
 *
 * <p>Back-pressure: the request is paused while the spool file is being created and whenever the file's write queue is
 * full, and resumed when it drains; nothing blocks the event loop. Unless the outcome is {@link Read.Spooled}, the spool
 * file is deleted before the outcome is delivered. A {@link Read.Spooled} body belongs to the caller, who closes it.
 *
 * <p>Not thread-safe: used on the request's event loop.
 */
public final class BodySpooler {
  /** How much of a refused body is read and dropped before the connection is closed (as {@code RequestBody}). */
  private static final long MAX_DISCARD_BYTES = 64L * 1024 * 1024;

  /** What spooling the body gave. */
  public sealed interface Read {
    /** The whole body, within the limits, a complete form; the caller now owns it and must close it. */
    record Spooled(SpooledBody body) implements Read {}

    /** Not a form that can be read (malformed, or ended before its closing boundary), as far as it was read. */
    record Malformed(MultipartScanner.Result form) implements Read {}

    /** Over {@code server.maxBodyBytes} (declared or sent). */
    record TooLarge() implements Read {}

    /** Not complete within {@code server.requestTimeout}. */
    record TimedOut() implements Read {}

    /** The request was answered on other grounds before its body mattered. */
    record Answered() implements Read {}

    /** The spool file could not be created or written (the directory, the disk): not the client's fault. */
    record Unavailable(Throwable cause) implements Read {}
  }

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final MultipartScanner scanner;
  private final long maxBytes;
  private final Promise<Read> promise = Promise.promise();
  private Scheduler.Cancellable timer = Scheduler.Cancellable.DONE;
  private SpoolFile spool;
  private AsyncFile file;
  private Buffer early;
  private long received;
  private boolean ended;
  private boolean concluded;

  private BodySpooler(Vertx vertx, HttpServerRequest request, MultipartScanner scanner, long maxBytes) {
    this.vertx = vertx;
    this.request = request;
    this.scanner = scanner;
    this.maxBytes = maxBytes;
  }

  /**
   * Starts spooling at once; call from the request handler, before any asynchronous step.
   *
   * @param scanner a scanner for the request's Content-Type ({@link MultipartScanner#forContentType})
   */
  public static BodySpooler start(
      Vertx vertx, Scheduler scheduler, HttpServerRequest request, MultipartScanner scanner, SpoolOptions options) {
    Objects.requireNonNull(scanner, "scanner");
    BodySpooler spooler = new BodySpooler(vertx, request, scanner, options.maxBytes());
    request.handler(spooler::onChunk);
    request.endHandler(v -> spooler.onEnd());
    request.exceptionHandler(spooler::onBroken);
    spooler.timer = scheduler.schedule(options.timeout().toNanos(), () -> spooler.conclude(new Read.TimedOut()));
    String declared = request.getHeader("content-length");
    if (declared != null && parseLength(declared) > options.maxBytes()) {
      spooler.conclude(new Read.TooLarge()); // before a file is made for it
      return spooler;
    }
    request.pause(); // until there is a file to write to
    spooler.spool = SpoolFile.create(vertx, options.directory());
    spooler.spool.opened().onComplete(ar -> spooler.onOpened(ar.result(), ar.cause()));
    return spooler;
  }

  /** Completes with what was read; fails only when the connection broke (nobody is listening for an answer). */
  public Future<Read> read() {
    return promise.future();
  }

  /** The request was answered without its body: drop whatever still arrives (no effect once the body is spooled). */
  public void discard() {
    conclude(new Read.Answered());
  }

  private void onOpened(AsyncFile opened, Throwable failure) {
    if (concluded) {
      return; // the conclusion deletes it
    }
    if (failure != null) {
      conclude(new Read.Unavailable(failure));
      return;
    }
    file = opened;
    file.exceptionHandler(this::onWriteFailure);
    if (early != null) {
      write(early);
      early = null;
    }
    if (ended) {
      completeSpool();
    } else if (!file.writeQueueFull()) {
      request.resume();
    }
  }

  private void onChunk(Buffer chunk) {
    received += chunk.length();
    if (concluded) {
      if (received > maxBytes + MAX_DISCARD_BYTES) {
        request.connection().close();
      }
      return;
    }
    if (received > maxBytes) {
      conclude(new Read.TooLarge());
      return;
    }
    byte[] bytes = chunk.getBytes();
    scanner.feed(bytes, 0, bytes.length);
    if (scanner.isMalformed()) {
      conclude(new Read.Malformed(scanner.finish())); // the rest cannot mend it: answer now, drop the rest
      return;
    }
    if (file == null) {
      // Paused until the file is open, so at most what was on its way; kept until then.
      early = early == null ? chunk.copy() : early.appendBuffer(chunk);
      return;
    }
    write(chunk);
  }

  private void write(Buffer chunk) {
    file.write(chunk).onFailure(this::onWriteFailure);
    if (file.writeQueueFull()) {
      request.pause();
      file.drainHandler(v -> {
        if (!concluded) {
          request.resume();
        }
      });
    }
  }

  private void onEnd() {
    ended = true;
    timer.cancel();
    if (!concluded && file != null) {
      completeSpool();
    }
  }

  private void completeSpool() {
    MultipartScanner.Result form = scanner.finish();
    if (!form.isComplete()) {
      conclude(new Read.Malformed(form));
      return;
    }
    spool.close().onComplete(ar -> {
      if (concluded) {
        return; // refused or broken while closing: the conclusion deletes it
      }
      if (ar.failed()) {
        conclude(new Read.Unavailable(ar.cause()));
        return;
      }
      concluded = true;
      promise.complete(new Read.Spooled(new SpooledBody(vertx, spool, received, form)));
    });
  }

  private void onWriteFailure(Throwable failure) {
    conclude(new Read.Unavailable(failure));
  }

  private void onBroken(Throwable failure) {
    if (ended) {
      return; // the whole body arrived; a later break is the answer's business
    }
    concludeWith(null, failure);
  }

  private void conclude(Read outcome) {
    concludeWith(outcome, null);
  }

  /** Decides the outcome once: stops writing, drains the rest, deletes the spool file, then delivers. */
  private void concludeWith(Read outcome, Throwable failure) {
    if (concluded) {
      return;
    }
    concluded = true;
    timer.cancel();
    early = null;
    if (outcome instanceof Read.TimedOut && !request.response().headWritten()) {
      // A client this slow is not sending the rest: close once the answer is out.
      request.response().putHeader("connection", "close");
      request.response().endHandler(v -> request.connection().close());
    }
    if (file != null) {
      file.drainHandler(null);
    }
    if (!ended) {
      request.resume(); // read and drop the rest
    }
    Future<Void> gone = spool == null ? Future.succeededFuture() : spool.delete();
    gone.onComplete(ar -> {
      if (failure != null) {
        promise.tryFail(failure);
      } else {
        promise.tryComplete(outcome);
      }
    });
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
