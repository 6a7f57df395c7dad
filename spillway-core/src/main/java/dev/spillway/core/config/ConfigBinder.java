package dev.spillway.core.config;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Binds a {@link YamlNode} tree to {@link SpillwayConfig}, collecting every problem instead of
 * stopping at the first; {@link ConfigLoader} calls it. One instance per load; not thread-safe.
 *
 * <p>It walks only the root: each section has its own binder ({@link ServerBinder}, {@link
 * RoutingBinder}, {@link ModelsBinder} with {@link BackendBinder} and {@link BackendAuthBinder},
 * {@link ConsumersBinder}, {@link SpillRightsBinder} for consumers' and teams' PAYG rights, {@link
 * AuthBinder} with {@link JwtIssuerBinder}, {@link AdminBinder}, {@link LimitsBinder}, {@link
 * ObjectsBinder}), all reporting through one shared {@link ScalarReader}, which also says how
 * values are read, how paths resolve and when values are echoed. Sections are bound in an order that
 * lets later ones check against earlier ones (consumers against models, auth against consumers, admin
 * against server and auth, objects' Redis against limits', PAYG budgets against costs). Records are only built when their part of the tree had no problem; secrets
 * (keys, the pepper, client secrets) are never echoed. The key lists below are every key the file
 * may contain, in one place.
 */
final class ConfigBinder {
  static final List<String> ROOT_KEYS =
      List.of(
          "server", "routing", "models", "consumers", "teams", "auth", "admin", "limits", "objects", "ledger", "costs", "plan",
          "telemetry", "pipeline", "store");
  static final List<String> SERVER_KEYS =
      List.of(
          "listen", "maxBodyBytes", "maxHeaderBytes", "maxMessages", "requestTimeout", "idleTimeout", "tls",
          "upstreamConnections", "drainDelay", "drainTimeout");
  static final List<String> TLS_KEYS = List.of("certFile", "keyFile");
  static final List<String> ROUTING_KEYS =
      List.of("defaultRetryAfter", "maxRetryAfter", "maxAttempts", "requestDeadline", "breaker", "shared", "sharedKeyPrefix",
          "authHold");
  static final List<String> BREAKER_KEYS =
      List.of(
          "enabled", "failureThreshold", "failureRatePercent", "minimumCalls", "window", "tripDuration",
          "acceptRetryAfter", "halfOpenProbes", "failureStatuses", "maxEjectedPercent");
  static final List<String> MODEL_KEYS =
      List.of(
          "strategy",
          "groupStrategy",
          "maxWaitForPtu",
          "ptuWait",
          "reserveForCritical",
          "ptuDemandWindow",
          "maxPtuWaiters", "predictiveSpill", "affinity", "backends");
  static final List<String> PREDICTIVE_SPILL_KEYS = List.of("enabled", "ptuUtilizationPercent", "paygRemainingTokens");
  static final List<String> AFFINITY_KEYS = List.of("header", "cookie");
  static final List<String> BACKEND_TLS_KEYS = List.of("certFile", "keyFile", "caFile");

  static final List<String> BACKEND_KEYS =
      List.of(
          "id", "type", "url", "deployment", "model", "apiVersion", "auth", "tier", "priority",
          "weight", "region", "timeouts", "tls", "capacity", "azureSpillover", "http2");
  static final List<String> BACKEND_AUTH_KEYS = BackendAuthBinder.KINDS;
  static final List<String> ENTRA_KEYS = List.of("tenantId", "tokenUrl", "clientId", "clientSecret", "scope");
  static final List<String> CONSUMER_KEYS =
      List.of("id", "team", "models", "priorityClass", "jwtSubjects", "limits", "payg", "paygBudget");
  static final List<String> AUTH_KEYS = List.of("required", "keyStore", "keyPepper", "jwt");
  static final List<String> JWT_KEYS =
      List.of(
          "issuer", "audiences", "jwksUrl", "jwksFile", "algorithms", "consumerClaim", "clockSkew",
          "jwksMinRefreshInterval", "jwksMaxAge");
  static final List<String> ADMIN_KEYS = List.of("apiKey", "jwtRole", "listen", "metricsAccess");
  static final List<String> TIMEOUT_KEYS = List.of("connect", "firstByte", "idle", "total");

