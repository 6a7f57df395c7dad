package dev.spillway.gateway.upload;

import dev.spillway.core.multipart.MultipartScanner;
import dev.spillway.core.time.Scheduler;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * A Vert.x HTTP server on an OS-chosen port that spools each multipart request with a {@link BodySpooler}, records the
 * outcome for the test and answers as the test says for a spooled body, and as a gateway would otherwise (413, 408,
 * 400, 503).
 */
final class SpoolingServer implements AutoCloseable {
  /** What the server does with a request once its body is spooled: answers, and closes the body. */
  interface OnSpooled {
    void handle(HttpServerRequest request, SpooledBody body);
  }

  final Vertx vertx;
  final HttpServer server;
  final BlockingQueue<AsyncResult<BodySpooler.Read>> outcomes = new LinkedBlockingQueue<>();

  private SpoolingServer(Vertx vertx, Scheduler scheduler, SpoolOptions options, OnSpooled onSpooled,
      BiConsumer<HttpServerRequest, BodySpooler> onStart) {
    this.vertx = vertx;
    this.server = vertx.createHttpServer()
        .requestHandler(req -> {
          Optional<MultipartScanner> scanner = MultipartScanner.forContentType(req.getHeader("content-type"));
          if (scanner.isEmpty()) {
            req.response().setStatusCode(415).end();
            return;
          }
          BodySpooler spooler = BodySpooler.start(vertx, scheduler, req, scanner.get(), options);
          onStart.accept(req, spooler);
          spooler.read().onComplete(ar -> {
            outcomes.add(ar);
            if (ar.succeeded()) {
              answer(req, ar.result(), onSpooled);
            }
          });
        })
        .listen(0, "127.0.0.1").await();
  }

  static SpoolingServer start(Vertx vertx, Scheduler scheduler, SpoolOptions options, OnSpooled onSpooled) {
    return new SpoolingServer(vertx, scheduler, options, onSpooled, (req, spooler) -> {});
  }

  static SpoolingServer start(Vertx vertx, Scheduler scheduler, SpoolOptions options, OnSpooled onSpooled,
      BiConsumer<HttpServerRequest, BodySpooler> onStart) {
    return new SpoolingServer(vertx, scheduler, options, onSpooled, onStart);
  }

  int port() {
    return server.actualPort();
  }

  String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  /** The next outcome (waiting up to a minute for it). */
  AsyncResult<BodySpooler.Read> nextOutcome() throws InterruptedException {
    AsyncResult<BodySpooler.Read> outcome = outcomes.poll(60, TimeUnit.SECONDS);
    if (outcome == null) {
      throw new AssertionError("no spooling outcome within a minute");
    }
    return outcome;
  }

  private static void answer(HttpServerRequest req, BodySpooler.Read read, OnSpooled onSpooled) {
    switch (read) {
      case BodySpooler.Read.Spooled s -> onSpooled.handle(req, s.body());
      case BodySpooler.Read.TooLarge t -> req.response().setStatusCode(413).end("too large");
      case BodySpooler.Read.TimedOut t -> req.response().setStatusCode(408).end("timed out");
      case BodySpooler.Read.Malformed m -> req.response().setStatusCode(400).end(m.form().problem().orElse(""));
      case BodySpooler.Read.Unavailable u -> req.response().setStatusCode(503).end("unavailable");
      case BodySpooler.Read.Answered a -> {} // answered already
    }
  }

  @Override
  public void close() {
    server.close().await();
  }
}
