package dev.spillway.gateway.forward;

import dev.spillway.core.error.GatewayError;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.core.sse.SseUsageScanner;
import dev.spillway.core.sse.UsageChunkFilter;
import dev.spillway.core.time.Scheduler;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.pipeline.ResponsePhase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Passes a backend's server-sent event stream to the client as it arrives: with back-pressure (the backend is paused
 * while the client's write queue is full), its usage scanned on the way ({@link SseUsageScanner}), the usage chunk the
 * gateway asked for removed ({@link UsageChunkFilter}), the policies' chunk tap applied, and an idle timeout that
 * counts silence, not age. A stream that breaks after its head went out ends with an SSE error event.
 *
 * <p>Not thread-safe: confined to the request's event loop.
 */
final class StreamRelay {
  private final UpstreamAttempt attempt;
  private final HttpClientResponse upstream;
  private final HttpServerResponse client;
  private final ResponsePhase phase;
  private final SseUsageScanner scanner;
  private final UsageChunkFilter filter;
  private final long idleNanos;
  private Scheduler.Cancellable idleTimer = Scheduler.Cancellable.DONE;
  private boolean idleTimerSet;
  private long lastActivityNanos;

  StreamRelay(UpstreamAttempt attempt, HttpClientResponse upstream) {
    this.attempt = attempt;
    this.upstream = upstream;
    this.client = attempt.loop.clientResponse;
    this.phase = attempt.loop.phase;
    this.scanner = new SseUsageScanner(attempt.loop.shared.scheduler().ticker(), attempt.loop.ctx.startNanos());
    this.filter =
        attempt.dialect.injectsStreamUsage(attempt.loop.ctx, attempt.config) ? new UsageChunkFilter() : null;
    this.idleNanos = attempt.config.timeouts().idle().toNanos();
  }

  void start() {
    armIdle();
    upstream.handler(this::onChunk);
    upstream.exceptionHandler(this::onError);
    upstream.endHandler(v -> onEnd());
  }

  private void onChunk(Buffer chunk) {
    if (attempt.done()) {
      return;
    }
    armIdle();
    if (!client.headWritten()) {
      attempt.loop.writeHead(upstream.statusCode(), upstream.headers(), attempt.config.id());
      client.setChunked(true);
    }
    byte[] bytes = chunk.getBytes();
    scanner.feed(bytes, 0, bytes.length);
    Buffer out = chunk;
    if (filter != null) {
      out = Buffer.buffer(filter.feed(bytes, 0, bytes.length));
    }
    if (phase.tapsChunks()) {
      out = phase.chunk(out);
    }
    if (out.length() > 0) {
      client.write(out);
    }
    if (client.writeQueueFull()) {
      upstream.pause();
      client.drainHandler(v -> upstream.resume());
    }
  }

  private void onError(Throwable err) {
    if (attempt.done()) {
      return;
    }
    if (!client.headWritten()) {
      attempt.failedReading(err, upstream.statusCode());
    } else {
      interrupted();
    }
  }

  private void onEnd() {
    if (attempt.done()) {
      return;
    }
    if (!client.headWritten()) {
      attempt.loop.writeHead(upstream.statusCode(), upstream.headers(), attempt.config.id());
    }
    byte[] tail = filter == null ? new byte[0] : filter.finish();
    attempt.ended(AttemptResult.OK, upstream.statusCode());
    OptionalLong ttft = scanner.timeToFirstTokenNanos();
    long ttftSinceSent = ttft.isPresent() ? attempt.loop.ctx.startNanos() + ttft.getAsLong() - attempt.startNanos : -1;
    attempt.succeeded(ttftSinceSent, scanner.usage());
    complete(upstream.statusCode(), Buffer.buffer(tail));
  }

  private void interrupted() {
    attempt.ended(AttemptResult.STREAM_INTERRUPTED, 200);
    String event = "data: " + GatewayError.streamInterrupted(attempt.loop.ctx.model().orElse("")).toJson() + "\n\n";
    complete(200, Buffer.buffer(event));
  }

  /**
   * A stream's usage: as reported, or estimated from the prompt and the streamed events; the stream ends with {@code
   * last} once the pipeline lets it.
   */
  private void complete(int status, Buffer last) {
    Optional<TokenUsage> usage = scanner.usage();
    boolean estimated = usage.isEmpty();
    if (estimated) {
      usage = Optional.of(TokenUsage.of(attempt.loop.ctx.promptTokens(), scanner.contentEvents()));
    }
    attempt.loop.complete(status, attempt.config, usage, scanner.timeToFirstTokenNanos(), estimated,
        () -> attempt.loop.endIfOpen(last));
  }

  /**
   * Notes activity on the stream. The idle timer is not moved on every chunk (a cancel and a new timer per chunk, tens
   * of thousands a second with many streams): it fires after the idle timeout and, if a chunk came since, sets itself
   * again for the rest of the quiet period. Both the timer and the quiet period are on the scheduler's ticker.
   */
  private void armIdle() {
    lastActivityNanos = attempt.loop.shared.now();
    if (!idleTimerSet) {
      idleTimerSet = true;
      idleCheckIn(idleNanos);
    }
  }

  private void idleCheckIn(long delayNanos) {
    idleTimer =
        attempt.loop.shared.scheduler()
            .schedule(
                Math.max(1, delayNanos),
                () -> {
                  long quietNanos = attempt.loop.shared.now() - lastActivityNanos;
                  if (quietNanos >= idleNanos) {
                    idleTimerSet = false;
                    attempt.timeOut();
                  } else {
                    idleCheckIn(idleNanos - quietNanos);
                  }
                });
  }

  void stopTimers() {
    idleTimerSet = false;
    idleTimer.cancel();
  }
}
