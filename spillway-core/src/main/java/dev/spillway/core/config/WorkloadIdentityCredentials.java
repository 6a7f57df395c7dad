package dev.spillway.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An AKS workload identity: the kubelet writes a short-lived service-account token to {@code
 * tokenFile}, and the gateway trades it (as an OAuth client assertion) for an Entra ID token. The
 * file is read again for every exchange, because the kubelet rotates it.
 *
 * @param tokenUrl {@code {authorityHost}/{tenantId}/oauth2/v2.0/token}
 * @param clientId the application (client) id the federated credential belongs to
 * @param tokenFile the projected service-account token ({@code AZURE_FEDERATED_TOKEN_FILE})
 * @param scope usually {@code https://cognitiveservices.azure.com/.default}
 */
public record WorkloadIdentityCredentials(URI tokenUrl, String clientId, Path tokenFile, String scope)
    implements AzureIdentity {
  public WorkloadIdentityCredentials {
    Objects.requireNonNull(tokenUrl, "tokenUrl");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(tokenFile, "tokenFile");
    Objects.requireNonNull(scope, "scope");
  }

  @Override
  public String kind() {
    return "workloadIdentity";
  }

  @Override
  public String toString() {
    return "WorkloadIdentity[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", tokenFile=" + tokenFile + ", scope=" + scope + "]";
  }
}
