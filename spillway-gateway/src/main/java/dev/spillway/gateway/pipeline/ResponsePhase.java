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

  /**
   * A backend's complete, checked 2xx answer about to go to the client: the policies that tap answers see it, in
   * pipeline order, each given what the one before returned; returns what the client gets.
   */
  Buffer answer(Buffer body);

  /** A backend's buffered error answer relayed as it is: the policies that tap answers read it. */
  void backendError(int status, Buffer body);

  /**
   * The response is over without an answer to end (the client left); {@code ctx.result()} says how. Idempotent: later
   * calls of this or of {@link #finishThenEnd} do nothing.
   */
  void finish();

  /**
   * The response is complete but for its end, and {@code ctx.result()} says how it went: builds the outcome, lets every
   * stage complete, and runs {@code endAnswer} (which ends the client's response) once the stages that hold the answer
   * let it go — at once, unless the usage ledger is spilling to disk, then after its record is fsynced. {@code
   * endAnswer} runs on the request's event loop; it is not run when the request was already finished.
   */
  void finishThenEnd(Runnable endAnswer);
}
