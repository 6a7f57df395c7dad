package dev.spillway.gateway.credentials;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;

/** Builds the {@link BackendCredential} a backend's config asks for. */
public final class BackendCredentials {
  private BackendCredentials() {}

  /**
   * The credential for {@code backend}: none; a static API key ({@code api-key} for Azure, {@code
   * Authorization: Bearer} for OpenAI); an API key file read through {@code vertx}'s file system;
   * or an Entra ID token fetched with {@code client} and sent as {@code Authorization: Bearer} to
   * either backend type. Nothing is read or fetched until the first {@link
   * BackendCredential#header()}.
   *
   * @param ticker times cache expiry; {@link Ticker#systemTicker()} outside tests
   */
  public static BackendCredential of(Vertx vertx, HttpClient client, BackendConfig backend, Ticker ticker) {
    BackendAuth auth = backend.auth();
    if (auth.apiKey().isPresent()) {
      return new StaticApiKey(backend.id(), CredentialHeader.apiKey(backend.type(), auth.apiKey().get()));
    }
    if (auth.apiKeyFile().isPresent()) {
      return new RefreshingCredential(
          backend.id(), new ApiKeyFileSource(vertx.fileSystem(), auth.apiKeyFile().get(), backend.type(), ticker), ticker);
    }
    if (auth.entra().isPresent()) {
      return new RefreshingCredential(backend.id(), new EntraTokenSource(client, auth.entra().get(), ticker), ticker);
    }
    return BackendCredential.none();
  }
}
