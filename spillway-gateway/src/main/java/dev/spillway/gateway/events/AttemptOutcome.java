package dev.spillway.gateway.events;

import dev.spillway.core.routing.AttemptResult;

import dev.spillway.core.config.BackendConfig;

/**
 * One attempt of a request against one backend.
 *
 * @param model logical model
 * @param backend the backend tried
 * @param result how it ended
 * @param status HTTP status from the backend, 0 when there was none
 * @param retried true when the gateway went on to another backend (a 429 "absorbed")
 * @param durationNanos time from sending to the outcome
 * @param requestId the request this attempt belongs to, empty when not known (tests)
 * @param startNanos the gateway ticker's reading when the attempt was sent (0 when not known)
 */
public record AttemptOutcome(
    String model, BackendConfig backend, AttemptResult result, int status, boolean retried, long durationNanos,
    String requestId, long startNanos) {
  public AttemptOutcome {
    requestId = requestId == null ? "" : requestId;
  }

  public AttemptOutcome(
      String model, BackendConfig backend, AttemptResult result, int status, boolean retried, long durationNanos) {
    this(model, backend, result, status, retried, durationNanos, "", 0);
  }
}
