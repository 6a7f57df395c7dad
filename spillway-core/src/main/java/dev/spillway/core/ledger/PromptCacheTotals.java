package dev.spillway.core.ledger;

import java.util.Objects;

/**
 * The ledger's sums about the provider's prompt cache for one consumer, team and model over a period. Only rows a
 * backend answered with tokens count: status below 400 and prompt tokens above 0 (a refusal or a response-cache hit
 * sent no prompt to a provider).
 *
 * <p>Prefix stability is counted over the rows that have a {@link UsageRecord.CacheFacts#promptPrefixHash prompt
 * prefix hash}, taken in time order per consumer and model: each such row after the first is a pair with the previous
 * one, and a stable pair when both hashes are equal (the two prompts began with the same {@value
 * UsageRecord.CacheFacts#PREFIX_TOKENS} tokens).
 *
 * @param requests rows counted
 * @param promptTokens their prompt tokens, cached ones included
 * @param cachedTokens prompt tokens the provider served from its prompt cache
 * @param paygCachedTokens the cached tokens of rows a pay-as-you-go deployment served (the ones priced at the model's
 *     {@code cachedInput} price; a PTU's cached tokens save capacity, not money)
 * @param longPrompts rows whose prompt had at least {@value UsageRecord.CacheFacts#PREFIX_TOKENS} tokens
 * @param hashedPrompts rows with a prompt prefix hash
 * @param prefixPairs hashed rows that had a previous hashed row of the same consumer and model in the period
 * @param stablePairs of those, the rows whose hash equals the previous row's
 */
public record PromptCacheTotals(
    String consumer,
    String team,
    String model,
    long requests,
    long promptTokens,
    long cachedTokens,
    long paygCachedTokens,
    long longPrompts,
    long hashedPrompts,
    long prefixPairs,
    long stablePairs) {
  public PromptCacheTotals {
    consumer = Objects.requireNonNullElse(consumer, "");
    team = Objects.requireNonNullElse(team, "");
    model = Objects.requireNonNullElse(model, "");
    if (stablePairs > prefixPairs || prefixPairs > hashedPrompts) {
      throw new IllegalArgumentException(
          "stable pairs <= pairs <= hashed prompts, got " + stablePairs + ", " + prefixPairs + ", " + hashedPrompts);
    }
  }
}
