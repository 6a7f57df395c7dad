package dev.spillway.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.spillway.core.config.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Binds simulator YAML to {@link SimulatorConfig}. Every problem — unknown key, wrong type, invalid
 * value — becomes a {@link SimulatorConfigException} naming the source, line and dotted key; the
 * {@code contentFilter} and {@code contentSafety} sections are read by {@link SafetyConfigReader} with
 * the scalar readers here. Stateless; one call per document.
 */
final class SimulatorConfigReader {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static final Set<String> ROOT_KEYS =
      Set.of("host", "port", "seed", "zeroLatency", "retryAfterMs", "apiKey", "timing", "deployments", "contentFilter",
          "contentSafety");
  private static final Set<String> TIMING_KEYS =
      Set.of("ttftBase", "ttftPerPromptToken", "outputTokensPerSecond", "ptuBurst");
  private static final Set<String> DEPLOYMENT_KEYS = Set.of("name", "kind", "tier",
      "capacityTokensPerMinute", "tokensPerMinute", "requestsPerMinute", "embeddingDimensions", "faults",
      "spilloverDeployment", "promptCache", "model");
  private static final Set<String> FAULT_KEYS = Set.of("probability", "kinds");

  private final String source;
  private final YamlLineIndex lines;

  private SimulatorConfigReader(String source, YamlLineIndex lines) {
    this.source = source;
    this.lines = lines;
  }

