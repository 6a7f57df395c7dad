package dev.spillway.gateway.credentials;

import dev.spillway.core.config.AzureIdentity;
import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ClientCertificateCredentials;
import dev.spillway.core.config.ManagedIdentityCredentials;
import dev.spillway.core.config.WorkloadIdentityCredentials;
import dev.spillway.core.time.Scheduler;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.time.EventLoopScheduler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import java.time.Clock;

/** Builds the {@link BackendCredential} a backend's config asks for. */
public final class BackendCredentials {
  private BackendCredentials() {}

  /**
   * Like {@link #of(Vertx, HttpClient, BackendConfig, Ticker, Clock, Scheduler)} with the system
   * clock and Vert.x timers.
   */
  public static BackendCredential of(Vertx vertx, HttpClient client, BackendConfig backend, Ticker ticker) {
    return of(vertx, client, backend, ticker, Clock.systemUTC(), EventLoopScheduler.vertxTimers(vertx, ticker));
  }

  /**
   * The credential for {@code backend}: none; a static API key ({@code api-key} for Azure, {@code
   * Authorization: Bearer} for OpenAI); an API key file read through {@code vertx}'s file system;
   * or an Entra ID token sent as {@code Authorization: Bearer} to either backend type, fetched with
   * {@code client} using a client secret, a managed identity, a workload identity's federated
   * token or a certificate. Nothing is read or fetched until the first {@link
   * BackendCredential#header()}.
   *
   * @param ticker times cache expiry; {@link Ticker#systemTicker()} outside tests
   * @param clock wall-clock time, for an {@code expires_on} answer and a signed assertion's validity
   * @param scheduler times a managed identity endpoint's retries; runs on {@code ticker}
   */
  public static BackendCredential of(
      Vertx vertx, HttpClient client, BackendConfig backend, Ticker ticker, Clock clock, Scheduler scheduler) {
    BackendAuth auth = backend.auth();
    if (auth.apiKey().isPresent()) {
      return new StaticApiKey(backend.id(), CredentialHeader.apiKey(backend.type(), auth.apiKey().get()));
    }
    if (auth.apiKeyFile().isPresent()) {
      return new RefreshingCredential(
          backend.id(), new ApiKeyFileSource(vertx.fileSystem(), auth.apiKeyFile().get(), backend.type(), ticker), ticker);
    }
    if (auth.entra().isPresent()) {
      return new RefreshingCredential(backend.id(), new EntraTokenSource(client, auth.entra().get(), ticker, clock), ticker);
    }
    if (auth.identity().isPresent()) {
      return new RefreshingCredential(backend.id(), identitySource(vertx, client, auth.identity().get(), ticker, clock, scheduler), ticker);
    }
    return BackendCredential.none();
  }

  private static CredentialSource identitySource(
      Vertx vertx, HttpClient client, AzureIdentity identity, Ticker ticker, Clock clock, Scheduler scheduler) {
    return switch (identity) {
      case ManagedIdentityCredentials managed -> new ManagedIdentitySource(client, managed, scheduler, clock);
      case WorkloadIdentityCredentials workload ->
          new AssertionTokenSource(
              client,
              workload.tokenUrl(),
              workload.clientId(),
              workload.scope(),
              new FederatedTokenFile(vertx.fileSystem(), workload.tokenFile()),
              ticker,
              clock);
      case ClientCertificateCredentials certificate ->
          new AssertionTokenSource(
              client,
              certificate.tokenUrl(),
              certificate.clientId(),
              certificate.scope(),
              new CertificateAssertion(
                  vertx, certificate.certificate(), certificate.password(), certificate.tokenUrl(), certificate.clientId(), clock),
              ticker,
              clock);
    };
  }
}
