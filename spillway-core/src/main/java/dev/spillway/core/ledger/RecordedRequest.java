package dev.spillway.core.ledger;

import java.time.Instant;
import java.util.Objects;

/**
 * One ledger row as capacity planning reads it back: when, for which model, how it ended and its tokens. A slim view
 * of {@link UsageRecord} (no consumer, team, client address or request id), so that streaming a day of rows moves
 * only what a replay needs.
 *
 * @param time the row's time, as the gateway recorded it
 * @param model the logical model; empty when the request never named one (refused early)
 * @param tier {@code ptu}, {@code payg}, or empty when no backend answered
 * @param status the HTTP status the client got
 * @param promptTokens prompt tokens, cached ones included
 * @param completionTokens completion tokens (reasoning tokens included)
 * @param cachedTokens prompt tokens served from the provider's prompt cache
 */
public record RecordedRequest(
    Instant time, String model, String tier, int status, long promptTokens, long completionTokens, long cachedTokens) {
  public RecordedRequest {
    Objects.requireNonNull(time, "time");
    model = model == null ? "" : model;
    tier = tier == null ? "" : tier;
  }

  /** Prompt plus completion tokens. */
  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