  static SimulatorConfig read(String yaml, String source) {
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new SimulatorConfigException(source, line, "", "not valid YAML: " + e.getOriginalMessage(), e);
    }
    return new SimulatorConfigReader(source, YamlLineIndex.of(yaml)).config(new Node(root, "", ""));
  }

  private SimulatorConfig config(Node root) {
    if (root.json == null || root.json.isMissingNode() || root.json.isNull()) {
      throw fail(root, "the document is empty; expected a mapping with 'deployments'");
    }
    keys(root, ROOT_KEYS);
    SimulatorConfig.Builder b = SimulatorConfig.builder();
    root.opt("host").ifPresent(n -> b.host(text(n)));
    root.opt("port").ifPresent(n -> b.port((int) integer(n, 0, 65_535)));
    root.opt("seed").ifPresent(n -> b.seed(integer(n, Long.MIN_VALUE, Long.MAX_VALUE)));
    root.opt("zeroLatency").ifPresent(n -> b.zeroLatency(bool(n)));
    root.opt("retryAfterMs").ifPresent(n -> b.retryAfterMs(bool(n)));
    root.opt("apiKey").ifPresent(n -> b.apiKey(text(n)));
    root.opt("timing").ifPresent(n -> b.timing(timing(n)));
    SafetyConfigReader safety = new SafetyConfigReader(this);
    root.opt("contentFilter").ifPresent(n -> b.contentFilter(safety.contentFilter(n)));
    root.opt("contentSafety").ifPresent(n -> b.contentSafety(safety.contentSafety(n)));
    Node list = root.opt("deployments").orElseThrow(() -> fail(root, "missing key 'deployments'"));
    if (!list.json.isArray() || list.json.isEmpty()) {
      throw fail(list, "expected a non-empty list of deployments");
    }
    List<String> seen = new ArrayList<>();
    List<DeploymentConfig> read = new ArrayList<>();
    for (int i = 0; i < list.json.size(); i++) {
      Node item = list.element(i);
      DeploymentConfig d = deployment(item);
      if (seen.contains(d.name())) {
        throw fail(item.child("name"), "deployment name '" + d.name() + "' is used twice");
      }
      seen.add(d.name());
      read.add(d);
      b.deployment(d);
    }
    for (int i = 0; i < read.size(); i++) {
      Optional<String> problem = SimulatorConfig.spilloverProblem(read.get(i), read);
      if (problem.isPresent()) {
        throw fail(list.element(i).child("spilloverDeployment"), problem.get());
      }
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new SimulatorConfigException(source, 0, "", e.getMessage(), e);
    }
  }

  private Timing timing(Node node) {
    keys(node, TIMING_KEYS);
    Timing t = Timing.defaults();
    Optional<Node> n;
    if ((n = node.opt("ttftBase")).isPresent()) {
      t = t.withTtftBase(duration(n.get()));
    }
    if ((n = node.opt("ttftPerPromptToken")).isPresent()) {
      t = t.withTtftPerPromptToken(duration(n.get()));
    }
    if ((n = node.opt("outputTokensPerSecond")).isPresent()) {
      double tps = number(n.get());
      if (!(tps > 0)) {
        throw fail(n.get(), "must be a positive number, got " + n.get().json.asText());
      }
      t = t.withOutputTokensPerSecond(tps);
    }
    if ((n = node.opt("ptuBurst")).isPresent()) {
      Duration burst = duration(n.get());
      if (burst.isZero()) {
        throw fail(n.get(), "must be positive");
      }
      t = t.withPtuBurst(burst);
    }
    return t;
  }

  private DeploymentConfig deployment(Node node) {
    keys(node, DEPLOYMENT_KEYS);
    String name = text(node.opt("name").orElseThrow(() -> fail(node, "missing key 'name'")));
    DeploymentKind kind = node.opt("kind").map(n -> choice(n, DeploymentKind.class)).orElse(DeploymentKind.CHAT);
    Tier tier = choice(node.opt("tier").orElseThrow(() -> fail(node, "missing key 'tier' (ptu or payg)")), Tier.class);
    long capacity = node.opt("capacityTokensPerMinute").map(n -> integer(n, 1, Long.MAX_VALUE)).orElse(0L);
    long tpm = node.opt("tokensPerMinute").map(n -> integer(n, 0, Long.MAX_VALUE)).orElse(0L);
    long rpm = node.opt("requestsPerMinute").map(n -> integer(n, 0, Long.MAX_VALUE)).orElse(0L);
    int dims = node.opt("embeddingDimensions").map(n -> (int) integer(n, 1, 65_536))
        .orElse(DeploymentConfig.DEFAULT_EMBEDDING_DIMENSIONS);
    FaultConfig faults = node.opt("faults").map(this::faults).orElse(FaultConfig.NONE);
    Optional<String> spillover = node.opt("spilloverDeployment").map(this::text);
    boolean promptCache = node.opt("promptCache").map(this::bool).orElse(false);
    Optional<String> model = node.opt("model").map(this::text);
    if (spillover.isPresent() && tier != Tier.PTU) {
      throw fail(node.child("spilloverDeployment"),
          "applies to ptu deployments only: a payg deployment has nothing to spill from");
    }
    if (tier == Tier.PTU && capacity == 0) {
      throw fail(node, "missing key 'capacityTokensPerMinute' (required for a ptu deployment)");
    }
    if (tier == Tier.PTU && (tpm != 0 || rpm != 0)) {
      throw fail(node.child(tpm != 0 ? "tokensPerMinute" : "requestsPerMinute"),
          "applies to payg deployments only; a ptu deployment has capacityTokensPerMinute");
    }
    if (tier == Tier.PAYG && capacity != 0) {
      throw fail(node.child("capacityTokensPerMinute"),
          "applies to ptu deployments only; a payg deployment has tokensPerMinute / requestsPerMinute");
    }
    try {
      return new DeploymentConfig(name, kind, tier, capacity, tpm, rpm, dims, faults, spillover, promptCache, model);
    } catch (IllegalArgumentException e) {
      throw fail(node, e.getMessage());
    }
  }

  FaultConfig faults(Node node) {
    keys(node, FAULT_KEYS);
    double probability = node.opt("probability").map(this::number).orElse(0d);
    if (!(probability >= 0 && probability <= 1)) {
      throw fail(node.child("probability"), "must be between 0 and 1, got " + probability);
    }
    List<FaultKind> kinds = new ArrayList<>();
    Optional<Node> list = node.opt("kinds");
    if (list.isPresent()) {
      if (!list.get().json.isArray()) {
        throw fail(list.get(), "expected a list such as [500, reset]");
      }
      for (int i = 0; i < list.get().json.size(); i++) {
        Node item = list.get().element(i);
        kinds.add(FaultKind.fromId(item.json.asText()).orElseThrow(() -> fail(item,
            "unknown fault '" + item.json.asText() + "'; expected one of "
                + Arrays.stream(FaultKind.values()).map(FaultKind::id).toList())));
      }
    }
    if (probability > 0 && kinds.isEmpty()) {
      throw fail(node, "missing key 'kinds' (which faults to inject when probability > 0)");
    }
    return new FaultConfig(probability, kinds);
  }

  void keys(Node node, Set<String> allowed) {
    if (!node.json.isObject()) {
      throw fail(node, "expected a mapping with keys " + new TreeSet<>(allowed));
    }
    for (Iterator<String> it = node.json.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!allowed.contains(key)) {
        throw fail(node.child(key), "unknown key; expected one of " + new TreeSet<>(allowed));
      }
    }
  }

  String text(Node n) {
    if (!n.json.isValueNode() || n.json.isNull() || n.json.asText().isBlank()) {
      throw fail(n, "expected a non-empty string");
    }
    return n.json.asText();
  }

  boolean bool(Node n) {
    if (!n.json.isBoolean()) {
      throw fail(n, "expected true or false, got '" + n.json.asText() + "'");
    }
    return n.json.booleanValue();
  }

  long integer(Node n, long min, long max) {
    long value;
    if (n.json.isIntegralNumber() && n.json.canConvertToLong()) {
      value = n.json.longValue();
    } else if (n.json.isTextual() && n.json.asText().matches("-?[0-9][0-9_]*")) {
      value = Long.parseLong(n.json.asText().replace("_", ""));
    } else {
      throw fail(n, "expected a whole number, got '" + n.json.asText() + "'");
    }
    if (value < min || value > max) {
      throw fail(n, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  double number(Node n) {
    if (!n.json.isNumber()) {
      throw fail(n, "expected a number, got '" + n.json.asText() + "'");
    }
    return n.json.doubleValue();
  }

  Duration duration(Node n) {
    try {
      if (n.json.isTextual()) {
        return dev.spillway.core.config.Durations.parse(n.json.asText());
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw fail(n, "expected a duration such as 150ms, 0.2ms or 10s, got '" + n.json.asText() + "'");
  }

  private <E extends Enum<E>> E choice(Node n, Class<E> type) {
    List<String> ids = Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
    String value = n.json.asText().strip().toLowerCase(Locale.ROOT);
    if (!n.json.isTextual() || !ids.contains(value)) {
      throw fail(n, "expected one of " + ids + ", got '" + n.json.asText() + "'");
    }
    return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
  }

  SimulatorConfigException fail(Node n, String problem) {
    return new SimulatorConfigException(source, lines.lineOf(n.pointer), n.key, problem, null);
  }

  /** A YAML node with its dotted key ({@code deployments[1].tier}) and JSON pointer. */
  record Node(JsonNode json, String key, String pointer) {
    Optional<Node> opt(String name) {
      JsonNode child = json.get(name);
      return child == null || child.isNull() ? Optional.empty() : Optional.of(child(name));
    }

    Node child(String name) {
      JsonNode child = json.get(name);
      return new Node(child == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : child,
          key.isEmpty() ? name : key + "." + name, pointer + "/" + name);
    }

    Node element(int index) {
      return new Node(json.get(index), key + "[" + index + "]", pointer + "/" + index);
    }
  }
}
