package dev.spillway.gateway.credentials;

import dev.spillway.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import java.net.URI;
import java.time.Clock;

/**
 * An Entra ID access token obtained with the client-credentials grant authenticated by a client
 * assertion (RFC 7523) instead of a secret: the same form POST as {@link EntraTokenSource}, with
 * {@code client_assertion_type} and {@code client_assertion}. A new assertion is made for every
 * exchange.
 */
final class AssertionTokenSource implements CredentialSource {
  static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

  private final HttpClient client;
  private final URI tokenUrl;
  private final String clientId;
  private final String scope;
  private final ClientAssertion assertion;
  private final Ticker ticker;
  private final Clock clock;
  private final String label;

  AssertionTokenSource(
      HttpClient client, URI tokenUrl, String clientId, String scope, ClientAssertion assertion, Ticker ticker, Clock clock) {
    this.client = client;
    this.tokenUrl = tokenUrl;
    this.clientId = clientId;
    this.scope = scope;
    this.assertion = assertion;
    this.ticker = ticker;
    this.clock = clock;
    this.label = "token endpoint " + TokenHttp.printable(tokenUrl);
  }

  @Override
  public Future<CachedCredential> fetch() {
    return assertion
        .next()
        .compose(
            signed -> {
              long startedAt = ticker.read();
              return TokenHttp.send(client, TokenHttp.formPost(tokenUrl), Buffer.buffer(form(signed), "UTF-8"), label)
                  .compose(reply -> TokenReply.toCredential(reply, startedAt, clock, label));
            });
  }

  private String form(String signed) {
    return "grant_type=client_credentials"
        + "&client_id=" + TokenHttp.encode(clientId)
        + "&scope=" + TokenHttp.encode(scope)
        + "&client_assertion_type=" + TokenHttp.encode(JWT_BEARER)
        + "&client_assertion=" + TokenHttp.encode(signed);
  }

  @Override
  public String toString() {
    return assertion + "[tokenUrl=" + TokenHttp.printable(tokenUrl) + ", clientId=" + clientId + ", scope=" + scope + "]";
  }
}
