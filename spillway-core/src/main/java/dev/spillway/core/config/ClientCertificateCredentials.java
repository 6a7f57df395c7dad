package dev.spillway.core.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * An application that proves who it is with a certificate instead of a client secret: the gateway
 * signs a short-lived JWT with the certificate's RSA private key and trades it for an Entra ID
 * token. The file is read again for every exchange, so a renewed certificate is picked up.
 * {@link #toString()} hides the password.
 *
 * @param tokenUrl {@code {authorityHost}/{tenantId}/oauth2/v2.0/token}; also the JWT's audience
 * @param clientId the application (client) id the certificate is registered with
 * @param certificate a PEM file holding the certificate and its unencrypted private key, or a
 *     PKCS#12 file ({@code .p12}, {@code .pfx})
 * @param password the PKCS#12 password, if it has one
 * @param scope usually {@code https://cognitiveservices.azure.com/.default}
 */
public record ClientCertificateCredentials(
    URI tokenUrl, String clientId, Path certificate, Optional<String> password, String scope) implements AzureIdentity {
  public ClientCertificateCredentials {
    Objects.requireNonNull(tokenUrl, "tokenUrl");
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(scope, "scope");
  }

  @Override
  public String kind() {
    return "clientCertificate";
  }

  @Override
  public String toString() {
    return "ClientCertificate[tokenUrl=" + tokenUrl + ", clientId=" + clientId + ", certificate=" + certificate
        + password.map(p -> ", password=***").orElse("") + ", scope=" + scope + "]";
  }
}
