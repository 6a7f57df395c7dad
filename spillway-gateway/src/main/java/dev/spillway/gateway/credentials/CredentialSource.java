package dev.spillway.gateway.credentials;

import io.vertx.core.Future;

/**
 * Where a changing credential comes from: a secret file or a token endpoint. {@link
 * RefreshingCredential} decides when to call it and makes sure only one call runs at a time.
 */
interface CredentialSource {

  /**
   * Fetches the credential once, without blocking. Fails with a {@link
   * CredentialUnavailableException} whose message holds no secret.
   */
  Future<CachedCredential> fetch();

  /** What the source is, for log lines and {@code toString()}; never a secret. */
  @Override
  String toString();
}
