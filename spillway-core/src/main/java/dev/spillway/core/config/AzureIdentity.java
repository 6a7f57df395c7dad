package dev.spillway.core.config;

import java.net.URI;

/**
 * A credential that Azure itself vouches for, so that no key or client secret has to be shared
 * with the gateway: a managed identity, a workload identity (a federated Kubernetes token) or a
 * certificate. Each is exchanged for an Entra ID bearer token that the gateway caches and
 * refreshes ahead of its expiry.
 */
public sealed interface AzureIdentity
    permits ManagedIdentityCredentials, WorkloadIdentityCredentials, ClientCertificateCredentials {

  /** The public cloud's Entra ID authority, used when neither config nor environment names one. */
  URI DEFAULT_AUTHORITY_HOST = URI.create("https://login.microsoftonline.com");

  /** What the config calls this kind of credential, for messages: {@code managedIdentity}, ... */
  String kind();

  /**
   * {@code {authorityHost}/{tenantId}/oauth2/v2.0/token}; a trailing slash on the host is ignored.
   *
   * @param tenantId a tenant GUID or domain, already checked to be safe inside a URL path
   */
  static URI tokenUrl(URI authorityHost, String tenantId) {
    String host = authorityHost.toString();
    while (host.endsWith("/")) {
      host = host.substring(0, host.length() - 1);
    }
    return URI.create(host + "/" + tenantId + "/oauth2/v2.0/token");
  }
}
