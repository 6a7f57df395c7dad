package dev.spillway.core.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Binds a {@link YamlNode} tree to {@link SpillwayConfig}, collecting every problem instead of
 * stopping at the first; {@link ConfigLoader} calls it. One instance per load; not thread-safe.
 *
 * <p>It walks only the root: each section has its own binder ({@link ServerBinder}, {@link
 * RoutingBinder}, {@link ModelsBinder} with {@link BackendBinder}), all reporting through one shared
 * {@link ScalarReader}, which also says how values are read and when they are echoed. Records are
 * only built when their part of the tree had no problem; values are never echoed for {@code auth}.
 * The key lists below are every key the file may contain, in one place.
 */
final class ConfigBinder {
  static final List<String> ROOT_KEYS = List.of("server", "routing", "models");
  static final List<String> SERVER_KEYS = List.of("listen", "maxBodyBytes");
  static final List<String> ROUTING_KEYS =
      List.of("defaultRetryAfter", "maxRetryAfter", "maxAttempts", "requestDeadline", "breaker");
  static final List<String> BREAKER_KEYS =
      List.of(
          "enabled", "failureThreshold", "failureRatePercent", "minimumCalls", "window", "tripDuration",
          "acceptRetryAfter", "halfOpenProbes", "failureStatuses");
  static final List<String> MODEL_KEYS =
      List.of(
          "strategy", "groupStrategy", "maxWaitForPtu", "maxPtuWaiters", "predictiveSpill", "affinity", "backends");
  static final List<String> PREDICTIVE_SPILL_KEYS = List.of("enabled", "ptuUtilizationPercent", "paygRemainingTokens");
  static final List<String> AFFINITY_KEYS = List.of("header", "cookie");
  static final List<String> BACKEND_KEYS =
      List.of(
          "id", "type", "url", "deployment", "model", "apiVersion", "auth", "tier", "priority",
          "weight", "region", "timeouts");
  static final List<String> AUTH_KEYS = List.of("apiKey");
  static final List<String> TIMEOUT_KEYS = List.of("connect", "firstByte", "idle", "total");

  private final ScalarReader read;

  ConfigBinder(String source, Function<String, String> env, List<ConfigProblem> problems) {
    this.read = new ScalarReader(source, env, problems);
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
    YamlNode.Mapping root = read.mapping(document.get(), "", "a mapping with server, routing and models").orElse(null);
    if (root == null) {
      return null;
    }
    read.checkKeys(root, "", ROOT_KEYS);
    ServerBinder serverBinder = new ServerBinder(read);
    ServerConfig server = read.section(root, "server").map(serverBinder::bind).orElse(ServerConfig.DEFAULTS);
    RoutingBinder routingBinder = new RoutingBinder(read);
    RoutingConfig routing = read.section(root, "routing").map(routingBinder::bind).orElse(RoutingConfig.DEFAULTS);
    Map<String, ModelConfig> models = new ModelsBinder(read, routingBinder.requestDeadline()).bind(root);
    return read.problemCount() == 0 ? new SpillwayConfig(server, routing, models) : null;
  }
}
