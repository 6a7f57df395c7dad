package dev.spillway.gateway.pipeline;

import dev.spillway.gateway.events.RequestOutcome;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * One stage of the request pipeline. Every method has a pass-through default, so a policy overrides only the phases it
 * cares about. The pipeline calls them in the configured order (see {@code docs/ARCHITECTURE.md}).
 *
 * <p>Contract (checked for every registered policy by {@code PolicyContractTest}):
 *
 * <ul>
 *   <li>called on the request's event loop; never blocks it (slow work goes to a worker and comes back as a future);
 *   <li>a refusal is a {@link Verdict.Refuse} value, never an exception; a future that fails is a bug and answers 500;
 *   <li>{@link #onComplete} is called exactly once for every request that entered the pipeline, whether it was
 *       refused, answered by the gateway or proxied, and whether or not this policy's {@link #onRequest} ran.
 * </ul>
 */
public interface Policy {

  /**
   * Decides about the request before it is forwarded. Default: {@link Verdict#CONTINUE}.
   *
   * @return the verdict; use {@link Verdict#CONTINUE_NOW} to go on without allocating
   */
  default Future<Verdict> onRequest(RequestContext ctx) {
    return Verdict.CONTINUE_NOW;
  }

  /**
   * The response head is about to go to the client (proxied or answered by the gateway, not a refusal): a policy may
   * add or replace headers. Default: nothing.
   */
  default void onResponseStart(RequestContext ctx, int status, MultiMap headers) {}

  /** True when this policy wants {@link #onChunk}; the relay skips the tap otherwise. Default: false. */
  default boolean tapsChunks() {
    return false;
  }

  /**
   * A chunk of a streamed response on its way to the client; returns what to send instead (the same buffer to pass it
   * through). Called only when {@link #tapsChunks()}.
   */
  default Buffer onChunk(RequestContext ctx, Buffer chunk) {
    return chunk;
  }

  /** True when this policy wants {@link #onAnswer}; the relay skips the call otherwise. Default: false. */
  default boolean tapsAnswers() {
    return false;
  }

  /**
   * A backend's complete (not streamed) 2xx answer, checked, before its head and body go to the client: a policy reads
   * it and returns what to send instead (the same buffer to pass it through; it must not change the buffer it was
   * given, nor keep it beyond the request). Called only when {@link #tapsAnswers()}, in pipeline order.
   */
  default Buffer onAnswer(RequestContext ctx, Buffer body) {
    return body;
  }

  /**
   * A backend's buffered answer that is not a success (a {@code 4xx} or {@code 5xx} relayed to the client as it is):
   * a policy may read it (Azure's {@code 400 content_filter}), not change it. Called only when {@link #tapsAnswers()}.
   */
  default void onBackendError(RequestContext ctx, int status, Buffer body) {}

  /**
   * The request is finished; {@code outcome} is what the client gets. Called once the outcome is known, just before the
   * last of the answer goes out (see {@link #completeBeforeAnswer}). Default: nothing.
   */
  default void onComplete(RequestContext ctx, RequestOutcome outcome) {}

  /**
   * As {@link #onComplete} (which the default calls), for a stage whose record of the request must be safe before the
   * client can see the request as done: the pipeline ends the answer when every stage's future has completed (failed
   * counts as completed). {@code metering} needs it for the usage ledger while its database is down. Must not block,
   * and must complete. Default: {@link #onComplete}, nothing to wait for.
   */
  default Future<Void> completeBeforeAnswer(RequestContext ctx, RequestOutcome outcome) {
    onComplete(ctx, outcome);
    return Future.succeededFuture();
  }
}
