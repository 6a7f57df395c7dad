package dev.spillway.core.config;

import dev.spillway.core.config.ScalarReader.Value;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds a backend's {@code auth:} mapping to {@link BackendAuth}: exactly one of {@code apiKey},
 * {@code apiKeyFile}, {@code entra}, or an Azure identity ({@code managedIdentity}, {@code
 * workloadIdentity}, {@code clientCertificate}, bound by {@link AzureIdentityBinder}). Its own class because it holds most of the file's secrets:
 * no message written here ever contains a key or a client secret. One instance per load; not
 * thread-safe.
 */
final class BackendAuthBinder {
  static final List<String> KINDS =
      List.of("apiKey", "apiKeyFile", "entra", "managedIdentity", "workloadIdentity", "clientCertificate");
  /** The kinds that may be written with no value: everything in them has a default. */
  private static final List<String> KINDS_WITHOUT_SETTINGS = List.of("managedIdentity", "workloadIdentity");
  private static final String ONE_OF = "apiKey, apiKeyFile, entra, managedIdentity, workloadIdentity or clientCertificate";
  /** A tenant GUID or a verified domain such as {@code contoso.onmicrosoft.com}: safe inside a URL path. */
  static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");

  private final ScalarReader read;
  private final AzureIdentityBinder identities;

  BackendAuthBinder(ScalarReader read) {
    this.read = read;
    this.identities = new AzureIdentityBinder(read);
  }

  /** The credential; {@link BackendAuth#NONE} when anything in it was wrong (problems reported). */
  BackendAuth bind(YamlNode.Mapping m, String path) {
    int before = read.problemCount();
    read.checkKeys(m, path, ConfigBinder.BACKEND_AUTH_KEYS);
    List<String> kinds = new ArrayList<>();
    for (String kind : KINDS) {
      if (ScalarReader.present(m, kind) || (KINDS_WITHOUT_SETTINGS.contains(kind) && m.entries().containsKey(kind))) {
        kinds.add(kind);
      }
    }
    if (kinds.size() > 1) {
      kinds.sort(Comparator.comparingInt(kind -> m.entries().get(kind).keyLine()));
      String second = kinds.get(1);
      String all = String.join(", ", kinds.subList(0, kinds.size() - 1)) + " and " + kinds.getLast();
      read.problem(
          m.entries().get(second).keyLine(),
          ConfigBinder.child(path, second),
          "set only one of " + ONE_OF + "; this auth sets " + all);
      return BackendAuth.NONE;
    }
    if (kinds.isEmpty()) {
      if (read.problemCount() == before) {
        read.problem(m.line(), path, "needs one of " + ONE_OF + "; remove auth to send no credential");
      }
      return BackendAuth.NONE;
    }
    Optional<String> apiKey = Optional.empty();
    Optional<Path> apiKeyFile = Optional.empty();
    Optional<EntraCredentials> entra = Optional.empty();
    Optional<AzureIdentity> identity = Optional.empty();
    String kind = kinds.getFirst();
    switch (kind) {
      case "apiKey" -> {
        Optional<Value> key = read.scalar(m, "apiKey", path);
        if (key.isPresent() && key.get().text().isBlank()) {
          read.problem(key.get().line(), key.get().path(), "is empty; remove auth to send no key");
        } else {
          apiKey = key.map(v -> v.text().strip());
        }
      }
      case "apiKeyFile" -> apiKeyFile = read.scalar(m, "apiKeyFile", path).flatMap(read::path);
      case "entra" -> entra = read.section(m, "entra", path).flatMap(e -> entra(e, ConfigBinder.child(path, "entra")));
      default -> identity = identities.bind(kind, m.entries().get(kind), ConfigBinder.child(path, kind));
    }
    if (read.problemCount() != before) {
      return BackendAuth.NONE;
    }
    return new BackendAuth(apiKey, apiKeyFile, entra, identity);
  }

  /** Exactly one of tenantId or tokenUrl; clientId and clientSecret required; scope defaulted. */
  private Optional<EntraCredentials> entra(YamlNode.Mapping m, String path) {
    int before = read.problemCount();
    read.checkKeys(m, path, ConfigBinder.ENTRA_KEYS);
    Optional<Value> tenantId = read.scalar(m, "tenantId", path);
    Optional<Value> tokenUrlText = read.scalar(m, "tokenUrl", path);
    Optional<URI> tokenUrl = Optional.empty();
    if (tenantId.isPresent() && tokenUrlText.isPresent()) {
      Value second = tenantId.get().line() > tokenUrlText.get().line() ? tenantId.get() : tokenUrlText.get();
      read.problem(second.line(), second.path(), "set either tenantId or tokenUrl, not both");
    } else if (tenantId.isPresent()) {
      Value v = tenantId.get();
      tokenUrl =
          read.nonBlank(v)
              .filter(
                  t ->
                      read.positive(
                          v,
                          TENANT.matcher(t).matches(),
                          "must be a tenant id: a GUID or a domain like contoso.onmicrosoft.com"))
              .map(EntraCredentials::tokenUrlForTenant);
    } else if (tokenUrlText.isPresent()) {
      tokenUrl = read.httpUrl(tokenUrlText.get());
    } else if (read.problemCount() == before) {
      read.problem(
          m.line(),
          path,
          "needs tenantId (the Entra tenant GUID or domain) or tokenUrl (the full OAuth 2.0 token endpoint)");
    }
    Optional<String> clientId = read.requiredScalar(m, "clientId", path).flatMap(read::nonBlank);
    Optional<String> clientSecret = read.requiredScalar(m, "clientSecret", path).flatMap(v -> read.secret(v, 0));
    String scope =
        read.scalar(m, "scope", path).flatMap(read::nonBlank).orElse(EntraCredentials.COGNITIVE_SERVICES_SCOPE);
    if (read.problemCount() != before || tokenUrl.isEmpty() || clientId.isEmpty() || clientSecret.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new EntraCredentials(tokenUrl.get(), clientId.get(), clientSecret.get(), scope));
  }
}
