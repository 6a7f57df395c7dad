package dev.spillway.gateway.credentials;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * The credential one backend expects on every call. Obtain one with {@link
 * BackendCredentials#of}; keep it for the backend's lifetime, because it caches what it fetched.
 *
 * <p>Thread-safe: one instance serves every event loop. {@link #toString()} never shows a secret.
 */
public interface BackendCredential {

  /**
   * The header to put on the next backend request, or empty when the backend takes none.
   *
   * <p>Never blocks. A cached credential is returned as an already-completed future; otherwise the
   * future completes on the caller's Vert.x context (or on any thread when the caller has none).
   * However many callers ask at once, at most one fetch runs. A failed future carries a {@link
   * CredentialUnavailableException} whose message names where the credential comes from and why
   * it is unavailable, never the credential itself.
   */
  Future<Optional<CredentialHeader>> header();

  /**
   * Forgets the cached credential: called by the edge after a backend answered 401. The next
   * {@link #header()} fetches a fresh one (single-flight) or joins a fetch already under way. A
   * no-op for a static key.
   */
  void invalidate();

  /**
   * Like {@link #invalidate()}, but only when {@code rejected} is still the header being served.
   * When many requests sent with the same credential come back 401 together, the first triggers
   * one refresh and the rest, arriving after it, do not discard the fresh credential again.
   */
  default void invalidate(CredentialHeader rejected) {
    invalidate();
  }

  /** A backend that takes no credential. */
  static BackendCredential none() {
    return NoCredential.INSTANCE;
  }
}
