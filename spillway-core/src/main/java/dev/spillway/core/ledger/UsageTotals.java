package dev.spillway.core.ledger;

import java.util.Objects;

/**
 * The ledger's sums for one combination of chargeback dimensions over a period. A dimension the row did not have
 * (a refused request has no backend) is the empty string, never null.
 *
 * @param operation what was called: {@code chat/completions}, {@code responses}, {@code responses.retrieve}, ...
 * @param requests rows counted
 * @param failedRequests rows whose status was 400 or above
 * @param images images generated, edited or varied (rows whose unit is {@code images})
 * @param audioSeconds seconds of audio transcribed or translated, estimated ones included
 * @param characters characters turned into speech
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
    long reasoningTokens,
    long images,
    double audioSeconds,
    long characters) {
  /** Sums of rows billed in tokens only. */
  public UsageTotals(String consumer, String team, String model, String backend, String tier, String operation,
      long requests, long failedRequests, long promptTokens, long completionTokens, long cachedTokens,
      long reasoningTokens) {
    this(consumer, team, model, backend, tier, operation, requests, failedRequests, promptTokens, completionTokens,
        cachedTokens, reasoningTokens, 0, 0, 0);
  }

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
