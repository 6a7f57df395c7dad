package dev.spillway.cli.init;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.EntraCredentials;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.credentials.BackendCredential;
import dev.spillway.gateway.credentials.BackendCredentials;
import dev.spillway.gateway.credentials.CredentialHeader;
import io.vertx.core.Vertx;
import java.net.URI;
import java.util.Optional;

/**
 * An Entra ID token for Azure Resource Manager, fetched with the client-credentials grant by the gateway's own
 * backend credential code (the same token request, error handling and secret hygiene the gateway uses towards its
 * backends), only with the management scope.
 */
public final class ArmToken {
  /** The scope of a token Azure Resource Manager accepts. */
  public static final String MANAGEMENT_SCOPE = "https://management.azure.com/.default";

  private ArmToken() {}

  /** {@code <authorityHost>/<tenant>/oauth2/v2.0/token}. */
  public static URI tokenUrl(URI authorityHost, String tenantId) {
    String host = authorityHost.toString();
    return URI.create((host.endsWith("/") ? host : host + "/") + tenantId + "/oauth2/v2.0/token");
  }

  /**
   * The {@code Authorization} header value ({@code Bearer ...}) for ARM calls.
   *
   * @throws DiscoveryException naming the token endpoint and why, never the secret
   */
  public static String fetch(URI tokenUrl, String clientId, String clientSecret, URI armEndpoint) {
    EntraCredentials credentials = new EntraCredentials(tokenUrl, clientId, clientSecret, MANAGEMENT_SCOPE);
    // The gateway builds credentials per backend; Azure Resource Manager stands in as the "backend" here.
    BackendConfig arm = BackendConfig.builder().id("azure-resource-manager").url(armEndpoint).deployment("-")
        .tier(Tier.PAYG).auth(new BackendAuth(Optional.empty(), Optional.empty(), Optional.of(credentials))).build();
    Vertx vertx = Vertx.vertx();
    try {
      BackendCredential credential = BackendCredentials.of(vertx, vertx.createHttpClient(), arm, Ticker.systemTicker());
      Optional<CredentialHeader> header = credential.header().await();
      return header.map(CredentialHeader::value)
          .orElseThrow(() -> new DiscoveryException("no token from " + AzureDiscovery.printable(tokenUrl)));
    } catch (DiscoveryException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DiscoveryException("cannot get a token for Azure Resource Manager: " + e.getMessage(), e);
    } finally {
      vertx.close().await();
    }
  }
}
