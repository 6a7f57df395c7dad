package dev.spillway.gateway.pipeline;

import dev.spillway.core.error.GatewayError;
import dev.spillway.gateway.http.Answer;
import io.vertx.core.Future;

/**
 * What a policy decided about a request: go on, answer it from the gateway, or refuse it. Refusals are values, never
 * exceptions: the pipeline turns them into the OpenAI-shaped error in one place.
 */
public sealed interface Verdict {
  Continue CONTINUE = new Continue();

  /** Already-completed futures for the common verdicts, so a pass-through policy allocates nothing. */
  Future<Verdict> CONTINUE_NOW = Future.succeededFuture(CONTINUE);

  /** Go on with the next stage. */
  record Continue() implements Verdict {}

  /** Answer the client with {@code answer} (a cache hit, a model list); no backend is called. */
  record Respond(Answer answer) implements Verdict {}

  /** Refuse the request with {@code error}. */
  record Refuse(GatewayError error) implements Verdict {}

  /** The client went away (its connection broke): nothing can be answered; the outcome is a 499. */
  record ClientGone() implements Verdict {}

  static Future<Verdict> refuse(GatewayError error) {
    return Future.succeededFuture(new Refuse(error));
  }

  static Future<Verdict> respond(Answer answer) {
    return Future.succeededFuture(new Respond(answer));
  }
}
