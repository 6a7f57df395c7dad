package dev.spillway.gateway.events;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.usage.TokenUsage;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A finished client request, proxied or refused.
 *
 * @param requestId the gateway's request id ({@code x-spillway-request-id})
 * @param operation what was asked for
 * @param model logical model, empty when the request failed before one was known
 * @param backend the backend that produced the answer, if any
 * @param status the status the client received
 * @param stream true for a server-sent event stream
 * @param usage tokens: as the backend reported them, or estimated (see {@code usageEstimated})
 * @param durationNanos from the first byte of the request to the last byte of the response
 * @param timeToFirstTokenNanos for streams, when the first generated token reached the client
 * @param attempts how many backends were tried
 * @param usageEstimated true when {@code usage} is the gateway's estimate (a stream that ended
 *     without usage): prompt counted with the tokenizer, completion from the streamed events
 * @param caller who called: consumer, team and client address (for the ledger and opt-in labels)
 * @param refusal why the gateway itself refused the request (before any backend), empty otherwise
 * @param upstreamNanos time spent in backend attempts and in waits for a PTU backend: {@code durationNanos} minus
 *     this is the gateway's own overhead
 * @param startNanos the gateway ticker's reading when the request arrived (0 when not known)
 */
public record RequestOutcome(
    String requestId,
    Operation operation,
    Optional<String> model,
    Optional<BackendConfig> backend,
    int status,
    boolean stream,
    Optional<TokenUsage> usage,
    long durationNanos,
    OptionalLong timeToFirstTokenNanos,
    int attempts,
    boolean usageEstimated,
    Caller caller,
    Optional<Refusal> refusal,
    long upstreamNanos,
    long startNanos) {

  /**
   * Who made the request.
   *
   * @param consumer the consumer id, {@code anonymous} for an open gateway, empty before authentication
   * @param team the consumer's team, empty when none
   * @param clientIp the client's address
   */
  public record Caller(String consumer, String team, String clientIp) {
    public static final Caller UNKNOWN = new Caller("", "", "");
  }

  /**
   * Why the gateway refused a request itself.
   *
   * @param code the error code the client received (for example {@code invalid_api_key}, {@code rate_limit_exceeded})
   * @param limit the consumer limit that refused it ({@code tokens_per_minute}, ...), empty when no limit did
   */
  public record Refusal(String code, Optional<String> limit) {
    public Refusal {
      Objects.requireNonNull(code, "code");
      limit = limit == null ? Optional.empty() : limit;
    }

    /** True when one of the consumer's rate limits or quotas refused the request. */
    public boolean byLimit() {
      return limit.isPresent();
    }
  }

  public RequestOutcome {
    caller = caller == null ? Caller.UNKNOWN : caller;
    refusal = refusal == null ? Optional.empty() : refusal;
  }

  /** The gateway's own time: the whole request minus backend attempts and PTU waits. */
  public long gatewayNanos() {
    return Math.max(0, durationNanos - upstreamNanos);
  }

  /** An outcome whose caller is not known (refused before authentication, or tests). */
  public RequestOutcome(
      String requestId,
      Operation operation,
      Optional<String> model,
      Optional<BackendConfig> backend,
      int status,
      boolean stream,
      Optional<TokenUsage> usage,
      long durationNanos,
      OptionalLong timeToFirstTokenNanos,
      int attempts,
      boolean usageEstimated) {
    this(requestId, operation, model, backend, status, stream, usage, durationNanos, timeToFirstTokenNanos, attempts,
        usageEstimated, Caller.UNKNOWN, Optional.empty(), 0, 0);
  }
}
