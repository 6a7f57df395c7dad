package dev.spillway.core.config;

import java.net.URI;
import java.util.Objects;

/**
 * Entra ID client credentials for a backend: Spillway fetches a token from {@code tokenUrl} and
 * sends it as {@code Authorization: Bearer}. {@link #toString()} hides the secret.
 *
 * @param tokenUrl for example {@code https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token}
 * @param clientId the application (client) id
 * @param clientSecret the client secret
 * @param scope usually {@code https://cognitiveservices.azure.com/.default}
 */
public record EntraCredentials(URI tokenUrl, String clientId, String clientSecret, String scope) {
  public static final String COGNITIVE_SERVICES_SCOPE = "https://cognitiveservices.azure.com/.default";

  public EntraCredentials {
    Objects.requireNonNull(tokenUrl, "tokenUrl");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(scope, "scope");
  }

  public static URI tokenUrlForTenant(String tenantId) {
    return URI.create("https://login.microsoftonline.com/" + tenantId + "/oauth2/v2.0/token");
  }

  @Override
  public String toString() {
    return "EntraCredentials[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", clientSecret=***, scope=" + scope + "]";
  }
}
