package dev.spillway.gateway.pipeline;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * The pipeline's side of a response that the {@link Terminal} stage produces: policies see the head and each chunk,
 * and the request is finished (outcome built, policies' {@code onComplete} called) exactly once.
 */
public interface ResponsePhase {

  /** The head is about to be written to the client: policies may add headers. */
  void responseStart(int status, MultiMap headers);

  /** True when some policy taps streamed chunks (the relay then calls {@link #chunk}). */
  boolean tapsChunks();

  /** A streamed chunk on its way to the client; returns what to send. */
  Buffer chunk(Buffer chunk);

  /** The response is over (sent, failed or abandoned); {@code ctx.result()} says how. Idempotent. */
  void finish();
}
