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
 * @param cache the response cache's hits among the rows and the tokens they saved
 * @param endUser the rows' end user ({@link EndUser#id()}) when the sums were split by end user ({@link
 *     LedgerReader#totalsByEndUser}); empty otherwise, and for rows that named none
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
    long characters,
    CacheTotals cache,
    String endUser) {
  /** Sums not split by end user. */
  public UsageTotals(String consumer, String team, String model, String backend, String tier, String operation,
      long requests, long failedRequests, long promptTokens, long completionTokens, long cachedTokens,
      long reasoningTokens, long images, double audioSeconds, long characters, CacheTotals cache) {
    this(consumer, team, model, backend, tier, operation, requests, failedRequests, promptTokens, completionTokens,
        cachedTokens, reasoningTokens, images, audioSeconds, characters, cache, "");
  }

  /** Sums of rows without response-cache hits. */
  public UsageTotals(String consumer, String team, String model, String backend, String tier, String operation,
      long requests, long failedRequests, long promptTokens, long completionTokens, long cachedTokens,
      long reasoningTokens, long images, double audioSeconds, long characters) {
    this(consumer, team, model, backend, tier, operation, requests, failedRequests, promptTokens, completionTokens,
        cachedTokens, reasoningTokens, images, audioSeconds, characters, CacheTotals.NONE);
  }

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
    cache = Objects.requireNonNullElse(cache, CacheTotals.NONE);
    endUser = Objects.requireNonNullElse(endUser, "");
  }

  public long totalTokens() {
    return promptTokens + completionTokens;
  }

  /**
   * The gateway's response cache in a ledger sum: how many rows it answered, and what those answers had cost when the
   * backend made them (each hit's {@link UsageRecord.CacheFacts saved tokens}).
   *
   * @param exactHits rows answered from the exact layer (cache status {@code exact})
   * @param semanticHits rows answered from the semantic layer (cache status {@code semantic})
   * @param savedPromptTokens prompt tokens the hits did not spend
   * @param savedCompletionTokens completion tokens the hits did not spend
   */
  public record CacheTotals(long exactHits, long semanticHits, long savedPromptTokens, long savedCompletionTokens) {
    public static final CacheTotals NONE = new CacheTotals(0, 0, 0, 0);

    public CacheTotals plus(CacheTotals o) {
      return new CacheTotals(exactHits + o.exactHits, semanticHits + o.semanticHits,
          savedPromptTokens + o.savedPromptTokens, savedCompletionTokens + o.savedCompletionTokens);
    }

    public long hits() {
      return exactHits + semanticHits;
    }

    public long savedTokens() {
      return savedPromptTokens + savedCompletionTokens;
    }
  }
}
