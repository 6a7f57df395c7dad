package dev.spillway.gateway.credentials;

import io.vertx.core.Future;
import java.util.Optional;

/** An API key written in the config: nothing to fetch, nothing to refresh. */
final class StaticApiKey implements BackendCredential {
  private final String backendId;
  private final CredentialHeader header;
  private final Future<Optional<CredentialHeader>> ready;

  StaticApiKey(String backendId, CredentialHeader header) {
    this.backendId = backendId;
    this.header = header;
    this.ready = Future.succeededFuture(Optional.of(header));
  }

  @Override
  public Future<Optional<CredentialHeader>> header() {
    return ready;
  }

  /** A 401 cannot be fixed by re-reading a key that lives in the config. */
  @Override
  public void invalidate() {}

  @Override
  public String toString() {
    return "BackendCredential[backend=" + backendId + ", staticApiKey, header=" + header.name() + "]";
  }
}
