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
    Optional<BillingUnits> units) {

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
        attempts, spilled, spilledBy, interruptedBy, Optional.empty());
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
        attempts, spilled, spilled ? SPILLED_BY_GATEWAY : "", "", Optional.empty());
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
  }

  /** The same record with {@code value} as its billing units. */
  public UsageRecord withUnits(BillingUnits value) {
    return new UsageRecord(requestId, time, consumer, team, clientIp, route, model, backend, tier, region, status,
        promptTokens, completionTokens, cachedTokens, reasoningTokens, usageEstimated, latencyMillis, ttftMillis,
        cacheStatus, attempts, spilled, spilledBy, interruptedBy, Optional.of(value));
  }

  /** Time to first token, empty when not applicable. */
  public OptionalLong ttft() {
    return ttftMillis == null ? OptionalLong.empty() : OptionalLong.of(ttftMillis);
  }
}
