package dev.spillway.core.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The credential Spillway presents to a backend. Clients never see it. At most one of the four.
 *
 * <p>{@link #toString()} never prints a secret, so a config record can be logged safely.
 *
 * @param apiKey the backend's API key (sent as {@code api-key} to Azure backends and as {@code
 *     Authorization: Bearer} to OpenAI backends)
 * @param apiKeyFile a file holding the API key (a mounted secret), read at start and when it changes
 * @param entra Entra ID client credentials: a bearer token fetched and refreshed by the gateway
 * @param identity a managed identity, workload identity or client certificate: likewise a bearer
 *     token fetched and refreshed by the gateway, with no shared secret
 */
public record BackendAuth(
    Optional<String> apiKey, Optional<Path> apiKeyFile, Optional<EntraCredentials> entra, Optional<AzureIdentity> identity) {
  public static final BackendAuth NONE = new BackendAuth(Optional.empty(), Optional.empty(), Optional.empty());

  public BackendAuth {
    apiKey = apiKey == null ? Optional.empty() : apiKey.filter(k -> !k.isBlank());
    apiKeyFile = apiKeyFile == null ? Optional.empty() : apiKeyFile;
    entra = entra == null ? Optional.empty() : entra;
    identity = identity == null ? Optional.empty() : identity;
    int kinds =
        (apiKey.isPresent() ? 1 : 0) + (apiKeyFile.isPresent() ? 1 : 0) + (entra.isPresent() ? 1 : 0)
            + (identity.isPresent() ? 1 : 0);
    if (kinds > 1) {
      throw new IllegalArgumentException(
          "a backend takes one of apiKey, apiKeyFile, entra, managedIdentity, workloadIdentity and clientCertificate");
    }
  }

  /** A key, a key file or client credentials; no Azure identity. */
  public BackendAuth(Optional<String> apiKey, Optional<Path> apiKeyFile, Optional<EntraCredentials> entra) {
    this(apiKey, apiKeyFile, entra, Optional.empty());
  }

  /** An API key credential; a null or blank key means none. */
  public static BackendAuth apiKey(String key) {
    return new BackendAuth(Optional.ofNullable(key), Optional.empty(), Optional.empty());
  }

  /** A managed identity, workload identity or client certificate. */
  public static BackendAuth of(AzureIdentity identity) {
    return new BackendAuth(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(identity));
  }

  @Override
  public String toString() {
    if (apiKey.isPresent()) {
      return "BackendAuth[apiKey=***]";
    }
    if (apiKeyFile.isPresent()) {
      return "BackendAuth[apiKeyFile=" + apiKeyFile.get() + "]";
    }
    if (identity.isPresent()) {
      return "BackendAuth[" + identity.get() + "]";
    }
    return entra.map(e -> "BackendAuth[" + e + "]").orElse("BackendAuth[none]");
  }
}
