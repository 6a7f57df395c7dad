package dev.spillway.core.ledger;

import dev.spillway.core.usage.BillingUnits;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One immutable usage record per request (success, failure, stream, cache hit), as written to the ledger.
 * Chargeback dimensions only: never carries keys, tokens, prompts or any other secret.
 *
 * @param requestId        ledger key; inserting the same id twice keeps the first row
 * @param time             when the request was received
 * @param ttftMillis       time to first token in milliseconds, {@code null} when not applicable (non-stream, failure)
 * @param usageEstimated   true when token counts were estimated rather than reported by the backend
 * @param cacheStatus      cache outcome, {@code "none"} when absent
 * @param attempts         upstream attempts made (1 = no retry)
 * @param spilled          true when the request spilled over from its preferred backend/tier
 * @param spilledBy        who spilled it: {@link #SPILLED_BY_GATEWAY} (the router chose PAYG), {@link
 *                         #SPILLED_BY_AZURE} (a PTU deployment's own spillover served it from a standard deployment:
 *                         the row's tier is {@code payg} while its backend is the PTU the gateway called), or empty
 * @param interruptedBy    for a stream that broke after its head reached the client, who broke it: {@link
 *                         #INTERRUPTED_BY_BACKEND} (booked 502), {@link #INTERRUPTED_BY_CLIENT} (499) or {@link
 *                         #INTERRUPTED_BY_SHUTDOWN} (503, the gateway stopped); empty for a request that ended normally
 * @param units          what the request is billed in besides tokens (images, audio seconds, characters), empty for
 *                       an operation billed in tokens only and for rows written before the ledger had the column
 * @param cache          what the ledger keeps about caching besides {@code cacheStatus}: the tokens a response-cache
 *                       hit saved and the keyed hash of the prompt's first tokens ({@link CacheFacts#NONE} for rows
 *                       written before the ledger had the columns)
 */
public record UsageRecord(
    String requestId,
    Instant time,
    String consumer,
    String team,
    String clientIp,
    String route,
    String model,
    String backend,
    String tier,
    String region,
    int status,
    long promptTokens,
    long completionTokens,
    long cachedTokens,
    long reasoningTokens,
    boolean usageEstimated,
    long latencyMillis,
    Long ttftMillis,
    String cacheStatus,
    int attempts,
    boolean spilled,
    String spilledBy,
    String interruptedBy,
    Optional<BillingUnits> units,
    CacheFacts cache) {

  public static final String CACHE_NONE = "none";
  public static final String INTERRUPTED_BY_BACKEND = "backend";
  public static final String INTERRUPTED_BY_CLIENT = "client";
  public static final String INTERRUPTED_BY_SHUTDOWN = "shutdown";
  public static final String SPILLED_BY_GATEWAY = "gateway";
  public static final String SPILLED_BY_AZURE = "azure";

  /** A record billed in tokens only. */
  public UsageRecord(
      String requestId,
      Instant time,
      String consumer,
      String team,
      String clientIp,
      String route,
      String model,
      String backend,
      String tier,
      String region,
      int status,
      long promptTokens,
      long completionTokens,
      long cachedTokens,
      long reasoningTokens,
      boolean usageEstimated,
      long latencyMillis,
      Long ttftMillis,
      String cacheStatus,
      int attempts,
      boolean spilled,
      String spilledBy,
      String interruptedBy) {
    this(requestId, time, consumer, team, clientIp, route, model, backend, tier, region, status, promptTokens,
        completionTokens, cachedTokens, reasoningTokens, usageEstimated, latencyMillis, ttftMillis, cacheStatus,
        attempts, spilled, spilledBy, interruptedBy, Optional.empty(), CacheFacts.NONE);
  }

  /** A record billed in tokens only, whose spill, if any, was the gateway's. */
  public UsageRecord(
      String requestId,
      Instant time,
      String consumer,
      String team,
      String clientIp,
      String route,
      String model,
      String backend,
      String tier,
      String region,
      int status,
      long promptTokens,
      long completionTokens,
      long cachedTokens,
      long reasoningTokens,
      boolean usageEstimated,
      long latencyMillis,
      Long ttftMillis,
      String cacheStatus,
      int attempts,
      boolean spilled) {
    this(requestId, time, consumer, team, clientIp, route, model, backend, tier, region, status, promptTokens,
        completionTokens, cachedTokens, reasoningTokens, usageEstimated, latencyMillis, ttftMillis, cacheStatus,
        attempts, spilled, spilled ? SPILLED_BY_GATEWAY : "", "", Optional.empty(), CacheFacts.NONE);
  }

  public UsageRecord {
    Objects.requireNonNull(requestId, "requestId");
    if (requestId.isBlank()) {
      throw new IllegalArgumentException("requestId must not be blank");
    }
    Objects.requireNonNull(time, "time");
    if (cacheStatus == null || cacheStatus.isBlank()) {
      cacheStatus = CACHE_NONE;
    }
    if (spilledBy == null) {
      spilledBy = spilled ? SPILLED_BY_GATEWAY : "";
    }
    if (interruptedBy == null) {
      interruptedBy = "";
    }
    units = units == null ? Optional.empty() : units;
    cache = cache == null ? CacheFacts.NONE : cache;
  }

  /** A record with billing units and without cache facts (as the ledger wrote before it had them). */
  public UsageRecord(
      String requestId,
      Instant time,
      String consumer,
      String team,
      String clientIp,
      String route,
      String model,
      String backend,
      String tier,
      String region,
      int status,
      long promptTokens,
      long completionTokens,
      long cachedTokens,
      long reasoningTokens,
      boolean usageEstimated,
      long latencyMillis,
      Long ttftMillis,
      String cacheStatus,
      int attempts,
      boolean spilled,
      String spilledBy,
      String interruptedBy,
      Optional<BillingUnits> units) {
    this(requestId, time, consumer, team, clientIp, route, model, backend, tier, region, status, promptTokens,
        completionTokens, cachedTokens, reasoningTokens, usageEstimated, latencyMillis, ttftMillis, cacheStatus,
        attempts, spilled, spilledBy, interruptedBy, units, CacheFacts.NONE);
  }

  /** The same record with {@code value} as its billing units. */
  public UsageRecord withUnits(BillingUnits value) {
    return new UsageRecord(requestId, time, consumer, team, clientIp, route, model, backend, tier, region, status,
        promptTokens, completionTokens, cachedTokens, reasoningTokens, usageEstimated, latencyMillis, ttftMillis,
        cacheStatus, attempts, spilled, spilledBy, interruptedBy, Optional.of(value), cache);
  }

  /** The same record with {@code value} as its cache facts. */
  public UsageRecord withCache(CacheFacts value) {
    return new UsageRecord(requestId, time, consumer, team, clientIp, route, model, backend, tier, region, status,
        promptTokens, completionTokens, cachedTokens, reasoningTokens, usageEstimated, latencyMillis, ttftMillis,
        cacheStatus, attempts, spilled, spilledBy, interruptedBy, units, value);
  }

  /**
   * What the ledger keeps about caching for one request, besides its cache status.
   *
   * @param savedPromptTokens for a hit of the gateway's response cache, the prompt tokens the stored answer cost when
   *     the backend made it (the hit itself spent none); 0 otherwise
   * @param savedCompletionTokens likewise, its completion tokens
   * @param promptPrefixHash a keyed 64-bit hash of the prompt's first {@value #PREFIX_TOKENS} tokens, for prompts at
   *     least that long (shorter ones cannot use a provider's prompt cache); empty otherwise. Keyed with the ledger's
   *     own secret, so it says whether two prompts began alike and nothing about what they said
   */
  public record CacheFacts(long savedPromptTokens, long savedCompletionTokens, OptionalLong promptPrefixHash) {
    /** How many leading tokens the prefix hash covers: the shortest prompt a provider's prompt cache serves. */
    public static final int PREFIX_TOKENS = 1_024;
    public static final CacheFacts NONE = new CacheFacts(0, 0, OptionalLong.empty());

    public CacheFacts {
      if (savedPromptTokens < 0 || savedCompletionTokens < 0) {
        throw new IllegalArgumentException("saved tokens must not be negative");
      }
      promptPrefixHash = promptPrefixHash == null ? OptionalLong.empty() : promptPrefixHash;
    }

    /** Tokens a response-cache hit saved, prompt and completion. */
    public long savedTokens() {
      return savedPromptTokens + savedCompletionTokens;
    }
  }

  /** Time to first token, empty when not applicable. */
  public OptionalLong ttft() {
    return ttftMillis == null ? OptionalLong.empty() : OptionalLong.of(ttftMillis);
  }
}
