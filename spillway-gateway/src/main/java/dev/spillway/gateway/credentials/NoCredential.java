package dev.spillway.gateway.credentials;

import io.vertx.core.Future;
import java.util.Optional;

/** A backend without authentication, for example a local model server. */
final class NoCredential implements BackendCredential {
  static final NoCredential INSTANCE = new NoCredential();

  private static final Future<Optional<CredentialHeader>> NONE = Future.succeededFuture(Optional.empty());

  private NoCredential() {}

  @Override
  public Future<Optional<CredentialHeader>> header() {
    return NONE;
  }

  @Override
  public void invalidate() {}

  @Override
  public String toString() {
    return "BackendCredential[none]";
  }
}
