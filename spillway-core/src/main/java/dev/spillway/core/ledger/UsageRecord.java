package dev.spillway.core.ledger;

import java.time.Instant;
import java.util.Objects;
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
    boolean spilled) {

  public static final String CACHE_NONE = "none";

  public UsageRecord {
    Objects.requireNonNull(requestId, "requestId");
    if (requestId.isBlank()) {
      throw new IllegalArgumentException("requestId must not be blank");
    }
    Objects.requireNonNull(time, "time");
    if (cacheStatus == null || cacheStatus.isBlank()) {
      cacheStatus = CACHE_NONE;
    }
  }

  /** Time to first token, empty when not applicable. */
  public OptionalLong ttft() {
    return ttftMillis == null ? OptionalLong.empty() : OptionalLong.of(ttftMillis);
  }
}
