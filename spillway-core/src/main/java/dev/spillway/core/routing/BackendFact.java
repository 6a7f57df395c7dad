package dev.spillway.core.routing;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Something learned about a backend that holds for every gateway replica, not only for the one that learned it, so
 * replicas share it ({@link SharedBackendFacts}). Two kinds: the backend answered {@code 429} (its capacity is full, or
 * its quota is spent) and asked to be left alone until a moment; or it refused the gateway's credential ({@code 401}
 * after one refresh), which every replica with the same credential would meet too. What one replica finds about
 * its own path to a backend — a refused connection, a timeout, its breaker tripping — is not a fact of this kind and is
 * never shared.
 *
 * <p>The moment is wall-clock epoch milliseconds, since replicas share no ticker; each replica turns it back into its
 * own ticker's reading when it applies the fact ({@link #untilNanos}). Replica clocks that disagree by a few
 * milliseconds move the end of a throttle by as much. Immutable.
 *
 * @param backend the backend's shared name ({@link SharedThrottles#sharedName}): its configured id and a fingerprint
 *     of the deployment it calls, so gateways that give one id to different deployments never mix their facts; for
 *     {@link Kind#UNAUTHORIZED} also a fingerprint of the credential settings ({@link SharedThrottles#authName}), so a
 *     replica whose credential was fixed ignores what was learned about the old one
 * @param kind what was learned
 * @param untilEpochMillis until when it holds, epoch milliseconds
 */
public record BackendFact(String backend, Kind kind, long untilEpochMillis) {

  /** What a fact says about its backend. */
  public enum Kind {
    /** The backend answered 429 (full, or out of quota): it takes no calls until the fact's moment. */
    THROTTLED,
    /**
     * The backend refused the gateway's credential even after one refresh: it is held out of routing until the fact's
     * moment ({@code routing.authHold}), unless the replica's credential for it is another one.
     */
    UNAUTHORIZED
  }

  public BackendFact {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(kind, "kind");
    if (backend.isBlank() || backend.contains(" ")) {
      throw new IllegalArgumentException("backend must be a name without spaces, got '" + backend + "'");
    }
  }

  /** A throttle of {@code backend} until {@code untilEpochMillis}. */
  public static BackendFact throttled(String backend, long untilEpochMillis) {
    return new BackendFact(backend, Kind.THROTTLED, untilEpochMillis);
  }

  /** An auth hold of {@code backend} (its {@link SharedThrottles#authName}) until {@code untilEpochMillis}. */
  public static BackendFact unauthorized(String backend, long untilEpochMillis) {
    return new BackendFact(backend, Kind.UNAUTHORIZED, untilEpochMillis);
  }

  /**
   * The ticker reading this fact ends at, for a replica whose ticker reads {@code nowNanos} while its wall clock reads
   * {@code nowEpochMillis}; empty when the fact is already over (then it is ignored). Pure.
   */
  public OptionalLong untilNanos(long nowNanos, long nowEpochMillis) {
    long remainingMillis = untilEpochMillis - nowEpochMillis;
    if (remainingMillis <= 0) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(nowNanos + Math.multiplyExact(remainingMillis, 1_000_000L));
  }

  /** Milliseconds the fact still holds at {@code nowEpochMillis}; 0 when it is over. */
  public long remainingMillis(long nowEpochMillis) {
    return Math.max(0, untilEpochMillis - nowEpochMillis);
  }
}
