package dev.spillway.gateway.pipeline;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.ledger.EndUser;
import dev.spillway.core.ledger.SafetyVerdict;
import dev.spillway.core.usage.BillingUnits;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.events.RequestOutcome;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How a request ended: the status the client received and what the backends did. The pipeline builds the {@link
 * RequestOutcome} event from it once the request is finished.
 */
public final class RequestResult {
  private int status;
  private BackendConfig backend;
  private TokenUsage usage;
  private boolean usageEstimated;
  private long timeToFirstTokenNanos = -1;
  private int attempts;
  private long upstreamNanos;
  private RequestOutcome.Refusal refusal;
  private String azureSpilloverFrom;
  private String interruptedBy = "";
  private String createdObjectId;
  private BillingUnits units;
  private dev.spillway.core.cache.CacheStatus.Outcome cache = dev.spillway.core.cache.CacheStatus.Outcome.NONE;
  private OptionalLong promptPrefixHash = OptionalLong.empty();
  private EndUser endUser = EndUser.NONE;
  private SafetyVerdict safety = SafetyVerdict.NONE;

  /**
   * The end user the request was made for: the edge reads the configured {@code ledger.endUserHeader}, {@code parse}
   * the body's {@code user} / {@code safety_identifier} when the header named none; {@link EndUser#NONE} when
   * neither did. It may be personal data: never log it.
   */
  public EndUser endUser() {
    return endUser;
  }

  public RequestResult endUser(EndUser value) {
    this.endUser = Objects.requireNonNull(value);
    return this;
  }

  /** What the content guard did about the request so far; {@link SafetyVerdict#NONE} until it found anything. */
  public SafetyVerdict safety() {
    return safety;
  }

  /**
   * Records what the content guard did ({@code ctx.result().safety(SafetyVerdict.of(action, category,
   * severity))}). A verdict weaker than the one already recorded ({@link SafetyVerdict#stronger}: by level, then by
   * severity) does not replace it (of two equally strong, the first stays), so a check of the request and one of the
   * answer can each record theirs and the ledger row keeps the strongest.
   */
  public RequestResult safety(SafetyVerdict value) {
    this.safety = safety.stronger(Objects.requireNonNull(value));
    return this;
  }

  /** The keyed hash of the prompt's first 1,024 tokens ({@code promptPrefix}); empty for a shorter prompt. */
  public OptionalLong promptPrefixHash() {
    return promptPrefixHash;
  }

  public RequestResult promptPrefixHash(long value) {
    this.promptPrefixHash = OptionalLong.of(value);
    return this;
  }

  /** What the response cache did; {@code NONE} when it was not involved. */
  public dev.spillway.core.cache.CacheStatus.Outcome cache() {
    return cache;
  }

  public RequestResult cache(dev.spillway.core.cache.CacheStatus.Outcome value) {
    this.cache = Objects.requireNonNull(value);
    return this;
  }

  /** The images, audio seconds or characters a successful media answer is billed in; empty for the rest. */
  public Optional<BillingUnits> units() {
    return Optional.ofNullable(units);
  }

  public RequestResult units(BillingUnits value) {
    this.units = value;
    return this;
  }

  /**
   * The id of the object the backend's answer created ({@code id} of a JSON answer, the {@code response.id} of a
   * Responses stream), when it named one: what the {@code objects} stage records as the caller's.
   */
  public Optional<String> createdObjectId() {
    return Optional.ofNullable(createdObjectId);
  }

  public RequestResult createdObjectId(String id) {
    this.createdObjectId = id;
    return this;
  }

  /**
   * Who broke a stream after its head reached the client ({@code backend}, {@code client}, {@code shutdown}); empty
   * for a request that ended normally.
   */
  public String interruptedBy() {
    return interruptedBy;
  }

  public RequestResult interruptedBy(String by) {
    this.interruptedBy = java.util.Objects.requireNonNull(by);
    return this;
  }

  /** The PTU deployment whose own spillover served the request (Azure's {@code x-ms-spillover-from-*}), if any. */
  public Optional<String> azureSpilloverFrom() {
    return Optional.ofNullable(azureSpilloverFrom);
  }

  public RequestResult azureSpilloverFrom(String deployment) {
    this.azureSpilloverFrom = deployment;
    return this;
  }

  public int status() {
    return status;
  }

  public RequestResult status(int value) {
    this.status = value;
    return this;
  }

  public Optional<BackendConfig> backend() {
    return Optional.ofNullable(backend);
  }

  public RequestResult backend(BackendConfig value) {
    this.backend = value;
    return this;
  }

  public Optional<TokenUsage> usage() {
    return Optional.ofNullable(usage);
  }

  public boolean usageEstimated() {
    return usageEstimated;
  }

  public RequestResult usage(TokenUsage value, boolean estimated) {
    this.usage = value;
    this.usageEstimated = estimated;
    return this;
  }

  public OptionalLong timeToFirstTokenNanos() {
    return timeToFirstTokenNanos < 0 ? OptionalLong.empty() : OptionalLong.of(timeToFirstTokenNanos);
  }

  public RequestResult timeToFirstTokenNanos(OptionalLong value) {
    this.timeToFirstTokenNanos = value.orElse(-1);
    return this;
  }

  public int attempts() {
    return attempts;
  }

  public RequestResult attempts(int value) {
    this.attempts = value;
    return this;
  }

  /** Time spent in backend attempts and PTU waits. */
  public long upstreamNanos() {
    return upstreamNanos;
  }

  public RequestResult addUpstreamNanos(long nanos) {
    this.upstreamNanos += nanos;
    return this;
  }

  public Optional<RequestOutcome.Refusal> refusal() {
    return Optional.ofNullable(refusal);
  }

  public RequestResult refusal(RequestOutcome.Refusal value) {
    this.refusal = value;
    return this;
  }
}
