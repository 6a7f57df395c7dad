package dev.spillway.gateway.forward;

import dev.spillway.gateway.pipeline.ObjectFacts;
import dev.spillway.core.api.Operation;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.gateway.http.BufferBytes;
import dev.spillway.gateway.http.Chunks;
import dev.spillway.gateway.http.GatewayHeaders;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import java.util.OptionalLong;

/**
 * Passes a backend's complete (not streamed) answer to the client: read whole, checked (a 2xx must be one JSON object,
 * else the attempt failed and the next backend is tried), its {@code usage} read without building a tree, then sent
 * with the backend's returnable headers and the gateway's own.
 *
 * <p>What is read is bounded ({@link #maxBufferedBytes}): an answer that declares or reaches more is not an answer the
 * API gives, and is treated like any invalid one (the upstream call is reset, the next backend tried). Without the
 * bound, a backend sending 200 MB held 200 MB (twice, while it was checked) of the gateway's heap per request, and one
 * that never ended its body held a growing buffer until the backend's total timeout.
 */
final class BufferedRelay {
  /**
   * The most a non-streamed answer may be. Embeddings can be large (2,048 inputs of 3,072 dimensions as JSON floats
   * are about 130 MB), and so can generated images in base64 (ten large ones, tens of MB); a completion is text and its
   * log-probabilities, far smaller.
   */
  static final long MAX_EMBEDDINGS_BYTES = 256L * 1024 * 1024;

  static final long MAX_COMPLETION_BYTES = 32L * 1024 * 1024;

  private BufferedRelay() {}

  static long maxBufferedBytes(Operation operation) {
    return operation == Operation.EMBEDDINGS || operation == Operation.IMAGES_GENERATIONS
        ? MAX_EMBEDDINGS_BYTES
        : MAX_COMPLETION_BYTES;
  }

  static void relay(UpstreamAttempt attempt, HttpClientResponse resp) {
    read(attempt, resp, body -> send(attempt, resp, resp.statusCode(), body));
  }

  /**
   * Reads {@code resp}'s whole body, at most {@link #maxBufferedBytes}, and hands it to {@code whole}; a body that
   * declares or reaches more, or breaks, fails the attempt instead (the upstream call is reset, the next backend tried).
   */
  static void read(UpstreamAttempt attempt, HttpClientResponse resp, java.util.function.Consumer<Buffer> whole) {
    int status = resp.statusCode();
    long max = maxBufferedBytes(attempt.loop.ctx.route().operation());
    // First, so that the reset of a refused answer is handled here and not reported by Vert.x as unhandled.
    resp.exceptionHandler(
        err -> {
          if (!attempt.done()) {
            attempt.failedReading(err, status);
          }
        });
    if (declaredLength(resp).orElse(0) > max) {
      resp.handler(chunk -> { });
      attempt.failedReading(null, status);
      return;
    }
    Chunks body = new Chunks();
    resp.handler(
        chunk -> {
          if (attempt.done()) {
            return;
          }
          if (body.length() + (long) chunk.length() > max) {
            attempt.failedReading(null, status);
            return;
          }
          body.append(chunk);
        });
    resp.endHandler(
        v -> {
          if (!attempt.done()) {
            whole.accept(body.whole());
          }
        });
  }

  private static void send(UpstreamAttempt attempt, HttpClientResponse resp, int status, Buffer body) {
    BufferBytes bytes = BufferBytes.of(body);
    ResponseBodies.Scan scan = ResponseBodies.scan(bytes.array(), bytes.offset(), bytes.length());
    boolean success = status >= 200 && status < 300;
    // A transcript asked for as text, SRT or WebVTT is text/plain; any other success must be JSON.
    String type = resp.getHeader("content-type");
    boolean text = attempt.loop.ctx.route().operation().mayAnswerText() && type != null && type.startsWith("text/");
    if (success && !scan.validJson() && !text) {
      attempt.failedReading(null, status);
      return;
    }
    RetryLoop loop = attempt.loop;
    Buffer answered = body;
    scan.usage().ifPresent(u -> loop.clientResponse.putHeader(GatewayHeaders.TOKENS_CONSUMED, Long.toString(u.totalTokens())));
    loop.writeHead(status, resp.headers(), attempt.config.id());
    attempt.ended(success ? AttemptResult.OK : AttemptResult.CLIENT_ERROR, status);
    if (success) {
      attempt.succeeded(-1, scan.usage());
      scan.id().ifPresent(loop.ctx.result()::createdObjectId);
      MediaUnits.ofAnswer(loop.ctx, scan).ifPresent(loop.ctx.result()::units);
      if (!scan.fileIds().isEmpty()) {
        loop.ctx.attribute(ObjectFacts.LINKED_FILES, new ObjectFacts.LinkedFiles(scan.fileIds()));
      }
      // The policies that tap answers see it, and may rewrite what the client gets (the output guard): the body is
      // written after this, its length set by what is written.
      answered = loop.phase.answer(body);
    } else {
      loop.phase.backendError(status, body);
    }
    Buffer out = answered;
    loop.complete(status, attempt.config, scan.usage(), OptionalLong.empty(), false, () -> loop.endIfOpen(out));
  }

  private static OptionalLong declaredLength(HttpClientResponse resp) {
    String value = resp.getHeader("content-length");
    if (value == null) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }
}
