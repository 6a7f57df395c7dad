package dev.spillway.core.config;

import dev.spillway.core.config.ScalarReader.Value;
import java.net.URI;
import java.nio.file.Path;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Binds one entry of a model's {@code backends:} list, with its {@code timeouts} (and its {@code
 * auth} through {@link BackendAuthBinder}), to {@link BackendConfig}. Its own class because a backend carries the most rules (URL shape,
 * Azure-only keys, secrets that must never be echoed) and because backend ids must be unique across
 * all models, which needs one instance that sees every model of the load. Not thread-safe.
 */
final class BackendBinder {
  private final ScalarReader read;
  private final BackendAuthBinder authBinder;
  /** Backend id to the path and line that first used it. */
  private final Map<String, Value> backendIds = new HashMap<>();

  BackendBinder(ScalarReader read) {
    this.read = read;
    this.authBinder = new BackendAuthBinder(read);
  }

  /** The backend, or null when anything in it was wrong (problems reported). */
  BackendConfig bind(YamlNode node, String path, String modelName) {
    YamlNode.Mapping m = read.mapping(node, path, "a mapping with id, url, tier, ...").orElse(null);
    if (m == null) {
      return null;
    }
    int before = read.problemCount();
    read.checkKeys(m, path, ConfigBinder.BACKEND_KEYS);

    Optional<Value> idValue = read.requiredScalar(m, "id", path);
    String id = idValue.flatMap(read::nonBlank).orElse(null);
    if (id != null) {
      Value first = backendIds.putIfAbsent(id, idValue.get());
      if (first != null) {
        read.problem(
            idValue.get().line(),
            idValue.get().path(),
            "duplicate backend id "
                + idValue.get().shown()
                + "; ids must be unique across all models (first used at "
                + first.path()
                + ", line "
                + first.line()
                + ")");
      }
    }
    BackendType type =
        read.scalar(m, "type", path)
            .flatMap(v -> read.choice(v, BackendType.values(), BackendType::id))
            .orElse(BackendType.AZURE);
    URI url = read.requiredScalar(m, "url", path).flatMap(this::url).orElse(null);

    Optional<Value> deployment = read.scalar(m, "deployment", path);
    Optional<Value> model = read.scalar(m, "model", path);
    if (deployment.isPresent() && model.isPresent()) {
      read.problem(model.get().line(), model.get().path(), "set either deployment or model, not both");
    }
    String deploymentName = deployment.or(() -> model).flatMap(read::nonBlank).orElse(null);
    if (!ScalarReader.present(m, "deployment") && !ScalarReader.present(m, "model")) {
      if (type == BackendType.AZURE) {
        read.problem(
            m.line(), ConfigBinder.child(path, "deployment"), "is required for type azure (the Azure deployment name)");
      } else {
        deploymentName = modelName;
      }
    }

    Optional<Value> apiVersionValue = read.scalar(m, "apiVersion", path);
    if (apiVersionValue.isPresent() && type != BackendType.AZURE) {
      read.problem(apiVersionValue.get().line(), apiVersionValue.get().path(), "only applies to type azure");
    }
    String apiVersion = apiVersionValue.flatMap(read::nonBlank).orElse(BackendConfig.DEFAULT_API_VERSION);

    BackendAuth auth =
        read.section(m, "auth", path)
            .map(a -> authBinder.bind(a, ConfigBinder.child(path, "auth")))
            .orElse(BackendAuth.NONE);
    Tier tier =
        read.requiredScalar(m, "tier", path).flatMap(v -> read.choice(v, Tier.values(), Tier::id)).orElse(null);
    int priority = read.scalar(m, "priority", path).flatMap(v -> read.integer(v, 1, Integer.MAX_VALUE)).orElse(1);
    int weight = read.scalar(m, "weight", path).flatMap(v -> read.integer(v, 1, Integer.MAX_VALUE)).orElse(1);
    String region = read.scalar(m, "region", path).map(Value::text).map(String::strip).orElse("");
    BackendTimeouts timeouts =
        read.section(m, "timeouts", path)
            .map(t -> timeouts(t, ConfigBinder.child(path, "timeouts")))
            .orElse(BackendTimeouts.DEFAULTS);
    BackendTls tls =
        read.section(m, "tls", path)
            .map(t -> tls(t, ConfigBinder.child(path, "tls")))
            .orElse(BackendTls.DEFAULT);

    BackendCapacity capacity =
        read.section(m, "capacity", path)
            .map(c -> capacity(c, ConfigBinder.child(path, "capacity")))
            .orElse(BackendCapacity.UNDECLARED);

    Optional<Value> spilloverValue = read.scalar(m, "azureSpillover", path);
    Optional<String> azureSpillover = spilloverValue.flatMap(read::nonBlank);
    if (spilloverValue.isPresent() && (type != BackendType.AZURE || (tier != null && tier != Tier.PTU))) {
      read.problem(
          spilloverValue.get().line(),
          spilloverValue.get().path(),
          "only applies to a type: azure, tier: ptu backend (it names a standard deployment of the same resource that"
              + " Azure may spill this PTU's requests to)");
    }

    Http2Mode http2 = read.scalar(m, "http2", path).flatMap(v -> read.choice(v, Http2Mode.values(), Http2Mode::id))
        .orElse(Http2Mode.AUTO);

    if (read.problemCount() != before || id == null || url == null || deploymentName == null || tier == null) {
      return null;
    }
    return new BackendConfig(
        id, type, url, deploymentName, apiVersion, auth, tier, priority, weight, region, timeouts, tls, capacity,
        azureSpillover, http2);
  }

