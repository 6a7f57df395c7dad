package dev.spillway.core.ledger;

import dev.spillway.core.usage.BillingUnits;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One immutable usage record per request (success, failure, stream, cache hit), as written to the ledger.
 * Chargeback dimensions only: never carries keys, tokens, prompts or any other secret. The end user is the caller's
 * own id for its user and may be personal data: {@link #toString()} (through {@link EndUser#toString()}) never shows
 * it.
 *
 * <p>Made with {@link #builder}: the record has grown a component per ledger schema version, and positional
 * constructors of twenty-odd arguments (the canonical one included, which only the builder calls) are where a
 * swapped pair of longs goes unnoticed.
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
 * @param endUser        the end user the request was made for (its body's {@code user} or a configured header),
 *                       {@link EndUser#NONE} when it named none and for rows written before the ledger had the column
 * @param safety         what the content guard did about the request, {@link SafetyVerdict#NONE} when nothing (and
 *                       for rows written before the ledger had the columns)
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
    CacheFacts cache,
    EndUser endUser,
    SafetyVerdict safety) {

  public static final String CACHE_NONE = "none";
  public static final String INTERRUPTED_BY_BACKEND = "backend";
  public static final String INTERRUPTED_BY_CLIENT = "client";
  public static final String INTERRUPTED_BY_SHUTDOWN = "shutdown";
  public static final String SPILLED_BY_GATEWAY = "gateway";
  public static final String SPILLED_BY_AZURE = "azure";

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
    endUser = endUser == null ? EndUser.NONE : endUser;
    safety = safety == null ? SafetyVerdict.NONE : safety;
  }

  /** A builder: the request id and the time are required; every other component starts empty, zero or none. */
  public static Builder builder(String requestId, Instant time) {
    return new Builder(requestId, time);
  }

  /** A builder holding every component of this record, to make a copy that differs in a few. */
  public Builder toBuilder() {
    return new Builder(requestId, time).consumer(consumer).team(team).clientIp(clientIp).route(route).model(model)
        .backend(backend).tier(tier).region(region).status(status)
        .tokens(promptTokens, completionTokens, cachedTokens, reasoningTokens).usageEstimated(usageEstimated)
        .latencyMillis(latencyMillis).ttftMillis(ttftMillis).cacheStatus(cacheStatus).attempts(attempts)
        .spilled(spilled).spilledBy(spilledBy).interruptedBy(interruptedBy).units(units).cache(cache)
        .endUser(endUser).safety(safety);
  }

  /** The same record with {@code value} as its billing units. */
  public UsageRecord withUnits(BillingUnits value) {
    return toBuilder().units(Optional.of(value)).build();
  }

  /** The same record with {@code value} as its cache facts. */
  public UsageRecord withCache(CacheFacts value) {
    return toBuilder().cache(value).build();
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

  /**
   * Builds a {@link UsageRecord} one named component at a time. Strings start empty, numbers at zero, the cache status
   * at {@link #CACHE_NONE}, {@code spilledBy} at whatever {@code spilled} implies (see the record), the rest at none.
   * Not thread-safe.
   */
  public static final class Builder {
    private final String requestId;
    private final Instant time;
    private String consumer = "";
    private String team = "";
    private String clientIp = "";
    private String route = "";
    private String model = "";
    private String backend = "";
    private String tier = "";
    private String region = "";
    private int status;
    private long promptTokens;
    private long completionTokens;
    private long cachedTokens;
    private long reasoningTokens;
    private boolean usageEstimated;
    private long latencyMillis;
    private Long ttftMillis;
    private String cacheStatus = CACHE_NONE;
    private int attempts;
    private boolean spilled;
    private String spilledBy;
    private String interruptedBy = "";
    private Optional<BillingUnits> units = Optional.empty();
    private CacheFacts cache = CacheFacts.NONE;
    private EndUser endUser = EndUser.NONE;
    private SafetyVerdict safety = SafetyVerdict.NONE;

    private Builder(String requestId, Instant time) {
      this.requestId = requestId;
      this.time = time;
    }

    public Builder consumer(String value) {
      this.consumer = value;
      return this;
    }

    public Builder team(String value) {
      this.team = value;
      return this;
    }

    public Builder clientIp(String value) {
      this.clientIp = value;
      return this;
    }

    /** What was called: the operation's label ({@code chat/completions}, {@code embeddings}, ...). */
    public Builder route(String value) {
      this.route = value;
      return this;
    }

    public Builder model(String value) {
      this.model = value;
      return this;
    }

    public Builder backend(String value) {
      this.backend = value;
      return this;
    }

    public Builder tier(String value) {
      this.tier = value;
      return this;
    }

    public Builder region(String value) {
      this.region = value;
      return this;
    }

    public Builder status(int value) {
      this.status = value;
      return this;
    }

    /** The four token counts, in the order the record has them. */
    public Builder tokens(long prompt, long completion, long cached, long reasoning) {
      this.promptTokens = prompt;
      this.completionTokens = completion;
      this.cachedTokens = cached;
      this.reasoningTokens = reasoning;
      return this;
    }

    public Builder usageEstimated(boolean value) {
      this.usageEstimated = value;
      return this;
    }

    public Builder latencyMillis(long value) {
      this.latencyMillis = value;
      return this;
    }

    /** Time to first token, {@code null} when not applicable. */
    public Builder ttftMillis(Long value) {
      this.ttftMillis = value;
      return this;
    }

    public Builder cacheStatus(String value) {
      this.cacheStatus = value;
      return this;
    }

    public Builder attempts(int value) {
      this.attempts = value;
      return this;
    }

    public Builder spilled(boolean value) {
      this.spilled = value;
      return this;
    }

    /** {@link #SPILLED_BY_GATEWAY}, {@link #SPILLED_BY_AZURE} or empty; left unset, {@code spilled} decides. */
    public Builder spilledBy(String value) {
      this.spilledBy = value;
      return this;
    }

    public Builder interruptedBy(String value) {
      this.interruptedBy = value;
      return this;
    }

    public Builder units(Optional<BillingUnits> value) {
      this.units = value;
      return this;
    }

    public Builder cache(CacheFacts value) {
      this.cache = value;
      return this;
    }

    public Builder endUser(EndUser value) {
      this.endUser = value;
      return this;
    }

    public Builder safety(SafetyVerdict value) {
      this.safety = value;
      return this;
    }

    /** The record; the record's own checks apply (a blank request id, a null time are refused). */
    public UsageRecord build() {
      return new UsageRecord(requestId, time, consumer, team, clientIp, route, model, backend, tier, region, status,
          promptTokens, completionTokens, cachedTokens, reasoningTokens, usageEstimated, latencyMillis, ttftMillis,
          cacheStatus, attempts, spilled, spilledBy, interruptedBy, units, cache, endUser, safety);
    }
  }
}
