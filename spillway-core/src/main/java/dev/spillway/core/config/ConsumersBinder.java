package dev.spillway.core.config;

import dev.spillway.core.config.ScalarReader.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds the {@code consumers:} list to {@link ConsumerConfig}s. Its own class because consumers
 * carry rules that span entries and sections: unique ids, a JWT subject naming one consumer only,
 * and model globs that must match a configured model (a typo there silently locks a team out).
 * Remembers what {@link AuthBinder} needs for its cross-checks. One instance per load; not
 * thread-safe.
 */
final class ConsumersBinder {
  /** Where one consumer set {@code jwtSubjects}: line and key path. */
  record Located(int line, String path) {}

  private final ScalarReader read;
  private final List<PolicySettingsBinder> policyBinders;
  private final SpillRightsBinder spillRights;
  private int declared;
  private final List<Located> jwtSubjectKeys = new ArrayList<>();

  ConsumersBinder(ScalarReader read, List<PolicySettingsBinder> policyBinders, SpillRightsBinder spillRights) {
    this.read = read;
    this.policyBinders = policyBinders;
    this.spillRights = spillRights;
  }

  /** How many entries the file lists under {@code consumers}, bound cleanly or not. */
  int declared() {
    return declared;
  }

  /** Every {@code consumers[i].jwtSubjects} key that was set, in file order. */
  List<Located> jwtSubjectKeys() {
    return List.copyOf(jwtSubjectKeys);
  }

  /**
   * The consumers that bound cleanly, in file order.
   *
   * @param modelNames every model name the file declares (bound or not), or empty when {@code
   *     models} itself is malformed (then globs are not checked against it)
   */
  List<ConsumerConfig> bind(YamlNode.Mapping root, Optional<Set<String>> modelNames) {
    List<ConsumerConfig> consumers = new ArrayList<>();
    YamlNode.Entry entry = root.entries().get("consumers");
    if (entry == null || ScalarReader.isNull(entry.value())) {
      return consumers;
    }
    if (!(entry.value() instanceof YamlNode.Sequence items)) {
      read.problem(
          entry.keyLine(), "consumers", "must be a list of consumers (- id: ...), got " + entry.value().kind());
      return consumers;
    }
    declared = items.items().size();
    Map<String, Value> ids = new HashMap<>();
    Map<String, Value> subjects = new HashMap<>();
    for (int i = 0; i < items.items().size(); i++) {
      consumer(items.items().get(i), "consumers[" + i + "]", modelNames, ids, subjects).ifPresent(consumers::add);
    }
    return consumers;
  }

  private Optional<ConsumerConfig> consumer(
      YamlNode node,
      String path,
      Optional<Set<String>> modelNames,
      Map<String, Value> ids,
      Map<String, Value> subjects) {
    YamlNode.Mapping m = read.mapping(node, path, "a mapping with id, team and models").orElse(null);
    if (m == null) {
      return Optional.empty();
    }
    int before = read.problemCount();
    List<String> allowed = new java.util.ArrayList<>(ConfigBinder.CONSUMER_KEYS);
    policyBinders.forEach(b -> allowed.add(b.key()));
    read.checkKeys(m, path, allowed);
    Optional<Value> idValue = read.requiredScalar(m, "id", path);
    Optional<String> id = idValue.flatMap(read::nonBlank);
    id.ifPresent(name -> unique(ids, name, idValue.get(), "consumer id", ""));
    Optional<String> team = read.requiredScalar(m, "team", path).flatMap(read::nonBlank);
    List<String> models = models(m, path, id.orElse(path), modelNames);
    PriorityClass priorityClass =
        read.scalar(m, "priorityClass", path)
            .flatMap(v -> read.choice(v, PriorityClass.values(), PriorityClass::id))
            .orElse(PriorityClass.STANDARD);
    List<String> jwtSubjects = new ArrayList<>();
    if (ScalarReader.present(m, "jwtSubjects")) {
      jwtSubjectKeys.add(new Located(m.entries().get("jwtSubjects").keyLine(), ConfigBinder.child(path, "jwtSubjects")));
      for (Value subject : read.list(m, "jwtSubjects", path, "claim values").orElse(List.of())) {
        String text = subject.text().strip();
        unique(subjects, text, subject, "JWT subject", " (a subject must name one consumer)");
        jwtSubjects.add(text);
      }
    }
    LimitSettings limits =
        read.section(m, "limits", path)
            .map(l -> new LimitsBinder(read).bindConsumer(l, ConfigBinder.child(path, "limits")))
            .orElse(LimitSettings.NONE);
    PolicySettings policySettings = SettingsSection.bindAll(read, m, path, policyBinders);
    SpillRights rights = spillRights.bindConsumer(m, path, id.orElse(path));
    if (read.problemCount() != before || id.isEmpty() || team.isEmpty()) {
      return Optional.empty();
    }
    return read.build(
        m.line(), path,
        () -> new ConsumerConfig(id.get(), team.get(), models, priorityClass, jwtSubjects, limits, policySettings, rights));
  }

  /** Required, non-empty; each glob must match at least one declared model. */
  private List<String> models(YamlNode.Mapping m, String path, String consumer, Optional<Set<String>> modelNames) {
    String modelsPath = ConfigBinder.child(path, "models");
    if (!ScalarReader.present(m, "models")) {
      YamlNode.Entry entry = m.entries().get("models");
      read.problem(
          entry == null ? m.line() : entry.keyLine(),
          modelsPath,
          "is required: the models this consumer may use, for example [gpt-4o, \"text-embedding-*\"] or [\"*\"]");
      return List.of();
    }
    List<Value> globs = read.list(m, "models", path, "model names or globs").orElse(null);
    if (globs == null) {
      return List.of();
    }
    if (globs.isEmpty()) {
      read.problem(m.entries().get("models").keyLine(), modelsPath, "must list at least one model or glob");
      return List.of();
    }
    List<String> models = new ArrayList<>();
    for (Value glob : globs) {
      String text = glob.text().strip();
      if (modelNames.isPresent() && modelNames.get().stream().noneMatch(name -> ConsumerConfig.globMatches(text, name))) {
        read.problem(
            glob.line(),
            glob.path(),
            "consumer "
                + consumer
                + ": "
                + glob.shown()
                + " matches no model under models (known: "
                + known(modelNames.get())
                + ")");
      }
      models.add(text);
    }
    return models;
  }

  /** The first few model names, for a message. */
  private static String known(Set<String> names) {
    List<String> first = names.stream().limit(10).toList();
    return String.join(", ", first) + (names.size() > first.size() ? ", ..." : "");
  }

  /** Reports {@code key} when an earlier entry already used it. */
  private void unique(Map<String, Value> seen, String key, Value at, String what, String why) {
    Value first = seen.putIfAbsent(key, at);
    if (first != null) {
      read.problem(
          at.line(),
          at.path(),
          "duplicate " + what + " " + at.shown() + why + "; first used at " + first.path() + ", line " + first.line());
    }
  }
}
