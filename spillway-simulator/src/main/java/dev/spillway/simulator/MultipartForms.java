package dev.spillway.simulator;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;

/**
 * Reads a request's {@code multipart/form-data} body as it streams in, through a {@link
 * MultipartReader}, and hands the pipeline the form's JSON ({@link MultipartForm#toJson()}) in place
 * of a body: the uploaded files are counted and their first bytes kept, never held whole, so a 50 MB
 * audio file costs a few kilobytes.
 *
 * <p>A request whose body is not {@code multipart/form-data}, or is malformed, is answered {@code
 * 400} here once its body has been read (and discarded), and the returned future fails. Runs on the
 * request's event loop.
 */
final class MultipartForms {
  private MultipartForms() {}

  /**
   * The form with its files whole (up to {@code maxFileBytes} each), for the APIs that store what is uploaded (files,
   * upload parts); fails after answering 400 when there is no valid form.
   */
  static Future<MultipartForm> readWhole(HttpServerRequest req, int maxFileBytes) {
    HttpServerResponse res = req.response();
    Optional<String> boundary = MultipartReader.boundary(req.getHeader("content-type"));
    return req.body().compose(body -> {
      try {
        if (boundary.isEmpty()) {
          throw new InvalidRequestException("Invalid Content-Type header, expected multipart/form-data.", null);
        }
        MultipartReader reader = new MultipartReader(boundary.get(), maxFileBytes);
        reader.feed(body.getBytes());
        return Future.succeededFuture(reader.finish());
      } catch (InvalidRequestException e) {
        Replies.badRequest(res, e);
        return Future.failedFuture(e);
      }
    });
  }

  /** The form's JSON once the whole body is read; fails after answering 400 when there is no valid form. */
  static Future<Buffer> read(HttpServerRequest req) {
    Promise<Buffer> promise = Promise.promise();
    HttpServerResponse res = req.response();
    req.exceptionHandler(promise::tryFail);
    String contentType = req.getHeader("content-type");
    Optional<String> boundary = MultipartReader.boundary(contentType);
    if (boundary.isEmpty()) {
      req.handler(ignored -> { });
      req.endHandler(v -> reject(res, promise, new InvalidRequestException("Invalid Content-Type header ("
          + (contentType == null ? "none" : contentType) + "), expected multipart/form-data.", null)));
      return promise.future();
    }
    if ("100-continue".equalsIgnoreCase(req.getHeader("expect"))) {
      res.writeContinue();
    }
    MultipartReader reader = new MultipartReader(boundary.get());
    InvalidRequestException[] failure = new InvalidRequestException[1];
    req.handler(chunk -> {
      if (failure[0] == null) {
        try {
          reader.feed(chunk.getBytes());
        } catch (InvalidRequestException e) {
          failure[0] = e; // keep reading, so that the 400 goes out after the whole request
        }
      }
    });
    req.endHandler(v -> {
      try {
        if (failure[0] != null) {
          throw failure[0];
        }
        promise.complete(Buffer.buffer(reader.finish().toJson().toString()));
      } catch (InvalidRequestException e) {
        reject(res, promise, e);
      }
    });
    return promise.future();
  }

  private static void reject(HttpServerResponse res, Promise<Buffer> promise, InvalidRequestException e) {
    Replies.badRequest(res, e);
    promise.tryFail(e);
  }
}
