package dev.spillway.cli.init;

import java.net.URI;
import java.util.Objects;

/**
 * How the written config's backends authenticate to Azure: with each resource's key, or with Entra ID client
 * credentials. Either way only environment variable names are written, never a secret.
 */
public sealed interface BackendAuthStyle {

  /** {@code auth: { apiKey: ${<resource's keyEnv>} }}. */
  record ApiKey() implements BackendAuthStyle {}

  /**
   * {@code auth: { entra: { tokenUrl, clientId, clientSecret: ${secretEnv} } }}.
   *
   * @param tokenUrl the token endpoint ({@code <authority host>/<tenant>/oauth2/v2.0/token})
   * @param clientId the application (client) id
   * @param secretEnv the environment variable holding its client secret
   */
  record Entra(URI tokenUrl, String clientId, String secretEnv) implements BackendAuthStyle {
    public Entra {
      Objects.requireNonNull(tokenUrl, "tokenUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(secretEnv, "secretEnv");
    }
  }
}