  private final ScalarReader read;
  private final String source;
  /** The directory of the embedded default ledger, when a config without {@code ledger:} gets one. */
  private final Optional<Path> embeddedLedger;
  /** Pipeline policies' own sections ({@code maxTokens}, ...), found on the class path. */
  private final List<PolicySettingsBinder> policyBinders = SettingsSection.binders();

  /**
   * @param baseDirectory the config file's directory for relative paths; empty when the text came
   *     from no file (relative paths then stay relative to the working directory)
   */
  ConfigBinder(
      String source, Function<String, String> env, List<ConfigProblem> problems, Optional<Path> baseDirectory) {
    this(source, env, problems, baseDirectory, false);
  }

  /**
   * @param embeddedLedger whether a config without {@code ledger:} records usage to the embedded SQLite ledger next to
   *     it ({@link LedgerConfig#embedded}): true for a config file read by the gateway's commands, false for text
   */
  ConfigBinder(String source, Function<String, String> env, List<ConfigProblem> problems,
      Optional<Path> baseDirectory, boolean embeddedLedger) {
    this.read = new ScalarReader(source, env, problems, baseDirectory);
    this.source = source;
    this.embeddedLedger = embeddedLedger && baseDirectory.isPresent() ? baseDirectory : Optional.empty();
  }

  /**
   * {@code ledger:}: a section, {@code off}, or absent (the embedded default next to a config file, else off).
   */
  private LedgerConfig ledger(YamlNode.Mapping root) {
    YamlNode.Entry entry = root.entries().get("ledger");
    if (entry != null && entry.value() instanceof YamlNode.Scalar) {
      read.scalar(root, "ledger", "").filter(v -> !v.text().strip().equalsIgnoreCase("off"))
          .ifPresent(v -> read.problem(v.line(), "ledger", "must be a mapping or off, got " + v.shown()));
      return LedgerConfig.OFF;
    }
    return read.section(root, "ledger").map(l -> new LedgerBinder(read).bind(l))
        .orElseGet(() -> embeddedLedger.map(LedgerConfig::embedded).orElse(LedgerConfig.OFF));
  }

