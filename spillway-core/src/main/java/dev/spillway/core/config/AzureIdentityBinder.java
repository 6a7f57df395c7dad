package dev.spillway.core.config;

import dev.spillway.core.config.ManagedIdentityCredentials.IdKind;
import dev.spillway.core.config.ManagedIdentityCredentials.UserAssigned;
import dev.spillway.core.config.ScalarReader.Value;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Binds the three Azure identities of a backend's {@code auth:} ({@code managedIdentity}, {@code
 * workloadIdentity}, {@code clientCertificate}) to {@link AzureIdentity}. Settings that Azure
 * platforms put in the environment default from it, as Azure's own SDKs do: {@code AZURE_TENANT_ID},
 * {@code AZURE_CLIENT_ID}, {@code AZURE_FEDERATED_TOKEN_FILE}, {@code AZURE_AUTHORITY_HOST}, and
 * App Service's {@code IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER}. No message names a value
 * that came from the environment. One instance per load; not thread-safe.
 */
final class AzureIdentityBinder {
  static final List<String> MANAGED_IDENTITY_KEYS = List.of("clientId", "objectId", "resourceId", "endpoint", "scope");
  static final List<String> WORKLOAD_IDENTITY_KEYS =
      List.of("tenantId", "clientId", "tokenFile", "authorityHost", "scope");
  static final List<String> CLIENT_CERTIFICATE_KEYS =
      List.of("tenantId", "clientId", "certificate", "password", "authorityHost", "scope");
  private static final Map<String, IdKind> USER_ASSIGNED_KEYS =
      Map.of("clientId", IdKind.CLIENT_ID, "objectId", IdKind.OBJECT_ID, "resourceId", IdKind.RESOURCE_ID);

  private final ScalarReader read;

  AzureIdentityBinder(ScalarReader read) {
    this.read = read;
  }

  /**
   * The identity {@code kind} describes; empty when anything in it was wrong (problems reported).
   * A {@code managedIdentity:} or {@code workloadIdentity:} with no value takes every default.
   */
  Optional<AzureIdentity> bind(String kind, YamlNode.Entry entry, String path) {
    YamlNode.Mapping m;
    if (ScalarReader.isNull(entry.value())) {
      m = new YamlNode.Mapping(entry.keyLine(), Map.of());
    } else {
      Optional<YamlNode.Mapping> mapping = read.mapping(entry.value(), path, "a mapping");
      if (mapping.isEmpty()) {
        return Optional.empty();
      }
      m = mapping.get();
    }
    int before = read.problemCount();
    Optional<? extends AzureIdentity> identity =
        switch (kind) {
          case "managedIdentity" -> managedIdentity(m, path);
          case "workloadIdentity" -> workloadIdentity(m, path);
          default -> clientCertificate(m, path);
        };
    return read.problemCount() == before ? identity.map(AzureIdentity.class::cast) : Optional.empty();
  }

  private Optional<ManagedIdentityCredentials> managedIdentity(YamlNode.Mapping m, String path) {
    read.checkKeys(m, path, MANAGED_IDENTITY_KEYS);
    Optional<UserAssigned> userAssigned = userAssigned(m, path);
    String resource = ManagedIdentityCredentials.resourceOf(scope(m, path));
    Optional<Value> endpoint = read.scalar(m, "endpoint", path);
    if (endpoint.isPresent()) {
      return read.httpUrl(endpoint.get()).map(url -> ManagedIdentityCredentials.imds(url, userAssigned, resource));
    }
    Optional<String> appServiceEndpoint = read.environment("IDENTITY_ENDPOINT");
    Optional<String> appServiceHeader = read.environment("IDENTITY_HEADER");
    if (appServiceEndpoint.isPresent() && appServiceHeader.isPresent()) {
      Optional<URI> url = environmentUrl(appServiceEndpoint.get());
      if (url.isEmpty()) {
        read.problem(m.line(), path, "the IDENTITY_ENDPOINT environment variable is not an http(s) URL (value not shown)");
        return Optional.empty();
      }
      return Optional.of(
          new ManagedIdentityCredentials(
              ManagedIdentityCredentials.Protocol.APP_SERVICE, url.get(), appServiceHeader, userAssigned, resource));
    }
    return Optional.of(ManagedIdentityCredentials.imds(ManagedIdentityCredentials.IMDS_ENDPOINT, userAssigned, resource));
  }

  /** At most one of clientId, objectId and resourceId; empty for the system-assigned identity. */
  private Optional<UserAssigned> userAssigned(YamlNode.Mapping m, String path) {
    List<Value> ids = new ArrayList<>();
    for (String key : List.of("clientId", "objectId", "resourceId")) {
      read.scalar(m, key, path).ifPresent(ids::add);
    }
    if (ids.size() > 1) {
      ids.sort(Comparator.comparingInt(Value::line));
      read.problem(
          ids.get(1).line(), ids.get(1).path(), "set only one of clientId, objectId or resourceId (they name one identity)");
      return Optional.empty();
    }
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    Value id = ids.getFirst();
    IdKind kind = USER_ASSIGNED_KEYS.get(id.path().substring(id.path().lastIndexOf('.') + 1));
    return read.nonBlank(id).map(text -> new UserAssigned(kind, text));
  }

