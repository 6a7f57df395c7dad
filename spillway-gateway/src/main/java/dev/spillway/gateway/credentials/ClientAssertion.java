package dev.spillway.gateway.credentials;

import io.vertx.core.Future;

/**
 * Where the {@code client_assertion} of an OAuth client-credentials request comes from, in place of
 * a client secret: a federated token file (workload identity) or a JWT signed with a certificate.
 */
interface ClientAssertion {

  /**
   * A fresh assertion for one token request, without blocking an event loop. Fails with a {@link
   * CredentialUnavailableException} whose message names the file and the reason, never its content.
   */
  Future<String> next();

  /** What the assertion is made from, for log lines and {@code toString()}; never a secret. */
  @Override
  String toString();
}