  /** The dotted key path of {@code key} under {@code path} ("" is the root). */
  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  /** The config, or null when any problem was found (the caller throws). */
  SpillwayConfig bind(Optional<YamlNode> document) {
    if (document.isEmpty()) {
      if (read.problemCount() == 0) {
        read.problem(0, "", "the file is empty; at least one model under models: is required");
      }
      return null;
    }
    YamlNode.Mapping root =
        read.mapping(document.get(), "", "a mapping with server, routing, models, ...").orElse(null);
    if (root == null) {
      return null;
    }
    read.checkKeys(root, "", withPolicyKeys(ROOT_KEYS));
    ServerBinder serverBinder = new ServerBinder(read);
    ServerConfig server = read.section(root, "server").map(serverBinder::bind).orElse(ServerConfig.DEFAULTS);
    RoutingBinder routingBinder = new RoutingBinder(read);
    RoutingConfig routing = read.section(root, "routing").map(routingBinder::bind).orElse(RoutingConfig.DEFAULTS);
    Map<String, ModelConfig> models = new ModelsBinder(read, routingBinder.requestDeadline()).bind(root);
    SpillRightsBinder spillRightsBinder = new SpillRightsBinder(read);
    ConsumersBinder consumersBinder = new ConsumersBinder(read, policyBinders, spillRightsBinder);
    List<ConsumerConfig> consumers = consumersBinder.bind(root, declaredModelNames(root));
    Map<String, TeamConfig> teams = spillRightsBinder.bindTeams(root);
    AuthBinder authBinder = new AuthBinder(read);
    AuthConfig auth = authBinder.bind(root, consumersBinder);
    AdminConfig admin =
        read.section(root, "admin")
            .map(a -> new AdminBinder(read).bind(a, serverBinder.listen(), authBinder.issuersDeclared()))
            .orElse(AdminConfig.LOOPBACK_ONLY);
    LimitsConfig limits =
        read.section(root, "limits").map(l -> new LimitsBinder(read).bindStore(l)).orElse(LimitsConfig.DEFAULTS);
    routingBinder.checkShared(limits);
    ObjectsConfig objects =
        read.section(root, "objects")
            .map(o -> new ObjectsBinder(read).bind(o, writtenRedisUrl(root, limits)))
            .orElse(ObjectsConfig.DEFAULTS);
    LedgerConfig ledger = ledger(root);
    StoreConfig store = new StoreBinder(read).bind(root, ledger);
    CostsConfig costs = read.section(root, "costs").map(c -> new CostsBinder(read).bind(c, root)).orElse(CostsConfig.NONE);
    spillRightsBinder.checkPrices(models, consumers, costs);
    PlanConfig plan = read.section(root, "plan")
        .map(p -> new PlanBinder(read).bind(p, declaredModelNames(root).orElse(Set.of())))
        .orElse(PlanConfig.DEFAULTS);
    TelemetryConfig telemetry =
        read.section(root, "telemetry").map(t -> new TelemetryBinder(read).bind(t)).orElse(TelemetryConfig.DEFAULTS);
    PipelineConfig pipeline = pipeline(root);
    PolicySettings policySettings = SettingsSection.bindAll(read, root, "", policyBinders);
    return read.problemCount() == 0
        ? new SpillwayConfig(
            server, routing, models, consumers, teams, auth, admin, limits, objects, ledger, costs, plan, telemetry,
            pipeline, policySettings, store)
        : null;
  }

  /** {@code limits.redisUrl} when the file writes it; empty when it is left at its default (or limits is absent). */
  private static Optional<String> writtenRedisUrl(YamlNode.Mapping root, LimitsConfig limits) {
    YamlNode.Entry entry = root.entries().get("limits");
    boolean written = entry != null && entry.value() instanceof YamlNode.Mapping m && ScalarReader.present(m, "redisUrl");
    return written ? Optional.of(limits.redisUrl()) : Optional.empty();
  }

  /** The root or consumer keys plus every policy section's key. */
  List<String> withPolicyKeys(List<String> keys) {
    List<String> all = new java.util.ArrayList<>(keys);
    policyBinders.forEach(b -> all.add(b.key()));
    return all;
  }

  /** {@code pipeline:} as a list of stage names with their lines; the gateway checks the names when it assembles it. */
  private PipelineConfig pipeline(YamlNode.Mapping root) {
    Optional<List<ScalarReader.Value>> names = read.list(root, "pipeline", "", "stage names");
    if (names.isEmpty()) {
      return PipelineConfig.DEFAULT;
    }
    if (names.get().isEmpty()) {
      read.problem(root.entries().get("pipeline").keyLine(), "pipeline", "must name at least the terminal stage (forward)");
      return PipelineConfig.DEFAULT;
    }
    return new PipelineConfig(
        source, names.get().stream().map(v -> new PipelineConfig.Stage(v.text().strip(), v.line())).toList());
  }

  /**
   * Every model name under {@code models}, whether its model bound cleanly or not (so a broken
   * model does not also make every consumer glob for it "match nothing"); empty when {@code models}
   * is not a mapping.
   */
  private static Optional<Set<String>> declaredModelNames(YamlNode.Mapping root) {
    YamlNode.Entry entry = root.entries().get("models");
    if (entry == null || !(entry.value() instanceof YamlNode.Mapping models)) {
      return Optional.empty();
    }
    return Optional.of(new LinkedHashSet<>(models.entries().keySet()));
  }
}
