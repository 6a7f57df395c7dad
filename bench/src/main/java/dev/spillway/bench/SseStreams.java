package dev.spillway.bench;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Opens {@code n} streamed chat requests spread evenly over a ramp, one connection each, and
 * follows every stream to its end: time to first token (request sent → first body bytes), the
 * delay between consecutive body chunks, and errors. All requests and callbacks run on one event
 * loop context, so the histograms need no locking; {@link #concurrent()} and {@link #maxConcurrent()}
 * may be read from any thread.
 */
final class SseStreams {
  private static final long HIGHEST_MICROS = 120_000_000L;

  private final Vertx vertx;
  private final Context context;
  private final HttpClient client;
  private final LoadTarget target;
  private final Buffer body;
  private final int n;

  private final Histogram ttftMicros = new Histogram(HIGHEST_MICROS, 3);
  private final Histogram gapMicros = new Histogram(HIGHEST_MICROS, 3);
  private final Map<String, Long> errorsByKind = new TreeMap<>();
  private final AtomicInteger concurrent = new AtomicInteger();
  private final AtomicInteger maxConcurrent = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicInteger started = new AtomicInteger();
  private final AtomicLong chunks = new AtomicLong();
  private volatile int completed;
  private int opened;

  SseStreams(Vertx vertx, LoadTarget target, Buffer body, int n) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.target = target;
    this.body = body;
    this.n = n;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(false).setTcpNoDelay(true).setConnectTimeout(30_000),
            new PoolOptions().setHttp1MaxSize(n + 16).setMaxWaitQueueSize(-1));
  }

  /** Starts opening streams, evenly over {@code ramp}; returns at once. */
  void start(Duration ramp) {
    long start = System.nanoTime();
    double interval = (double) ramp.toNanos() / n;
    context.runOnContext(v -> openDue(start, interval));
  }

  private void openDue(long start, double interval) {
    long now = System.nanoTime();
    while (opened < n && start + (long) (opened * interval) - now <= 0) {
      opened++;
      open();
    }
    if (opened < n) {
      vertx.setTimer(1, id -> openDue(start, interval));
    }
  }

  private void open() {
    long sent = System.nanoTime();
    long[] last = {0};
    concurrent.incrementAndGet();
    maxConcurrent.accumulateAndGet(concurrent.get(), Math::max);
    client
        .request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.url()).setIdleTimeout(60_000))
        .compose(
            req -> {
              req.putHeader("content-type", "application/json");
              target.headers().forEach(req::putHeader);
              return req.send(body);
            })
        .onSuccess(
            resp -> {
              if (resp.statusCode() != 200) {
                resp.body().onComplete(ar -> done("status " + resp.statusCode()));
                return;
              }
              follow(resp, sent, last);
            })
        .onFailure(e -> done(e.getClass().getSimpleName()));
  }

  private void follow(HttpClientResponse resp, long sent, long[] last) {
    resp.handler(
        buf -> {
          long now = System.nanoTime();
          chunks.incrementAndGet();
          if (last[0] == 0) {
            started.incrementAndGet();
            ttftMicros.recordValue(Math.min(HIGHEST_MICROS, (now - sent) / 1000));
          } else {
            gapMicros.recordValue(Math.min(HIGHEST_MICROS, (now - last[0]) / 1000));
          }
          last[0] = now;
        });
    resp.exceptionHandler(e -> done(e.getClass().getSimpleName()));
    resp.endHandler(v -> done(last[0] == 0 ? "empty stream" : null));
  }

  private void done(String error) {
    concurrent.decrementAndGet();
    finished.incrementAndGet();
    if (error == null) {
      completed++;
    } else {
      errorsByKind.merge(error, 1L, Long::sum);
    }
  }

  int concurrent() {
    return concurrent.get();
  }

  /** Streams that have received their first chunk or failed: the ones past their time to first token. */
  int settled() {
    return started.get() + (finished.get() - completed);
  }

  int maxConcurrent() {
    return maxConcurrent.get();
  }

  boolean allFinished() {
    return finished.get() >= n;
  }

  /** Results so far; read on the event loop so the histograms are consistent. */
  Summary summary() {
    Promise<Summary> p = Promise.promise();
    context.runOnContext(v -> p.complete(snapshot()));
    return p.future().await();
  }

  private Summary snapshot() {
    long errors = errorsByKind.values().stream().mapToLong(Long::longValue).sum();
    return new Summary(
        n, completed, errors, new TreeMap<>(errorsByKind), maxConcurrent.get(), chunks.get(),
        ttftMicros.getValueAtPercentile(50) / 1000.0, ttftMicros.getValueAtPercentile(99) / 1000.0,
        gapMicros.getValueAtPercentile(50) / 1000.0, gapMicros.getValueAtPercentile(99) / 1000.0,
        gapMicros.getMaxValue() / 1000.0);
  }

  void close() {
    client.close().await();
  }

  /**
   * What the streams saw.
   *
   * @param streams streams opened
   * @param completed ended normally after at least one chunk
   * @param errors non-200 answers, transport errors, empty streams
   * @param maxConcurrent most streams open at once
   * @param chunks body chunks received in all
   */
  record Summary(
      int streams, int completed, long errors, Map<String, Long> errorsByKind, int maxConcurrent, long chunks,
      double ttftP50Millis, double ttftP99Millis, double gapP50Millis, double gapP99Millis, double gapMaxMillis) {
    io.vertx.core.json.JsonObject toJson() {
      return new io.vertx.core.json.JsonObject()
          .put("streams", streams)
          .put("completed", completed)
          .put("errors", errors)
          .put("errorsByKind", new io.vertx.core.json.JsonObject(new TreeMap<String, Object>(errorsByKind)))
          .put("maxConcurrent", maxConcurrent)
          .put("chunks", chunks)
          .put("ttftP50Millis", ttftP50Millis)
          .put("ttftP99Millis", ttftP99Millis)
          .put("gapP50Millis", gapP50Millis)
          .put("gapP99Millis", gapP99Millis)
          .put("gapMaxMillis", gapMaxMillis);
    }
  }
}
