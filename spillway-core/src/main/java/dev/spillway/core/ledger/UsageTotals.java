package dev.spillway.core.ledger;

import java.util.Objects;

/**
 * The ledger's sums for one combination of chargeback dimensions over a period. A dimension the row did not have
 * (a refused request has no backend) is the empty string, never null.
 *
 * @param operation what was called: {@code chat/completions}, {@code responses}, {@code responses.retrieve}, ...
 * @param requests rows counted
 * @param failedRequests rows whose status was 400 or above
 */
public record UsageTotals(
    String consumer,
    String team,
    String model,
    String backend,
    String tier,
    String operation,
    long requests,
    long failedRequests,
    long promptTokens,
    long completionTokens,
    long cachedTokens,
    long reasoningTokens) {
  public UsageTotals {
    consumer = Objects.requireNonNullElse(consumer, "");
    team = Objects.requireNonNullElse(team, "");
    model = Objects.requireNonNullElse(model, "");
    backend = Objects.requireNonNullElse(backend, "");
    tier = Objects.requireNonNullElse(tier, "");
    operation = Objects.requireNonNullElse(operation, "");
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }
}
