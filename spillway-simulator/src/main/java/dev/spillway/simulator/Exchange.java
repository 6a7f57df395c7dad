package dev.spillway.simulator;

import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * One inference request, admitted or not, and what is known about it before its body is read.
 * {@code deployment} is the one answering it: after admission, its spillover deployment when it
 * spilled. Shared by the chat, embeddings and Responses API paths so that all of them are admitted,
 * faulted and paced alike.
 *
 * @param deployment the deployment answering the request
 * @param op the operation asked for
 * @param apiVersion the {@code api-version} parameter, or {@code v1} on the v1 and OpenAI URLs (for 429 messages)
 * @param fault the fault to act out, if any
 * @param random content choices for this request, seeded from the simulator seed and the body
 * @param spillover the deployment that takes the request if {@code deployment} throttles it
 */
record Exchange(HttpServerRequest req, DeploymentRuntime deployment, Operation op,
    String apiVersion, Optional<FaultKind> fault, SplittableRandom random, Optional<DeploymentRuntime> spillover) {
  private static final int SLOW_FACTOR = 10;

  boolean faulted(FaultKind kind) {
    return fault.isPresent() && fault.get() == kind;
  }

  /** The same exchange as answered by {@code value} (which has no spillover of its own). */
  Exchange answeredBy(DeploymentRuntime value) {
    return value == deployment ? this : new Exchange(req, value, op, apiVersion, fault, random, Optional.empty());
  }

  /** 0 under zero latency, 10 for a slow fault (even under zero latency), else 1. */
  long latencyFactor(boolean zeroLatency) {
    if (faulted(FaultKind.SLOW)) {
      return SLOW_FACTOR;
    }
    return zeroLatency ? 0 : 1;
  }
}
