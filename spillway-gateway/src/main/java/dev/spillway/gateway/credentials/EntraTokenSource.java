package dev.spillway.gateway.credentials;

import dev.spillway.core.config.EntraCredentials;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import java.time.Clock;

/**
 * An Entra ID access token obtained with the OAuth 2.0 client-credentials grant: one form POST to
 * the token endpoint with the client id, client secret and scope. Failures name the endpoint and
 * carry nothing from the answer's body but OAuth error codes ({@link TokenReply}).
 */
final class EntraTokenSource implements CredentialSource {
  private final HttpClient client;
  private final EntraCredentials credentials;
  private final Ticker ticker;
  private final Clock clock;
  /** How messages name the endpoint: without query or user info. */
  private final String label;

  EntraTokenSource(HttpClient client, EntraCredentials credentials, Ticker ticker, Clock clock) {
    this.client = client;
    this.credentials = credentials;
    this.ticker = ticker;
    this.clock = clock;
    this.label = "token endpoint " + TokenHttp.printable(credentials.tokenUrl());
  }

  @Override
  public Future<CachedCredential> fetch() {
    long startedAt = ticker.read();
    return TokenHttp.send(client, TokenHttp.formPost(credentials.tokenUrl()), Buffer.buffer(form(), "UTF-8"), label)
        .compose(reply -> TokenReply.toCredential(reply, startedAt, clock, label));
  }

  private String form() {
    return "grant_type=client_credentials"
        + "&client_id=" + TokenHttp.encode(credentials.clientId())
        + "&client_secret=" + TokenHttp.encode(credentials.clientSecret())
        + "&scope=" + TokenHttp.encode(credentials.scope());
  }

  @Override
  public String toString() {
    return "entra[tokenUrl=" + TokenHttp.printable(credentials.tokenUrl()) + ", clientId=" + credentials.clientId()
        + ", clientSecret=***, scope=" + credentials.scope() + "]";
  }
}
