package dev.spillway.gateway.events;

import dev.spillway.core.api.Operation;
import dev.spillway.core.cache.CacheStatus;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.ledger.EndUser;
import dev.spillway.core.ledger.SafetyVerdict;
import dev.spillway.core.usage.BillingUnits;
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
 * @param azureSpilloverFrom when the backend was a PTU deployment whose own spillover served the request from a
 *     standard deployment (its answer carried {@code x-ms-spillover-from-<deployment>}): that PTU deployment's name.
 *     The tokens were then paid as pay-as-you-go.
 * @param interruptedBy for a stream that broke after its head reached the client, who broke it: {@code backend}
 *     (status 502), {@code client} (499: it left or stopped reading) or {@code shutdown} (503: the gateway stopped);
 *     empty when the request ended normally
 * @param units what the request is billed in besides tokens: the images an answer listed, the seconds of audio it
 *     transcribed (reported, or estimated from an uploaded WAV file), the characters it spoke; empty for the rest
 * @param cache what the response cache did, and the tokens a hit saved
 * @param promptPrefixHash the ledger's keyed hash of the prompt's first 1,024 tokens, for a prompt at least that long
 *     when the {@code promptPrefix} stage ran; empty otherwise
 * @param endUser the end user the request was made for, as its body's {@code user} (or {@code safety_identifier}) or
 *     the configured {@code ledger.endUserHeader} named it; {@link EndUser#NONE} when none. It may be personal data:
 *     listeners may store it (the ledger does) but never log it, and its {@code toString()} does not show it
 * @param safety what the content guard did about the request, {@link SafetyVerdict#NONE} when nothing
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
    long startNanos,
    Optional<String> azureSpilloverFrom,
    String interruptedBy,
    Optional<BillingUnits> units,
    CacheStatus.Outcome cache,
    OptionalLong promptPrefixHash,
    EndUser endUser,
    SafetyVerdict safety) {

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
    interruptedBy = interruptedBy == null ? "" : interruptedBy;
    units = units == null ? Optional.empty() : units;
    cache = cache == null ? CacheStatus.Outcome.NONE : cache;
    promptPrefixHash = promptPrefixHash == null ? OptionalLong.empty() : promptPrefixHash;
    endUser = endUser == null ? EndUser.NONE : endUser;
    safety = safety == null ? SafetyVerdict.NONE : safety;
  }

  /** True for a stream that broke after its head reached the client. */
  public boolean interrupted() {
    return !interruptedBy.isEmpty();
  }

  /**
   * The tier that answered and is billed for it: the answering backend's, except that an answer a PTU deployment's
   * own spillover passed to a standard deployment ({@link #azureSpilloverFrom}) was PAYG. The ledger and PAYG spend
   * read it here.
   */
  public Optional<Tier> tier() {
    if (azureSpilloverFrom.isPresent() && backend.isPresent()) {
      return Optional.of(Tier.PAYG);
    }
    return backend.map(BackendConfig::tier);
  }

  /** The gateway's own time: the whole request minus backend attempts and PTU waits. */
  public long gatewayNanos() {
    return Math.max(0, durationNanos - upstreamNanos);
  }

  /** A builder: request id and status are required; everything else defaults to "none" (no model, no usage, ...). */
  public static Builder builder(String requestId, int status) {
    return new Builder(requestId, status);
  }

  /** Builds a {@link RequestOutcome} one named component at a time. Not thread-safe. */
  public static final class Builder {
    private final String requestId;
    private final int status;
    private Operation operation;
    private Optional<String> model = Optional.empty();
    private Optional<BackendConfig> backend = Optional.empty();
    private boolean stream;
    private Optional<TokenUsage> usage = Optional.empty();
    private boolean usageEstimated;
    private long durationNanos;
    private OptionalLong timeToFirstTokenNanos = OptionalLong.empty();
    private int attempts;
    private Caller caller = Caller.UNKNOWN;
    private Optional<Refusal> refusal = Optional.empty();
    private long upstreamNanos;
    private long startNanos;
    private CacheStatus.Outcome cache = CacheStatus.Outcome.NONE;
    private Optional<String> azureSpilloverFrom = Optional.empty();
    private String interruptedBy = "";
    private Optional<BillingUnits> units = Optional.empty();
    private OptionalLong promptPrefixHash = OptionalLong.empty();
    private EndUser endUser = EndUser.NONE;
    private SafetyVerdict safety = SafetyVerdict.NONE;

    private Builder(String requestId, int status) {
      this.requestId = Objects.requireNonNull(requestId, "requestId");
      this.status = status;
    }

    public Builder operation(Operation value) {
      this.operation = value;
      return this;
    }

    public Builder model(Optional<String> value) {
      this.model = Objects.requireNonNull(value);
      return this;
    }

    public Builder model(String value) {
      return model(Optional.of(value));
    }

    public Builder backend(Optional<BackendConfig> value) {
      this.backend = Objects.requireNonNull(value);
      return this;
    }

    public Builder backend(BackendConfig value) {
      return backend(Optional.of(value));
    }

    public Builder stream(boolean value) {
      this.stream = value;
      return this;
    }

    /** @param estimated true when {@code value} is the gateway's estimate, not the backend's report */
    public Builder usage(Optional<TokenUsage> value, boolean estimated) {
      this.usage = Objects.requireNonNull(value);
      this.usageEstimated = estimated;
      return this;
    }

    public Builder usage(TokenUsage value) {
      return usage(Optional.of(value), false);
    }

    /** @param start the ticker reading when the request arrived; @param duration until its last byte */
    public Builder timing(long start, long duration) {
      this.startNanos = start;
      this.durationNanos = duration;
      return this;
    }

    public Builder durationNanos(long value) {
      this.durationNanos = value;
      return this;
    }

    public Builder timeToFirstTokenNanos(OptionalLong value) {
      this.timeToFirstTokenNanos = Objects.requireNonNull(value);
      return this;
    }

    public Builder attempts(int value) {
      this.attempts = value;
      return this;
    }

    public Builder caller(Caller value) {
      this.caller = Objects.requireNonNull(value);
      return this;
    }

    public Builder refusal(Optional<Refusal> value) {
      this.refusal = Objects.requireNonNull(value);
      return this;
    }

    public Builder refusal(Refusal value) {
      return refusal(Optional.of(value));
    }

    /** The PTU deployment whose own spillover served the request, if one did. */
    public Builder azureSpilloverFrom(Optional<String> value) {
      this.azureSpilloverFrom = java.util.Objects.requireNonNull(value);
      return this;
    }

    /** Who broke the stream after its head reached the client: {@code backend}, {@code client} or {@code shutdown}. */
    public Builder interruptedBy(String value) {
      this.interruptedBy = Objects.requireNonNull(value);
      return this;
    }

    /** The images, audio seconds or characters the request is billed in, if any. */
    public Builder units(Optional<BillingUnits> value) {
      this.units = Objects.requireNonNull(value);
      return this;
    }

    /** What the response cache did. */
    public Builder cache(CacheStatus.Outcome value) {
      this.cache = Objects.requireNonNull(value);
      return this;
    }

    /** The keyed hash of the prompt's first 1,024 tokens, if the request had one. */
    public Builder promptPrefixHash(OptionalLong value) {
      this.promptPrefixHash = Objects.requireNonNull(value);
      return this;
    }

    /** The end user the request was made for, if it named one. */
    public Builder endUser(EndUser value) {
      this.endUser = Objects.requireNonNull(value);
      return this;
    }

    /** What the content guard did about the request. */
    public Builder safety(SafetyVerdict value) {
      this.safety = Objects.requireNonNull(value);
      return this;
    }

    public Builder upstreamNanos(long value) {
      this.upstreamNanos = value;
      return this;
    }

    public RequestOutcome build() {
      return new RequestOutcome(
          requestId, operation, model, backend, status, stream, usage, durationNanos, timeToFirstTokenNanos, attempts,
          usageEstimated, caller, refusal, upstreamNanos, startNanos, azureSpilloverFrom, interruptedBy, units, cache,
          promptPrefixHash, endUser, safety);
    }
  }
}
