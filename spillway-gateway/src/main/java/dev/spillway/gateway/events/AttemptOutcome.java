package dev.spillway.gateway.events;

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
 */
public record AttemptOutcome(
    String model, BackendConfig backend, AttemptResult result, int status, boolean retried, long durationNanos) {}
