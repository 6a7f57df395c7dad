package dev.spillway.bench;

import dev.spillway.core.time.Ticker;
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
import org.HdrHistogram.Histogram;

/**
 * The soak's load: chat completions at a fixed arrival rate, open loop (a request is sent when due whatever is still
 * open), a fixed share of them streamed and read to the end of the stream. Which arrivals stream is decided by the
 * index alone ({@code index × 37 mod 100 < streamPercent}), so streams are spread evenly through the run.
 *
 * <p>An <em>answered</em> request is one whose status line arrived, whatever came after (a stream may still be cut),
 * since that is when the gateway has committed to an answer and books a ledger row. Its latency runs from when it
 * was due to the end of its body. The counts go into the current {@link Window}, which {@link #closeWindow()} hands
 * over and replaces; a request counts in the window in which it finished. Sending and every callback run on one
 * event-loop context, so the window needs no locking.
 */
final class SoakTraffic {
  /** Highest latency a histogram holds, in microseconds; longer ones are recorded as this. */
  static final long HIGHEST_MICROS = 120_000_000L;
  /**
   * Connections at most, kept open for the whole run once opened: a steady set, so the gateway's open files follow
   * what the gateway does and not how many connections a client happened to open in the last minute. A request due
   * while all are busy waits for one, and that wait counts in its latency.
   */
  private static final int CONNECTIONS = 64;
  private static final int KEEP_ALIVE_SECONDS = 3600;
  private static final long IDLE_TIMEOUT_MILLIS = 60_000;
  private static final String DONE_MARKER = "data: [DONE]";

  private final Vertx vertx;
  private final Context context;
  private final HttpClient client;
  private final LoadTarget target;
  private final Buffer plainBody;
  private final Buffer streamBody;
  private final RateSchedule schedule;
  private final int streamPercent;
  private final Ticker ticker;

  private long startNanos;
  private long endNanos;
  private long nextIndex;
  private volatile boolean sending;
  private long sent;
  private long finished;
  private Window window = new Window();

  /**
   * @param plainBody the JSON body of a non-streamed request
   * @param streamBody the JSON body of a streamed one ({@code "stream": true})
   */
  SoakTraffic(Vertx vertx, LoadTarget target, Buffer plainBody, Buffer streamBody, double ratePerSecond,
      int streamPercent, Ticker ticker) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.target = target;
    this.plainBody = plainBody;
    this.streamBody = streamBody;
    this.schedule = RateSchedule.constant(ratePerSecond);
    this.streamPercent = streamPercent;
    this.ticker = ticker;
    this.client = vertx.createHttpClient(
        new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(KEEP_ALIVE_SECONDS).setTcpNoDelay(true),
        new PoolOptions().setHttp1MaxSize(CONNECTIONS).setMaxWaitQueueSize(-1));
  }

  /** Starts sending now, for {@code duration}; returns at once. */
  void start(Duration duration) {
    startNanos = ticker.read();
    endNanos = startNanos + duration.toNanos();
    sending = true;
    context.runOnContext(v -> sendDue());
  }

  boolean sending() {
    return sending;
  }

  static boolean streams(long index, int streamPercent) {
    return index * 37 % 100 < streamPercent;
  }

  /** Sends every request due by now, then sleeps until the next one is due. */
  private void sendDue() {
    long now = ticker.read();
    long due = startNanos + schedule.offsetNanos(nextIndex);
    while (due - now <= 0 && due - endNanos < 0) {
      send(streams(nextIndex, streamPercent), due);
      nextIndex++;
      due = startNanos + schedule.offsetNanos(nextIndex);
    }
    if (due - endNanos >= 0) {
      sending = false;
    } else {
      vertx.setTimer(Math.max(1, (due - now) / 1_000_000), id -> sendDue());
    }
  }

  private void send(boolean stream, long dueNanos) {
    sent++;
    window.sent++;
    client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(target.url())
            .setIdleTimeout(IDLE_TIMEOUT_MILLIS))
        .compose(req -> {
          req.putHeader("content-type", "application/json");
          target.headers().forEach(req::putHeader);
          return req.send(stream ? streamBody : plainBody);
        })
        .onSuccess(resp -> read(resp, stream, dueNanos))
        .onFailure(e -> {
          finished++;
          window.notAnswered.merge(e.getClass().getSimpleName(), 1L, Long::sum);
        });
  }

  private void read(HttpClientResponse resp, boolean stream, long dueNanos) {
    window.answered++;
    resp.body().onComplete(ar -> {
      finished++;
      String kind = Integer.toString(resp.statusCode());
      if (ar.failed()) {
        kind += " cut";
      } else if (stream && resp.statusCode() == 200 && !ar.result().toString().contains(DONE_MARKER)) {
        kind += " interrupted";
      }
      window.byStatus.merge((stream ? "stream " : "plain ") + kind, 1L, Long::sum);
      long micros = (ticker.read() - dueNanos) / 1000;
      window.latencyMicros.recordValue(Math.max(0, Math.min(HIGHEST_MICROS, micros)));
    });
  }

  /** Requests sent and not yet finished (answered to the end or failed). */
  long inFlight() {
    return onContext(() -> sent - finished);
  }

  /** Hands over the window open since the last call (or the start) and opens a new one. */
  Window closeWindow() {
    return onContext(() -> {
      Window closed = window;
      window = new Window();
      return closed;
    });
  }

  private <T> T onContext(java.util.function.Supplier<T> read) {
    Promise<T> p = Promise.promise();
    context.runOnContext(v -> p.complete(read.get()));
    return p.future().await();
  }

  void close() {
    sending = false;
    client.close().await();
  }

  /**
   * What happened in one window. Mutated only on the generator's context until handed over; read-only after.
   *
   * <p>{@code answered} counts status lines received; {@code byStatus} counts finished answers by {@code "plain 200"},
   * {@code "stream 200 interrupted"} (no {@code [DONE]}), {@code "plain 502 cut"} (the body broke off) and so on;
   * {@code notAnswered} counts failures before any status line, by exception name.
   */
  static final class Window {
    long sent;
    long answered;
    final Map<String, Long> byStatus = new TreeMap<>();
    final Map<String, Long> notAnswered = new TreeMap<>();
    final Histogram latencyMicros = new Histogram(HIGHEST_MICROS, 3);

    long finishedAnswers() {
      return byStatus.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