  private Optional<WorkloadIdentityCredentials> workloadIdentity(YamlNode.Mapping m, String path) {
    read.checkKeys(m, path, WORKLOAD_IDENTITY_KEYS);
    String webhook = ", as the AKS workload identity webhook does";
    Optional<String> tenantId = tenantId(m, path, webhook);
    Optional<String> clientId = withDefault(m, "clientId", path, "AZURE_CLIENT_ID", webhook);
    Optional<Path> tokenFile;
    if (ScalarReader.present(m, "tokenFile")) {
      tokenFile = read.scalar(m, "tokenFile", path).flatMap(read::path);
    } else {
      Optional<String> fromEnv = read.environment("AZURE_FEDERATED_TOKEN_FILE");
      tokenFile = fromEnv.flatMap(AzureIdentityBinder::environmentPath);
      if (tokenFile.isEmpty()) {
        read.problem(
            m.line(),
            ConfigBinder.child(path, "tokenFile"),
            fromEnv.isEmpty()
                ? "is required (or set the AZURE_FEDERATED_TOKEN_FILE environment variable" + webhook + ")"
                : "the AZURE_FEDERATED_TOKEN_FILE environment variable is not a file path (value not shown)");
      }
    }
    Optional<URI> authorityHost = authorityHost(m, path);
    String scope = scope(m, path);
    if (tenantId.isEmpty() || clientId.isEmpty() || tokenFile.isEmpty() || authorityHost.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new WorkloadIdentityCredentials(
            AzureIdentity.tokenUrl(authorityHost.get(), tenantId.get()), clientId.get(), tokenFile.get(), scope));
  }

  private Optional<ClientCertificateCredentials> clientCertificate(YamlNode.Mapping m, String path) {
    read.checkKeys(m, path, CLIENT_CERTIFICATE_KEYS);
    Optional<String> tenantId = tenantId(m, path, "");
    Optional<String> clientId = withDefault(m, "clientId", path, "AZURE_CLIENT_ID", "");
    Optional<Path> certificate = read.requiredScalar(m, "certificate", path).flatMap(read::path);
    Optional<String> password = Optional.empty();
    if (ScalarReader.present(m, "password")) {
      password = read.scalar(m, "password", path).flatMap(v -> read.secret(v, 0));
    }
    Optional<URI> authorityHost = authorityHost(m, path);
    String scope = scope(m, path);
    if (tenantId.isEmpty() || clientId.isEmpty() || certificate.isEmpty() || authorityHost.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new ClientCertificateCredentials(
            AzureIdentity.tokenUrl(authorityHost.get(), tenantId.get()), clientId.get(), certificate.get(), password, scope));
  }

  /** {@code tenantId}, else {@code AZURE_TENANT_ID}; a GUID or domain either way. */
  private Optional<String> tenantId(YamlNode.Mapping m, String path, String hint) {
    Optional<String> tenant = withDefault(m, "tenantId", path, "AZURE_TENANT_ID", hint);
    if (tenant.isPresent() && !BackendAuthBinder.TENANT.matcher(tenant.get()).matches()) {
      Optional<Value> written = read.scalar(m, "tenantId", path);
      String shown = written.map(Value::shown).orElse("the AZURE_TENANT_ID environment variable (value not shown)");
      read.problem(
          written.map(Value::line).orElse(m.line()),
          ConfigBinder.child(path, "tenantId"),
          "must be a tenant id: a GUID or a domain like contoso.onmicrosoft.com, got " + shown);
      return Optional.empty();
    }
    return tenant;
  }

  /** A non-blank setting, else the environment variable {@code envName}, else "is required". */
  private Optional<String> withDefault(YamlNode.Mapping m, String key, String path, String envName, String hint) {
    if (ScalarReader.present(m, key)) {
      return read.scalar(m, key, path).flatMap(read::nonBlank);
    }
    Optional<String> fromEnv = read.environment(envName);
    if (fromEnv.isEmpty()) {
      read.problem(m.line(), ConfigBinder.child(path, key), "is required (or set the " + envName + " environment variable" + hint + ")");
    }
    return fromEnv;
  }

  /** {@code authorityHost}, else {@code AZURE_AUTHORITY_HOST}, else the public cloud. No query. */
  private Optional<URI> authorityHost(YamlNode.Mapping m, String path) {
    if (ScalarReader.present(m, "authorityHost")) {
      Optional<Value> v = read.scalar(m, "authorityHost", path);
      Optional<URI> url = v.flatMap(read::httpUrl);
      if (url.isPresent() && url.get().getRawQuery() != null) {
        read.problem(v.get().line(), v.get().path(), "must not have a query: the tenant and token path are appended to it");
        return Optional.empty();
      }
      return url;
    }
    Optional<String> fromEnv = read.environment("AZURE_AUTHORITY_HOST");
    if (fromEnv.isEmpty()) {
      return Optional.of(AzureIdentity.DEFAULT_AUTHORITY_HOST);
    }
    Optional<URI> url = environmentUrl(fromEnv.get()).filter(u -> u.getRawQuery() == null);
    if (url.isEmpty()) {
      read.problem(
          m.line(),
          ConfigBinder.child(path, "authorityHost"),
          "the AZURE_AUTHORITY_HOST environment variable is not an http(s) URL without a query (value not shown)");
    }
    return url;
  }

  private String scope(YamlNode.Mapping m, String path) {
    return read.scalar(m, "scope", path).flatMap(read::nonBlank).orElse(EntraCredentials.COGNITIVE_SERVICES_SCOPE);
  }

  /** An absolute http(s) URL with a host and no user info, or empty; never echoed. */
  private static Optional<URI> environmentUrl(String text) {
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      boolean ok = (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null && uri.getRawUserInfo() == null;
      return ok ? Optional.of(uri) : Optional.empty();
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  private static Optional<Path> environmentPath(String text) {
    try {
      return Optional.of(Path.of(text));
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
  }
}
