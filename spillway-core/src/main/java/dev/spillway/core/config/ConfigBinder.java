package dev.spillway.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Binds a {@link YamlNode} tree to {@link SpillwayConfig}, collecting every problem instead of
 * stopping at the first. One instance per load; not thread-safe.
 *
 * <p>Each reader below reports its own problem and returns empty, so a bad value never also causes
 * a misleading "is required". Records are only built when their part of the tree had no problem.
 * Values are echoed in messages only when they were written literally in the file (never when they
 * came from the environment) and never for {@code auth}.
 */
final class ConfigBinder {
  static final List<String> ROOT_KEYS = List.of("server", "routing", "models");
  static final List<String> SERVER_KEYS = List.of("listen", "maxBodyBytes");
  static final List<String> ROUTING_KEYS = List.of("defaultRetryAfter", "maxRetryAfter", "maxAttempts");
  static final List<String> MODEL_KEYS = List.of("strategy", "backends");
  static final List<String> BACKEND_KEYS =
      List.of(
          "id", "type", "url", "deployment", "model", "apiVersion", "auth", "tier", "priority",
          "weight", "region", "timeouts");
  static final List<String> AUTH_KEYS = List.of("apiKey");
  static final List<String> TIMEOUT_KEYS = List.of("connect", "firstByte", "idle", "total");

  private final String source;
  private final Function<String, String> env;
  private final List<ConfigProblem> problems;
  /** Backend id to the path and line that first used it. */
  private final Map<String, Value> backendIds = new HashMap<>();