  /** The TPM/RPM the backend declares (its deployment's quota). */
  private BackendCapacity capacity(YamlNode.Mapping m, String path) {
    read.checkKeys(m, path, List.of("tokensPerMinute", "requestsPerMinute"));
    java.util.OptionalLong tpm = positive(m, "tokensPerMinute", path);
    java.util.OptionalLong rpm = positive(m, "requestsPerMinute", path);
    return new BackendCapacity(tpm, rpm);
  }

  private java.util.OptionalLong positive(YamlNode.Mapping m, String key, String path) {
    return read.scalar(m, key, path)
        .flatMap(v -> read.integer(v, 1, Integer.MAX_VALUE))
        .map(n -> java.util.OptionalLong.of(n))
        .orElse(java.util.OptionalLong.empty());
  }

  /** Client certificate and extra trust towards the backend; files must be readable at load. */
  private BackendTls tls(YamlNode.Mapping m, String path) {
    read.checkKeys(m, path, ConfigBinder.BACKEND_TLS_KEYS);
    Optional<Path> cert = read.scalar(m, "certFile", path).flatMap(read::readableFile);
    Optional<Path> key = read.scalar(m, "keyFile", path).flatMap(read::readableFile);
    Optional<Path> ca = read.scalar(m, "caFile", path).flatMap(read::readableFile);
    boolean certGiven = ScalarReader.present(m, "certFile");
    boolean keyGiven = ScalarReader.present(m, "keyFile");
    if (certGiven != keyGiven) {
      read.problem(m.line(), ConfigBinder.child(path, certGiven ? "keyFile" : "certFile"),
          "is required with " + (certGiven ? "certFile" : "keyFile") + " (a client certificate needs both)");
      return BackendTls.DEFAULT;
    }
    return new BackendTls(cert, key, ca);
  }

  private BackendTimeouts timeouts(YamlNode.Mapping m, String path) {
    read.checkKeys(m, path, ConfigBinder.TIMEOUT_KEYS);
    BackendTimeouts d = BackendTimeouts.DEFAULTS;
    return new BackendTimeouts(
        read.scalar(m, "connect", path).flatMap(read::positiveDuration).orElse(d.connect()),
        read.scalar(m, "firstByte", path).flatMap(read::positiveDuration).orElse(d.firstByte()),
        read.scalar(m, "idle", path).flatMap(read::positiveDuration).orElse(d.idle()),
        read.scalar(m, "total", path).flatMap(read::positiveDuration).orElse(d.total()));
  }

  private Optional<URI> url(Value v) {
    String text = v.text().strip();
    String shown = v.fromEnv() ? v.shown() : "\"" + ScalarReader.redactUrl(text) + "\"";
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      read.problem(v.line(), v.path(), "must be an absolute http(s) URL, got " + shown);
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      read.problem(v.line(), v.path(), "must be an absolute http(s) URL, got " + shown);
      return Optional.empty();
    }
    if (uri.getRawUserInfo() != null) {
      read.problem(v.line(), v.path(), "must not contain credentials (user@host); put the key under auth.apiKey");
      return Optional.empty();
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      read.problem(v.line(), v.path(), "must not have a query or fragment (api-version has its own key)");
      return Optional.empty();
    }
    String normalized = text;
    while (normalized.endsWith("/")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    return Optional.of(URI.create(normalized));
  }
}
