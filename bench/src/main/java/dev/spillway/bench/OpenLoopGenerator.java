package dev.spillway.bench;

import dev.spillway.core.time.Ticker;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * Offers a fixed arrival rate of identical requests, whatever the answers: request {@code i} is
 * due at {@code start + i / rate} (or when a {@link RateSchedule} says) and is sent when due even if
 * earlier ones are still open (open loop, so a slow gateway cannot slow the offered load down).
 * Latency is measured from the moment a request was due, not from when it left, so a late send
 * counts against the system (no coordinated omission).
 *
 * <p>Requests due inside {@code [windowStart, windowEnd)} are the measured ones; those due before
 * are warm-up. Sending stops at {@code windowEnd}. All sending and all callbacks run on one event
 * loop context; {@link #summary()} may be called from any thread.
 */
final class OpenLoopGenerator {
  private final Vertx vertx;
  private final Context context;
  private final HttpClient client;
  private final String url;
  private final Buffer body;
  private final RateSchedule schedule;
  private final Ticker ticker;
  private LongFunction<Map<String, String>> headersByIndex;
  private AnswerListener listener = (index, answer, latencyNanos) -> { };

  private long startNanos;
  private long windowStartNanos;
  private long windowEndNanos;
  private long nextIndex;
  private volatile boolean sending;
  private boolean latencyFromSend;

  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong windowSent = new AtomicLong();
  private final AtomicLong windowCompleted = new AtomicLong();
  private final AtomicLong windowOk = new AtomicLong();
  private final AtomicLong window429 = new AtomicLong();
  private final AtomicLong windowOtherErrors = new AtomicLong();
  private final List<Long> windowOkLatencyNanos = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Long> windowErrorsByKind = Collections.synchronizedMap(new TreeMap<>());

  /**
   * @param url absolute URL every request is POSTed to
   * @param body the JSON body of every request
   * @param ratePerSecond arrivals per second; positive
   */
  OpenLoopGenerator(Vertx vertx, String url, Buffer body, double ratePerSecond, Ticker ticker) {
    this(vertx, url, body, ratePerSecond, ticker, Map.of("api-key", "bench-client"));
  }

  /** As above, with {@code headers} (besides {@code content-type}) on every request instead of a fixed api-key. */
  OpenLoopGenerator(
      Vertx vertx, String url, Buffer body, double ratePerSecond, Ticker ticker, Map<String, String> headers) {
    this(vertx, url, body, ratePerSecond, ticker, headers, UNBOUNDED_CONNECTIONS);
  }

  /**
   * Connections the generator opens at most when not told otherwise: large enough that the pool never queues a
   * request at the loads the spillover benchmark offers (queueing would close the loop).
   */
  static final int UNBOUNDED_CONNECTIONS = 4096;

  /**
   * As above, on at most {@code maxConnections} connections. A request due while all of them are busy waits in the
   * client's pool; that wait counts in its latency (it is measured from the send call, or from when it was due), so
   * the load stays open. The overhead benchmark uses the peak run's connection count here: with thousands of
   * connections, a gateway that falls a moment behind is handed a storm of new connections (each costs it an
   * accept and an upstream connect) and measures the storm instead of its latency.
   */
  OpenLoopGenerator(
      Vertx vertx,
      String url,
      Buffer body,
      double ratePerSecond,
      Ticker ticker,
      Map<String, String> headers,
      int maxConnections) {
    this(vertx, url, body, constant(ratePerSecond), ticker, headers, maxConnections);
  }

  /** Arrivals as {@code schedule} says, from {@link #start} on. */
  OpenLoopGenerator(
      Vertx vertx,
      String url,
      Buffer body,
      RateSchedule schedule,
      Ticker ticker,
      Map<String, String> headers,
      int maxConnections) {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be >= 1, was " + maxConnections);
    }
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.url = url;
    this.body = body;
    this.schedule = schedule;
    this.ticker = ticker;
    Map<String, String> fixed = Map.copyOf(headers);
    this.headersByIndex = index -> fixed;
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true),
            new PoolOptions().setHttp1MaxSize(maxConnections).setMaxWaitQueueSize(-1));
  }

  /**
   * Starts offering load now; measures what is due from {@code warmup} on, for {@code window}.
   * Returns at once.
   */
  void start(Duration warmup, Duration window) {
    long now = ticker.read();
    startNanos = now;
    windowStartNanos = now + warmup.toNanos();
    windowEndNanos = windowStartNanos + window.toNanos();
    sending = true;
    context.runOnContext(v -> tick());
  }

  /**
   * Measures latency from the moment each request actually left instead of when it was due. The
   * load stays open loop (a slow server still cannot delay sending), but the generator's own timer
   * lateness (up to a millisecond per tick) is no longer charged to the server: the overhead
   * benchmark needs sub-millisecond differences. "Left" is the send call, before the client's pool
   * hands out a connection, so a wait for a busy connection still counts. Call before {@link #start}.
   */
  OpenLoopGenerator latencyFromSend() {
    this.latencyFromSend = true;
    return this;
  }

  /** Request {@code i} carries {@code headers.apply(i)} instead of the fixed headers. Call before {@link #start}. */
  OpenLoopGenerator headersByIndex(LongFunction<Map<String, String>> headers) {
    this.headersByIndex = headers;
    return this;
  }

  /** Tells {@code value} about every answer to a measured request. Call before {@link #start}. */
  OpenLoopGenerator onAnswer(AnswerListener value) {
    this.listener = value;
    return this;
  }

  /** Hears the answers to measured requests, on the generator's event loop; must not block. */
  @FunctionalInterface
  interface AnswerListener {
    /**
     * @param index the request's arrival index (0 first, warm-up included)
     * @param answer its answer: status, headers and body
     * @param latencyNanos from when it was due (or sent, see {@link #latencyFromSend}) to its whole answer
     */
    void answered(long index, JsonPost.Answer answer, long latencyNanos);
  }

  /** Ticker reading at which the measured window opens. */
  long windowStartNanos() {
    return windowStartNanos;
  }

  /** Ticker reading at which the measured window closes and sending stops. */
  long windowEndNanos() {
    return windowEndNanos;
  }

  boolean sending() {
    return sending;
  }

  long inFlight() {
    return sent.get() - completed.get();
  }

  void close() {
    sending = false;
    client.close().await();
  }

  private static RateSchedule constant(double ratePerSecond) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive, was " + ratePerSecond);
    }
    return RateSchedule.constant(ratePerSecond);
  }

  private void tick() {
    long now = ticker.read();
    while (true) {
      long due = startNanos + schedule.offsetNanos(nextIndex);
      if (due - windowEndNanos >= 0) {
        sending = false;
        return;
      }
      if (due - now > 0) {
        long delayMillis = Math.max(1, (due - now) / 1_000_000);
        vertx.setTimer(delayMillis, id -> tick());
        return;
      }
      send(nextIndex++, due);
    }
  }

  private void send(long index, long dueNanos) {
    long fromNanos = latencyFromSend ? ticker.read() : dueNanos;
    boolean measured = dueNanos - windowStartNanos >= 0;
    sent.incrementAndGet();
    if (measured) {
      windowSent.incrementAndGet();
    }
    JsonPost.post(client, url, headersByIndex.apply(index), body)
        .onComplete(ar -> finished(index, fromNanos, measured, ar));
  }

  private void finished(long index, long fromNanos, boolean measured, AsyncResult<JsonPost.Answer> ar) {
    long latencyNanos = ticker.read() - fromNanos;
    completed.incrementAndGet();
    if (!measured) {
      return;
    }
    windowCompleted.incrementAndGet();
    if (ar.failed()) {
      windowOtherErrors.incrementAndGet();
      windowErrorsByKind.merge(ar.cause().getClass().getSimpleName(), 1L, Long::sum);
      return;
    }
    listener.answered(index, ar.result(), latencyNanos);
    int status = ar.result().status();
    if (status >= 200 && status < 300) {
      windowOk.incrementAndGet();
      windowOkLatencyNanos.add(latencyNanos);
    } else if (status == 429) {
      window429.incrementAndGet();
    } else {
      windowOtherErrors.incrementAndGet();
      windowErrorsByKind.merge(Integer.toString(status), 1L, Long::sum);
    }
  }

  /** The counts so far. */
  Summary summary() {
    List<Long> latencies;
    synchronized (windowOkLatencyNanos) {
      latencies = new ArrayList<>(windowOkLatencyNanos);
    }
    Map<String, Long> errors;
    synchronized (windowErrorsByKind) {
      errors = new TreeMap<>(windowErrorsByKind);
    }
    return new Summary(
        sent.get(),
        completed.get(),
        windowSent.get(),
        windowCompleted.get(),
        windowOk.get(),
        window429.get(),
        windowOtherErrors.get(),
        errors,
        LatencySummary.of(latencies));
  }

  /**
   * What the generator saw.
   *
   * @param sent every request sent, warm-up included
   * @param completed every request answered (any status) or failed
   * @param windowSent requests due inside the measured window
   * @param windowCompleted of those, answered or failed so far
   * @param windowOk of those, answered 2xx
   * @param window429 of those, answered 429 (the client-visible 429s)
   * @param windowOtherErrors of those, any other status or a transport failure
   * @param windowErrorsByKind the other errors by status code or exception name
   * @param okLatency latency of the 2xx answers among the measured requests, from when each was due
   */
  record Summary(
      long sent,
      long completed,
      long windowSent,
      long windowCompleted,
      long windowOk,
      long window429,
      long windowOtherErrors,
      Map<String, Long> windowErrorsByKind,
      LatencySummary okLatency) {
    long inFlight() {
      return sent - completed;
    }
  }
}
