package dev.spillway.simulator;

import dev.spillway.simulator.SimulatorConfigReader.Node;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code contentFilter} and {@code contentSafety} sections of simulator YAML (keys documented in {@code
 * examples/sim.yaml}), failing with the key and line through the {@link SimulatorConfigReader} it serves.
 *
 * <p>A category of {@code contentFilter} is a list of terms, or a mapping with {@code severity} (the default of its
 * terms, {@code high} when absent) and {@code terms}; a term is a string, or a mapping with {@code term}, {@code
 * severity} and {@code stage} ({@code prompt}, the default, or {@code completion}). The key is {@code stage} rather
 * than {@code on}, which YAML 1.1 reads as a boolean.
 */
final class SafetyConfigReader {
  private static final Set<String> FILTER_KEYS = Set.of("blockAt", "hate", "sexual", "violence", "self_harm",
      "jailbreak");
  private static final Set<String> CATEGORY_KEYS = Set.of("severity", "terms");
  private static final Set<String> TERM_KEYS = Set.of("term", "severity", "stage");
  private static final Set<String> SAFETY_KEYS = Set.of("apiKey", "latency", "faults", "blocklists");

  private final SimulatorConfigReader base;

  SafetyConfigReader(SimulatorConfigReader base) {
    this.base = base;
  }

  ContentFilterConfig contentFilter(Node node) {
    base.keys(node, FILTER_KEYS);
    FilterSeverity blockAt = node.opt("blockAt").map(this::severity).orElse(FilterSeverity.MEDIUM);
    if (!blockAt.reaches(FilterSeverity.LOW)) {
      throw base.fail(node.child("blockAt"), "must be low, medium or high; 'safe' would filter everything");
    }
    List<TriggerTerm> terms = new ArrayList<>();
    for (Iterator<String> it = node.json().fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!key.equals("blockAt") && node.opt(key).isPresent()) {
        FilterCategory category = FilterCategory.fromId(key).orElseThrow();
        terms.addAll(category(node.child(key), category));
      }
    }
    return new ContentFilterConfig(blockAt, terms);
  }

  ContentSafetyConfig contentSafety(Node node) {
    base.keys(node, SAFETY_KEYS);
    ContentSafetyConfig config = ContentSafetyConfig.DEFAULTS;
    Optional<Node> n;
    if ((n = node.opt("apiKey")).isPresent()) {
      config = config.withApiKey(base.text(n.get()));
    }
    if ((n = node.opt("latency")).isPresent()) {
      config = config.withLatency(base.duration(n.get()));
    }
    if ((n = node.opt("faults")).isPresent()) {
      FaultConfig faults = base.faults(n.get());
      if (faults.kinds().contains(FaultKind.CONTENT_FILTER)) {
        throw base.fail(n.get().child("kinds"), "content_filter does not apply to Content Safety");
      }
      config = config.withFaults(faults);
    }
    if ((n = node.opt("blocklists")).isPresent()) {
      config = blocklists(n.get(), config);
    }
    return config;
  }

  private ContentSafetyConfig blocklists(Node node, ContentSafetyConfig config) {
    if (!node.json().isObject()) {
      throw base.fail(node, "expected a mapping of blocklist name to a list of items");
    }
    Map<String, List<String>> lists = new LinkedHashMap<>();
    for (Iterator<String> it = node.json().fieldNames(); it.hasNext(); ) {
      String name = it.next();
      Node list = node.child(name);
      if (!list.json().isArray()) {
        throw base.fail(list, "expected a list of items such as [forbidden, words]");
      }
      List<String> items = new ArrayList<>();
      for (int i = 0; i < list.json().size(); i++) {
        items.add(base.text(list.element(i)));
      }
      lists.put(name, items);
    }
    ContentSafetyConfig result = config;
    for (Map.Entry<String, List<String>> e : lists.entrySet()) {
      try {
        result = result.withBlocklist(e.getKey(), e.getValue().toArray(String[]::new));
      } catch (IllegalArgumentException bad) {
        throw base.fail(node.child(e.getKey()), bad.getMessage());
      }
    }
    return result;
  }

  private List<TriggerTerm> category(Node node, FilterCategory category) {
    Node list = node;
    FilterSeverity severity = FilterSeverity.HIGH;
    if (node.json().isObject()) {
      base.keys(node, CATEGORY_KEYS);
      if (node.opt("severity").isPresent()) {
        if (!category.rated()) {
          throw base.fail(node.child("severity"), "a jailbreak is detected or not; it has no severity");
        }
        severity = severity(node.child("severity"));
      }
      list = node.opt("terms").orElseThrow(() -> base.fail(node, "missing key 'terms'"));
    }
    if (!list.json().isArray()) {
      throw base.fail(list, "expected a list of terms, or a mapping with 'severity' and 'terms'");
    }
    List<TriggerTerm> terms = new ArrayList<>();
    for (int i = 0; i < list.json().size(); i++) {
      terms.add(term(list.element(i), category, severity));
    }
    return terms;
  }

  private TriggerTerm term(Node node, FilterCategory category, FilterSeverity categorySeverity) {
    if (!node.json().isObject()) {
      return new TriggerTerm(category, base.text(node), categorySeverity, TriggerTerm.Stage.PROMPT);
    }
    base.keys(node, TERM_KEYS);
    String term = base.text(node.opt("term").orElseThrow(() -> base.fail(node, "missing key 'term'")));
    if (!category.rated()) {
      for (String key : List.of("severity", "stage")) {
        if (node.opt(key).isPresent()) {
          throw base.fail(node.child(key), "a jailbreak term is detected in prompts only; it takes no " + key);
        }
      }
    }
    FilterSeverity severity = node.opt("severity").map(this::severity).orElse(categorySeverity);
    TriggerTerm.Stage stage = node.opt("stage").map(this::stage).orElse(TriggerTerm.Stage.PROMPT);
    return new TriggerTerm(category, term, severity, stage);
  }

  private FilterSeverity severity(Node n) {
    return FilterSeverity.parse(n.json().asText()).filter(s -> n.json().isValueNode()).orElseThrow(() -> base.fail(n,
        "expected safe, low, medium, high or a level 0 to 7, got '" + n.json().asText() + "'"));
  }

  private TriggerTerm.Stage stage(Node n) {
    String value = n.json().asText().strip().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "prompt" -> TriggerTerm.Stage.PROMPT;
      case "completion" -> TriggerTerm.Stage.COMPLETION;
      default -> throw base.fail(n, "expected prompt or completion, got '" + n.json().asText() + "'");
    };
  }
}
