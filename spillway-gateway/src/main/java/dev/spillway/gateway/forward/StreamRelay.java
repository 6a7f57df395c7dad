package dev.spillway.gateway.forward;

import dev.spillway.core.api.Operation;
import dev.spillway.core.batch.BatchOutputUsage;
import dev.spillway.gateway.pipeline.ObjectFacts;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.ledger.UsageRecord;
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
 * counts the backend's silence, not its age and not the client's back-pressure: while the backend is paused because
 * the client reads slowly, its silence is the client's doing and neither the idle nor the total timeout runs against it.
 *
 * <p>A stream that breaks after its head went out is booked with who broke it ({@code interruptedBy}): the backend
 * (reset, silence; 502, the client gets an SSE error event), the client (it left; 499, the upstream call is cancelled
 * and the tokens produced so far are booked) or the gateway's stop (503, an SSE error event).
 *
 * <p>Not thread-safe: confined to the request's event loop.
 */
final class StreamRelay {
  /** The longest line of a batch's output file whose usage is read; longer ones are passed on and not counted. */
  static final int BATCH_OUTPUT_MAX_LINE_BYTES = 16 * 1024 * 1024;

  private final UpstreamAttempt attempt;
  private final HttpClientResponse upstream;
  private final HttpServerResponse client;
  private final ResponsePhase phase;
  private final SseUsageScanner scanner;
  private final UsageChunkFilter filter;
  /** A stored file's content: a batch's output has its requests' usage in it. Null for other answers. */
  private final BatchOutputUsage batchOutput;
  private final long idleNanos;
  private Scheduler.Cancellable idleTimer = Scheduler.Cancellable.DONE;
  private boolean idleTimerSet;
  private long lastActivityNanos;
  /** Since when the backend has been paused for the client's back-pressure; -1 while it is not. */
  private long pausedSinceNanos = -1;
  /** Time the backend was paused for the client and not yet credited to the total timeout. */
  private long heldBackNanos;

  StreamRelay(UpstreamAttempt attempt, HttpClientResponse upstream) {
    this.attempt = attempt;
    this.upstream = upstream;
    this.client = attempt.loop.clientResponse;
    this.phase = attempt.loop.phase;
    this.scanner = new SseUsageScanner(attempt.loop.shared.scheduler().ticker(), attempt.loop.ctx.startNanos());
    this.filter =
        attempt.dialect.injectsStreamUsage(attempt.loop.ctx, attempt.config) ? new UsageChunkFilter() : null;
    this.idleNanos = attempt.config.timeouts().idle().toNanos();
    this.batchOutput = attempt.loop.ctx.route().operation() == Operation.FILES_CONTENT
        ? new BatchOutputUsage(BATCH_OUTPUT_MAX_LINE_BYTES)
        : null;
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
    if (batchOutput != null) {
      batchOutput.feed(bytes, 0, bytes.length);
    } else {
      scanner.feed(bytes, 0, bytes.length);
    }
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
    if (client.writeQueueFull() && pausedSinceNanos < 0) {
      upstream.pause();
      pausedSinceNanos = attempt.loop.shared.now();
      attempt.loop.shared.inFlight().heldBack(true);
      client.drainHandler(v -> resumed());
    }
  }

  /** The client caught up: the backend may send again, and its silence counts from now. */
  private void resumed() {
    if (pausedSinceNanos >= 0) {
      long now = attempt.loop.shared.now();
      heldBackNanos += now - pausedSinceNanos;
      pausedSinceNanos = -1;
      lastActivityNanos = now;
      attempt.loop.shared.inFlight().heldBack(false);
    }
    if (!attempt.done()) {
      upstream.resume();
    }
  }

  /**
   * How long the client has held the backend back since the last call (including a pause still going on): the total
   * timeout gives the backend that time again, since it could not send while the client did not read.
   */
  long takeHeldBackNanos() {
    long now = attempt.loop.shared.now();
    long held = heldBackNanos;
    if (pausedSinceNanos >= 0) {
      held += now - pausedSinceNanos;
      pausedSinceNanos = now;
    }
    heldBackNanos = 0;
    return held;
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
    if (batchOutput != null) {
      // Only a whole file is booked: its usage is claimed once, and a cut read would claim it short.
      batchOutput.finish();
      batchOutput.usage().ifPresent(u -> attempt.loop.ctx.attribute(ObjectFacts.BATCH_OUTPUT_USAGE, u));
    }
    attempt.ended(AttemptResult.OK, upstream.statusCode());
    OptionalLong ttft = scanner.timeToFirstTokenNanos();
    long ttftSinceSent = ttft.isPresent() ? attempt.loop.ctx.startNanos() + ttft.getAsLong() - attempt.startNanos : -1;
    attempt.succeeded(ttftSinceSent, scanner.usage());
    complete(upstream.statusCode(), "", Buffer.buffer(tail));
  }

  /** The backend broke the stream (reset, or silent past the idle timeout): its failure, the client is told. */
  private void interrupted() {
    attempt.ended(AttemptResult.STREAM_INTERRUPTED, 200);
    complete(502, UsageRecord.INTERRUPTED_BY_BACKEND,
        errorEvent(GatewayError.streamInterrupted(attempt.loop.ctx.model().orElse(""))));
  }

  /** The client left mid-stream: not the backend's doing; the call is cancelled and what it produced is booked. */
  void clientLeft() {
    if (attempt.done()) {
      return;
    }
    attempt.abandon();
    complete(499, UsageRecord.INTERRUPTED_BY_CLIENT, Buffer.buffer());
  }

  /** The gateway's drain time is over: the client gets an SSE error event, the backend no blame. */
  void shutdownCut() {
    if (attempt.done()) {
      return;
    }
    attempt.abandon();
    complete(503, UsageRecord.INTERRUPTED_BY_SHUTDOWN, errorEvent(GatewayError.shuttingDown()));
  }

  private static Buffer errorEvent(GatewayError error) {
    return Buffer.buffer("data: " + error.toJson() + "\n\n");
  }

  /** True once the stream's head went to the client: from then on its end is booked as this relay says. */
  boolean headSent() {
    return client.headWritten();
  }

  /**
   * A stream's usage: as reported, or estimated from the prompt and the streamed events; the stream ends with {@code
   * last} once the pipeline lets it. {@code interruptedBy} is empty for a stream that ended normally.
   */
  private void complete(int status, String interruptedBy, Buffer last) {
    Optional<TokenUsage> usage = scanner.usage();
    boolean estimated = usage.isEmpty() && attempt.loop.ctx.route().operation().callsModel();
    if (usage.isEmpty() && !estimated) {
      usage = Optional.of(TokenUsage.of(0, 0)); // a file's bytes: no model was called
    }
    if (estimated) {
      usage = Optional.of(TokenUsage.of(attempt.loop.ctx.promptTokens(), scanner.contentEvents()));
    }
    attempt.loop.ctx.result().interruptedBy(interruptedBy);
    // Speech is billed by its input, spoken once the answer began, whether or not the client heard all of it.
    MediaUnits.ofSpeech(attempt.loop.ctx).ifPresent(attempt.loop.ctx.result()::units);
    scanner.objectId().ifPresent(attempt.loop.ctx.result()::createdObjectId);
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
                  if (pausedSinceNanos >= 0) {
                    // Held back by the client, the backend is not silent: look again once the client reads.
                    idleCheckIn(idleNanos);
                    return;
                  }
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
    if (pausedSinceNanos >= 0) {
      pausedSinceNanos = -1;
      attempt.loop.shared.inFlight().heldBack(false);
    }
  }
}
