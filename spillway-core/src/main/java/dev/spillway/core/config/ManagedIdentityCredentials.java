package dev.spillway.core.config;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * A managed identity: the Azure host (VM, scale set, AKS node, App Service, Functions, Container
 * Apps) hands out tokens for the identity assigned to it, so the gateway holds no secret at all.
 * {@link #toString()} hides the App Service identity header.
 *
 * @param protocol which local endpoint answers
 * @param endpoint the token endpoint: the instance metadata service by default, the {@code
 *     IDENTITY_ENDPOINT} of App Service, or a configured address (a look-alike in tests)
 * @param identityHeader the App Service {@code IDENTITY_HEADER} secret; empty for the metadata service
 * @param userAssigned which user-assigned identity to use; empty for the system-assigned one
 * @param resource the token audience, for example {@code https://cognitiveservices.azure.com}
 */
public record ManagedIdentityCredentials(
    Protocol protocol, URI endpoint, Optional<String> identityHeader, Optional<UserAssigned> userAssigned, String resource)
    implements AzureIdentity {
  /** Where the instance metadata service answers on every Azure VM. */
  public static final URI IMDS_ENDPOINT = URI.create("http://169.254.169.254/metadata/identity/oauth2/token");
  /** The audience Azure OpenAI and the other Cognitive Services accept. */
  public static final String COGNITIVE_SERVICES_RESOURCE = "https://cognitiveservices.azure.com";

  /** The two local token endpoints Azure offers. */
  public enum Protocol {
    /** The instance metadata service: {@code Metadata: true}, api-version 2018-02-01. */
    IMDS,
    /** App Service and Functions: {@code X-IDENTITY-HEADER}, api-version 2019-08-01. */
    APP_SERVICE
  }

  /** How a user-assigned identity is named. */
  public enum IdKind {
    CLIENT_ID,
    OBJECT_ID,
    RESOURCE_ID
  }

  /**
   * One user-assigned identity.
   *
   * @param kind how {@code value} names it
   * @param value a client id, an object (principal) id, or an ARM resource id
   */
  public record UserAssigned(IdKind kind, String value) {
    public UserAssigned {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(value, "value");
    }
  }

  public ManagedIdentityCredentials {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(identityHeader, "identityHeader");
    Objects.requireNonNull(userAssigned, "userAssigned");
    Objects.requireNonNull(resource, "resource");
    if ((protocol == Protocol.APP_SERVICE) != identityHeader.isPresent()) {
      throw new IllegalArgumentException("App Service takes an identity header and only App Service does");
    }
  }

  /** The system-assigned identity through the metadata service at {@code endpoint}. */
  public static ManagedIdentityCredentials imds(URI endpoint, Optional<UserAssigned> userAssigned, String resource) {
    return new ManagedIdentityCredentials(Protocol.IMDS, endpoint, Optional.empty(), userAssigned, resource);
  }

  /** The resource an OAuth scope names: {@code https://x/.default} is resource {@code https://x}. */
  public static String resourceOf(String scope) {
    return scope.endsWith("/.default") ? scope.substring(0, scope.length() - "/.default".length()) : scope;
  }

  @Override
  public String kind() {
    return "managedIdentity";
  }

  @Override
  public String toString() {
    return "ManagedIdentity[protocol=" + protocol + ", endpoint=" + endpoint
        + identityHeader.map(h -> ", identityHeader=***").orElse("")
        + userAssigned.map(u -> ", " + u.kind() + "=" + u.value()).orElse(", systemAssigned")
        + ", resource=" + resource + "]";
  }
}
