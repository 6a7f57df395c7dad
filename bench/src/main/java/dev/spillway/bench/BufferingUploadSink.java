package dev.spillway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;

/**
 * The baseline of the upload-memory benchmark, run as a process of its own: an HTTP server that holds every request
 * body whole in memory (one buffer sized from {@code Content-Length}, so it is held once, not copied as it grows)
 * until the body has arrived, then answers 200 with its size. It is what a proxy that buffers uploads costs, measured
 * by the same {@link UploadHeapMeter} as the gateway; {@code GET /} answers 200 for the readiness check.
 *
 * <p>Usage: {@code java -cp spillway-bench.jar dev.spillway.bench.BufferingUploadSink PORT}.
 */
public final class BufferingUploadSink {
  private BufferingUploadSink() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: BufferingUploadSink PORT");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)).requestHandler(req -> {
      if (req.method() != HttpMethod.POST) {
        req.response().end("ready");
        return;
      }
      String length = req.getHeader("content-length");
      Buffer body = Buffer.buffer(length == null ? 1024 : Math.toIntExact(Long.parseLong(length)));
      req.handler(body::appendBuffer);
      req.endHandler(v -> req.response().putHeader("content-type", "application/json")
          .end("{\"bytes\":" + body.length() + "}"));
    }).listen().await();
    System.out.println("holding uploads in memory on 127.0.0.1:" + port);
  }
}