  ConfigBinder(String source, Function<String, String> env, List<ConfigProblem> problems) {
    this.source = source;
    this.env = env;
    this.problems = problems;
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** A scalar after environment substitution, with where it came from. */
  record Value(String text, int line, String path, String raw, boolean fromEnv) {
    /** The value quoted for a message, or a placeholder when it came from the environment. */
    String shown() {
      String quoted = fromEnv ? raw : text;
      if (quoted.length() > 80) {
        quoted = quoted.substring(0, 77) + "...";
      }
      return "\"" + quoted + "\"" + (fromEnv ? " (after ${...} substitution; value not shown)" : "");
    }
  }

  /** The config, or null when any problem was found (the caller throws). */
  SpillwayConfig bind(Optional<YamlNode> document) {
    if (document.isEmpty()) {
      if (problems.isEmpty()) {
        problem(0, "", "the file is empty; at least one model under models: is required");
      }
      return null;
    }
    YamlNode.Mapping root = mapping(document.get(), "", "a mapping with server, routing and models").orElse(null);
    if (root == null) {
      return null;
    }
    checkKeys(root, "", ROOT_KEYS);
    ServerConfig server = section(root, "server").map(this::server).orElse(ServerConfig.DEFAULTS);
    RoutingConfig routing = section(root, "routing").map(this::routing).orElse(RoutingConfig.DEFAULTS);
    Map<String, ModelConfig> models = models(root);
    return problems.isEmpty() ? new SpillwayConfig(server, routing, models) : null;
  }

  // ---- sections ----

  private ServerConfig server(YamlNode.Mapping m) {
    checkKeys(m, "server", SERVER_KEYS);
    ListenAddress listen =
        scalar(m, "listen", "server")
            .flatMap(v -> convert(v, ListenAddress::parse))
            .orElse(new ListenAddress(ServerConfig.DEFAULTS.host(), ServerConfig.DEFAULTS.port()));
    long maxBodyBytes =
        scalar(m, "maxBodyBytes", "server")
            .flatMap(v -> convert(v, Sizes::parse).filter(n -> positive(v, n > 0, "must be at least 1 byte")))
            .orElse(ServerConfig.DEFAULTS.maxBodyBytes());
    return new ServerConfig(listen.host(), listen.port(), Math.max(1, maxBodyBytes));
  }

  private RoutingConfig routing(YamlNode.Mapping m) {
    checkKeys(m, "routing", ROUTING_KEYS);
    RoutingConfig d = RoutingConfig.DEFAULTS;
    Optional<Value> defaultText = scalar(m, "defaultRetryAfter", "routing");
    Optional<Value> maxText = scalar(m, "maxRetryAfter", "routing");
    Optional<Duration> def = defaultText.flatMap(this::positiveDuration);
    Optional<Duration> max = maxText.flatMap(this::positiveDuration);
    Duration defaultRetryAfter = def.orElse(d.defaultRetryAfter());
    Duration maxRetryAfter = max.orElse(d.maxRetryAfter());
    boolean bothUsable = def.isPresent() == defaultText.isPresent() && max.isPresent() == maxText.isPresent();
    if (bothUsable && maxRetryAfter.compareTo(defaultRetryAfter) < 0) {
      Value at = maxText.or(() -> defaultText).orElseThrow();
      problem(
          at.line(),
          "routing.maxRetryAfter",
          "must be at least routing.defaultRetryAfter ("
              + Durations.format(defaultRetryAfter)
              + "), got "
              + Durations.format(maxRetryAfter)
              + (max.isPresent() ? "" : " (the default)"));
    }
    int maxAttempts =
        scalar(m, "maxAttempts", "routing").flatMap(v -> integer(v, 0, Integer.MAX_VALUE)).orElse(d.maxAttempts());
    return new RoutingConfig(defaultRetryAfter, maxRetryAfter, maxAttempts);
  }

  private Map<String, ModelConfig> models(YamlNode.Mapping root) {
    Map<String, ModelConfig> models = new LinkedHashMap<>();
    YamlNode.Entry entry = root.entries().get("models");
    if (entry == null || isNull(entry.value())) {
      problem(
          entry == null ? root.line() : entry.keyLine(),
          "models",
          "at least one model is required, for example models: { gpt-4o: { backends: [...] } }");
      return models;
    }
    Optional<YamlNode.Mapping> section = mapping(entry.value(), "models", "a mapping of model name to model");
    if (section.isEmpty()) {
      return models;
    }
    if (section.get().entries().isEmpty()) {
      problem(entry.keyLine(), "models", "at least one model is required");
    }
    for (YamlNode.Entry model : section.get().entries().values()) {
      String path = child("models", model.key());
      int before = problems.size();
      if (model.key().isBlank()) {
        problem(model.keyLine(), path, "a model name must not be empty");
      } else if (model.key().chars().anyMatch(c -> c == '/' || Character.isWhitespace(c))) {
        problem(model.keyLine(), path, "a model name must not contain '/' or whitespace");
      }
      ModelConfig config = model(model, path);
      if (config != null && problems.size() == before) {
        models.put(model.key(), config);
      }
    }
    return models;
  }

  private ModelConfig model(YamlNode.Entry entry, String path) {
    YamlNode.Mapping m = mapping(entry.value(), path, "a mapping with strategy and backends").orElse(null);
    if (m == null) {
      return null;
    }
    int before = problems.size();
    checkKeys(m, path, MODEL_KEYS);
    RoutingStrategy strategy =
        scalar(m, "strategy", path).flatMap(v -> choice(v, RoutingStrategy.values(), RoutingStrategy::id))
            .orElse(RoutingStrategy.PRIORITY);
    List<BackendConfig> backends = new ArrayList<>();
    String backendsPath = child(path, "backends");
    YamlNode.Entry list = m.entries().get("backends");
    if (list == null || isNull(list.value())) {
      problem(list == null ? m.line() : list.keyLine(), backendsPath, "is required: a list of at least one backend");
    } else if (!(list.value() instanceof YamlNode.Sequence items)) {
      problem(list.value().line(), backendsPath, "must be a list of backends (- id: ...), got " + list.value().kind());
    } else if (items.items().isEmpty()) {
      problem(list.keyLine(), backendsPath, "must list at least one backend");
    } else {
      for (int i = 0; i < items.items().size(); i++) {
        BackendConfig backend = backend(items.items().get(i), backendsPath + "[" + i + "]", entry.key());
        if (backend != null) {
          backends.add(backend);
        }
      }
    }
    return problems.size() == before ? new ModelConfig(entry.key(), strategy, backends) : null;
  }

  private BackendConfig backend(YamlNode node, String path, String modelName) {
    YamlNode.Mapping m = mapping(node, path, "a mapping with id, url, tier, ...").orElse(null);
    if (m == null) {
      return null;
    }
    int before = problems.size();
    checkKeys(m, path, BACKEND_KEYS);

    Optional<Value> idValue = requiredScalar(m, "id", path);
    String id = idValue.flatMap(this::nonBlank).orElse(null);
    if (id != null) {
      Value first = backendIds.putIfAbsent(id, idValue.get());
      if (first != null) {
        problem(
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
        scalar(m, "type", path).flatMap(v -> choice(v, BackendType.values(), BackendType::id)).orElse(BackendType.AZURE);
    URI url = requiredScalar(m, "url", path).flatMap(this::url).orElse(null);

    Optional<Value> deployment = scalar(m, "deployment", path);
    Optional<Value> model = scalar(m, "model", path);
    if (deployment.isPresent() && model.isPresent()) {
      problem(model.get().line(), model.get().path(), "set either deployment or model, not both");
    }
    String deploymentName = deployment.or(() -> model).flatMap(this::nonBlank).orElse(null);
    if (!present(m, "deployment") && !present(m, "model")) {
      if (type == BackendType.AZURE) {
        problem(m.line(), child(path, "deployment"), "is required for type azure (the Azure deployment name)");
      } else {
        deploymentName = modelName;
      }
    }

    Optional<Value> apiVersionValue = scalar(m, "apiVersion", path);
    if (apiVersionValue.isPresent() && type != BackendType.AZURE) {
      problem(apiVersionValue.get().line(), apiVersionValue.get().path(), "only applies to type azure");
    }
    String apiVersion = apiVersionValue.flatMap(this::nonBlank).orElse(BackendConfig.DEFAULT_API_VERSION);

    BackendAuth auth = section(m, "auth", path).map(a -> auth(a, child(path, "auth"))).orElse(BackendAuth.NONE);
    Tier tier =
        requiredScalar(m, "tier", path).flatMap(v -> choice(v, Tier.values(), Tier::id)).orElse(null);
    int priority = scalar(m, "priority", path).flatMap(v -> integer(v, 1, Integer.MAX_VALUE)).orElse(1);
    int weight = scalar(m, "weight", path).flatMap(v -> integer(v, 1, Integer.MAX_VALUE)).orElse(1);
    String region = scalar(m, "region", path).map(Value::text).map(String::strip).orElse("");
    BackendTimeouts timeouts =
        section(m, "timeouts", path).map(t -> timeouts(t, child(path, "timeouts"))).orElse(BackendTimeouts.DEFAULTS);

    if (problems.size() != before || id == null || url == null || deploymentName == null || tier == null) {
      return null;
    }
    return new BackendConfig(
        id, type, url, deploymentName, apiVersion, auth, tier, priority, weight, region, timeouts);
  }

  /** Never echoes the key, whatever is wrong with it. */
  private BackendAuth auth(YamlNode.Mapping m, String path) {
    checkKeys(m, path, AUTH_KEYS);
    Optional<Value> key = scalar(m, "apiKey", path);
    if (key.isPresent() && key.get().text().isBlank()) {
      problem(key.get().line(), key.get().path(), "is empty; remove auth to send no key");
      return BackendAuth.NONE;
    }
    return key.map(v -> BackendAuth.apiKey(v.text().strip())).orElse(BackendAuth.NONE);
  }

  private BackendTimeouts timeouts(YamlNode.Mapping m, String path) {
    checkKeys(m, path, TIMEOUT_KEYS);
    BackendTimeouts d = BackendTimeouts.DEFAULTS;
    return new BackendTimeouts(
        scalar(m, "connect", path).flatMap(this::positiveDuration).orElse(d.connect()),
        scalar(m, "firstByte", path).flatMap(this::positiveDuration).orElse(d.firstByte()),
        scalar(m, "idle", path).flatMap(this::positiveDuration).orElse(d.idle()),
        scalar(m, "total", path).flatMap(this::positiveDuration).orElse(d.total()));
  }

  // ---- value readers: each reports its own problem and returns empty ----

  private Optional<URI> url(Value v) {
    String text = v.text().strip();
    String shown = v.fromEnv() ? v.shown() : "\"" + redactUrl(text) + "\"";
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      problem(v.line(), v.path(), "must be an absolute http(s) URL, got " + shown);
      return Optional.empty();
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      problem(v.line(), v.path(), "must be an absolute http(s) URL, got " + shown);
      return Optional.empty();
    }
    if (uri.getRawUserInfo() != null) {
      problem(v.line(), v.path(), "must not contain credentials (user@host); put the key under auth.apiKey");
      return Optional.empty();
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      problem(v.line(), v.path(), "must not have a query or fragment (api-version has its own key)");
      return Optional.empty();
    }
    String normalized = text;
    while (normalized.endsWith("/")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    return Optional.of(URI.create(normalized));
  }

  /** Drops anything that may be a credential: user info and the query. */
  private static String redactUrl(String text) {
    String shown = text;
    int query = shown.indexOf('?');
    if (query >= 0) {
      shown = shown.substring(0, query) + "?...";
    }
    int at = shown.indexOf('@');
    if (at >= 0) {
      int scheme = shown.indexOf("://");
      shown = (scheme >= 0 && scheme < at ? shown.substring(0, scheme + 3) : "") + "...@" + shown.substring(at + 1);
    }
    return shown;
  }

  private Optional<Duration> positiveDuration(Value v) {
    return convert(v, Durations::parse)
        .filter(d -> positive(v, !d.isZero(), "must be a positive duration like 250ms, 10s, 2m, 1h or 1m30s"));
  }

  private Optional<Integer> integer(Value v, int min, int max) {
    String text = v.text().strip();
    String expected =
        max == Integer.MAX_VALUE ? "a whole number >= " + min : "a whole number " + min + ".." + max;
    if (!text.matches("[+-]?\\d{1,10}")) {
      problem(v.line(), v.path(), "must be " + expected + ", got " + v.shown());
      return Optional.empty();
    }
    long n = Long.parseLong(text);
    if (n < min || n > max) {
      problem(v.line(), v.path(), "must be " + expected + ", got " + v.shown());
      return Optional.empty();
    }
    return Optional.of((int) n);
  }

  private <E> Optional<E> choice(Value v, E[] options, Function<E, String> idOf) {
    String wanted = v.text().strip();
    for (E option : options) {
      if (idOf.apply(option).equalsIgnoreCase(wanted)) {
        return Optional.of(option);
      }
    }
    List<String> ids = java.util.Arrays.stream(options).map(idOf).toList();
    problem(v.line(), v.path(), "must be one of " + String.join(", ", ids) + ", got " + v.shown());
    return Optional.empty();
  }

  private Optional<String> nonBlank(Value v) {
    if (v.text().isBlank()) {
      problem(v.line(), v.path(), "must not be empty");
      return Optional.empty();
    }
    return Optional.of(v.text().strip());
  }

  /** Applies a parser whose {@link IllegalArgumentException} message says what is expected. */
  private <T> Optional<T> convert(Value v, Function<String, T> parser) {
    try {
      return Optional.of(parser.apply(v.text()));
    } catch (IllegalArgumentException e) {
      problem(v.line(), v.path(), e.getMessage() + ", got " + v.shown());
      return Optional.empty();
    }
  }

  private boolean positive(Value v, boolean ok, String message) {
    if (!ok) {
      problem(v.line(), v.path(), message + ", got " + v.shown());
    }
    return ok;
  }

  // ---- tree access ----

  /** A present, non-null scalar after ${...} substitution; problems reported for anything else. */
  private Optional<Value> scalar(YamlNode.Mapping m, String key, String parentPath) {
    YamlNode.Entry entry = m.entries().get(key);
    if (entry == null || isNull(entry.value())) {
      return Optional.empty();
    }
    String path = child(parentPath, key);
    if (!(entry.value() instanceof YamlNode.Scalar scalar)) {
      problem(entry.keyLine(), path, "must be a single value, got " + entry.value().kind());
      return Optional.empty();
    }
    EnvSubstitution.Result expanded = EnvSubstitution.expand(scalar.text(), env);
    if (expanded.malformed()) {
      problem(scalar.line(), path, "has a malformed ${...} reference; use ${NAME} or ${NAME:-default}");
      return Optional.empty();
    }
    if (!expanded.missing().isEmpty()) {
      for (String name : expanded.missing()) {
        problem(
            scalar.line(),
            path,
            "environment variable " + name + " is not set (set it, or write ${" + name + ":-default})");
      }
      return Optional.empty();
    }
    return Optional.of(new Value(expanded.value(), scalar.line(), path, scalar.text(), expanded.substituted()));
  }

  /** Like {@link #scalar} but reports "is required" when the key is absent or empty. */
  private Optional<Value> requiredScalar(YamlNode.Mapping m, String key, String parentPath) {
    if (!present(m, key)) {
      YamlNode.Entry entry = m.entries().get(key);
      problem(entry == null ? m.line() : entry.keyLine(), child(parentPath, key), "is required");
      return Optional.empty();
    }
    return scalar(m, key, parentPath);
  }

  private Optional<YamlNode.Mapping> section(YamlNode.Mapping m, String key) {
    return section(m, key, "");
  }

  /** A nested mapping; absent or null means "use the defaults". */
  private Optional<YamlNode.Mapping> section(YamlNode.Mapping m, String key, String parentPath) {
    YamlNode.Entry entry = m.entries().get(key);
    if (entry == null || isNull(entry.value())) {
      return Optional.empty();
    }
    return mapping(entry.value(), child(parentPath, key), "a mapping");
  }

  private Optional<YamlNode.Mapping> mapping(YamlNode node, String path, String expected) {
    if (node instanceof YamlNode.Mapping m) {
      return Optional.of(m);
    }
    problem(node.line(), path, "must be " + expected + ", got " + node.kind());
    return Optional.empty();
  }

  private void checkKeys(YamlNode.Mapping m, String path, List<String> allowed) {
    for (YamlNode.Entry entry : m.entries().values()) {
      if (allowed.contains(entry.key())) {
        continue;
      }
      String message =
          KeySuggestions.nearest(entry.key(), allowed)
              .map(s -> "unknown key; did you mean " + s + "?")
              .orElse("unknown key (expected one of " + String.join(", ", allowed) + ")");
      problem(entry.keyLine(), child(path, entry.key()), message);
    }
  }

  private static boolean present(YamlNode.Mapping m, String key) {
    YamlNode.Entry entry = m.entries().get(key);
    return entry != null && !isNull(entry.value());
  }

  private static boolean isNull(YamlNode node) {
    return node instanceof YamlNode.Scalar s && s.text() == null;
  }

  private void problem(int line, String path, String message) {
    problems.add(new ConfigProblem(source, line, path, message));
  }
}
