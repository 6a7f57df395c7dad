package dev.spillway.gateway.credentials;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;

/**
 * A fetched credential and the ages at which it should be refreshed and at which it must no longer
 * be used. Immutable; {@link #freshness} is a pure function of the reading of the ticker.
 */
final class CachedCredential {
  /** Margin before a token's stated expiry at which it is no longer sent (clock skew, transit). */
  static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);
  /** A token is refreshed this long before it expires, or 10 % of its lifetime if that is longer. */
  static final Duration MIN_REFRESH_AHEAD = Duration.ofMinutes(5);

  enum Freshness {
    /** Serve it. */
    FRESH,
    /** Serve it, and start a background refresh. */
    STALE,
    /** Do not serve it; wait for a fetch. */
    EXPIRED
  }

  private final CredentialHeader header;
  private final Future<Optional<CredentialHeader>> ready;
  private final long obtainedAtNanos;
  private final long refreshAfterNanos;
  private final long expireAfterNanos;

  private CachedCredential(CredentialHeader header, long obtainedAtNanos, long refreshAfterNanos, long expireAfterNanos) {
    this.header = header;
    this.ready = Future.succeededFuture(Optional.of(header));
    this.obtainedAtNanos = obtainedAtNanos;
    this.refreshAfterNanos = refreshAfterNanos;
    this.expireAfterNanos = expireAfterNanos;
  }

  /**
   * A token that lives {@code lifetime} from {@code obtainedAtNanos} (the ticker reading when it
   * was requested, so transit time counts against it). It is refreshed ahead when less than
   * max(5 min, 10 % of its lifetime) remains, capped at half its lifetime so a short-lived token is
   * not refetched on every call, and it expires {@link #EXPIRY_MARGIN} (at most 10 % of its
   * lifetime) before its stated expiry.
   */
  static CachedCredential token(CredentialHeader header, long obtainedAtNanos, Duration lifetime) {
    long life = lifetime.toNanos();
    long refreshAhead = Math.min(Math.max(MIN_REFRESH_AHEAD.toNanos(), life / 10), life / 2);
    long margin = Math.min(EXPIRY_MARGIN.toNanos(), life / 10);
    return new CachedCredential(header, obtainedAtNanos, life - refreshAhead, life - margin);
  }

  /** A value that is used for {@code maxAge} and then read again before the next use. */
  static CachedCredential readFor(CredentialHeader header, long obtainedAtNanos, Duration maxAge) {
    long age = maxAge.toNanos();
    return new CachedCredential(header, obtainedAtNanos, age, age);
  }

  Freshness freshness(long nowNanos) {
    long age = nowNanos - obtainedAtNanos;
    if (age < refreshAfterNanos) {
      return Freshness.FRESH;
    }
    return age < expireAfterNanos ? Freshness.STALE : Freshness.EXPIRED;
  }

  /** How long it may still be served, for log lines; zero once expired. */
  Duration remaining(long nowNanos) {
    return Duration.ofNanos(Math.max(0, expireAfterNanos - (nowNanos - obtainedAtNanos)));
  }

  CredentialHeader header() {
    return header;
  }

  /** The header as an already-completed future, allocated once. */
  Future<Optional<CredentialHeader>> ready() {
    return ready;
  }

  @Override
  public String toString() {
    return "CachedCredential[" + header + "]";
  }
}
