package dev.spillway.core.config;

import dev.spillway.core.config.ScalarReader.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Binds the {@code models:} section to a map of {@link ModelConfig}: each model's strategies, PTU
 * wait, {@code predictiveSpill} and {@code affinity}, with its backends bound by {@link
 * BackendBinder}. Its own class so the rules that span a model (a PTU wait needs a PTU backend and
 * must fit inside {@code routing.requestDeadline}) sit in one place. One instance per load; not
 * thread-safe.
 */
final class ModelsBinder {
  /** RFC 9110 token: what a header or cookie name may consist of. */
  private static final Pattern HTTP_TOKEN =
      Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final ScalarReader read;
  private final BackendBinder backends;
  /** routing.requestDeadline as bound, or empty when it was invalid (then nothing is checked against it). */
  private final Optional<Duration> requestDeadline;

  ModelsBinder(ScalarReader read, Optional<Duration> requestDeadline) {
    this.read = read;
    this.backends = new BackendBinder(read);
    this.requestDeadline = requestDeadline;
  }

  /** The models that bound cleanly, in file order; problems reported for the rest. */
  Map<String, ModelConfig> bind(YamlNode.Mapping root) {
    Map<String, ModelConfig> models = new LinkedHashMap<>();
    YamlNode.Entry entry = root.entries().get("models");
    if (entry == null || ScalarReader.isNull(entry.value())) {
      read.problem(
          entry == null ? root.line() : entry.keyLine(),
          "models",
          "at least one model is required, for example models: { gpt-4o: { backends: [...] } }");
      return models;
    }
    Optional<YamlNode.Mapping> section = read.mapping(entry.value(), "models", "a mapping of model name to model");
    if (section.isEmpty()) {
      return models;
    }
    if (section.get().entries().isEmpty()) {
      read.problem(entry.keyLine(), "models", "at least one model is required");
    }
    for (YamlNode.Entry model : section.get().entries().values()) {
      String path = ConfigBinder.child("models", model.key());
      int before = read.problemCount();
      if (model.key().isBlank()) {
        read.problem(model.keyLine(), path, "a model name must not be empty");
      } else if (model.key().chars().anyMatch(c -> c == '/' || Character.isWhitespace(c))) {
        read.problem(model.keyLine(), path, "a model name must not contain '/' or whitespace");
      }
      ModelConfig config = model(model, path);
      if (config != null && read.problemCount() == before) {
        models.put(model.key(), config);
      }
    }
    return models;
  }

  private ModelConfig model(YamlNode.Entry entry, String path) {
    YamlNode.Mapping m = read.mapping(entry.value(), path, "a mapping with strategy and backends").orElse(null);
    if (m == null) {
      return null;
    }
    int before = read.problemCount();
    read.checkKeys(m, path, ConfigBinder.MODEL_KEYS);
    Optional<Value> strategyText = read.scalar(m, "strategy", path);
    Optional<RoutingStrategy> chosen =
        strategyText.flatMap(v -> read.choice(v, RoutingStrategy.values(), RoutingStrategy::id));
    RoutingStrategy strategy = chosen.orElse(RoutingStrategy.PRIORITY);
    boolean strategyKnown = chosen.isPresent() == strategyText.isPresent();
    RoutingStrategy groupStrategy =
        read.scalar(m, "groupStrategy", path)
            .flatMap(v -> groupStrategy(v, strategyKnown ? Optional.of(strategy) : Optional.empty()))
            .orElse(RoutingStrategy.WEIGHTED);
    PtuStationBinder.Bound waiting = new PtuStationBinder(read).bind(m, path);
    Duration maxWaitForPtu = waiting.writtenLongest();
    int maxPtuWaiters =
        read.scalar(m, "maxPtuWaiters", path)
            .flatMap(v -> read.integer(v, 0, Integer.MAX_VALUE))
            .orElse(ModelConfig.DEFAULT_MAX_PTU_WAITERS);
    PredictiveSpill predictiveSpill =
        read.section(m, "predictiveSpill", path)
            .map(p -> predictiveSpill(p, ConfigBinder.child(path, "predictiveSpill")))
            .orElse(PredictiveSpill.OFF);
    Optional<SessionAffinity> affinity =
        read.section(m, "affinity", path).flatMap(a -> affinity(a, ConfigBinder.child(path, "affinity")));

    List<BackendConfig> bound = new ArrayList<>();
    boolean everyBackendBound = false;
    String backendsPath = ConfigBinder.child(path, "backends");
    YamlNode.Entry list = m.entries().get("backends");
    if (list == null || ScalarReader.isNull(list.value())) {
      read.problem(
          list == null ? m.line() : list.keyLine(), backendsPath, "is required: a list of at least one backend");
    } else if (!(list.value() instanceof YamlNode.Sequence items)) {
      read.problem(
          list.value().line(), backendsPath, "must be a list of backends (- id: ...), got " + list.value().kind());
    } else if (items.items().isEmpty()) {
      read.problem(list.keyLine(), backendsPath, "must list at least one backend");
    } else {
      for (int i = 0; i < items.items().size(); i++) {
        BackendConfig backend = backends.bind(items.items().get(i), backendsPath + "[" + i + "]", entry.key());
        if (backend != null) {
          bound.add(backend);
        }
      }
      everyBackendBound = bound.size() == items.items().size();
    }

    if (waiting.budgetLine() >= 0 && maxWaitForPtu.isPositive()) {
      if (everyBackendBound && bound.stream().noneMatch(b -> b.tier() == Tier.PTU)) {
        read.problem(
            waiting.budgetLine(),
            waiting.budgetPath(),
            "needs at least one tier: ptu backend in this model (it is how long to wait for PTU before spilling to"
                + " PAYG); remove it or add a PTU backend");
      } else if (requestDeadline.isPresent() && maxWaitForPtu.compareTo(requestDeadline.get()) >= 0) {
        read.problem(
            waiting.budgetLine(),
            waiting.budgetPath(),
            "must be shorter than routing.requestDeadline ("
                + Durations.format(requestDeadline.get())
                + "), or a request waiting for PTU runs out of time before it can spill to PAYG, got "
                + Durations.format(maxWaitForPtu));
      }
    }
    if (read.problemCount() != before) {
      return null;
    }
    return read.build(
            m.line(),
            path,
            () ->
                new ModelConfig(
                    entry.key(),
                    strategy,
                    groupStrategy,
                    bound,
                    waiting.station(),
                    maxPtuWaiters,
                    predictiveSpill,
                    affinity))
        .orElse(null);
  }

  /**
   * How to pick inside one priority group: any strategy but priority, and only meaningful under
   * strategy priority ({@code strategy} is empty when the model's own strategy was invalid).
   */
  private Optional<RoutingStrategy> groupStrategy(Value v, Optional<RoutingStrategy> strategy) {
    if (strategy.isPresent() && strategy.get() != RoutingStrategy.PRIORITY) {
      read.problem(
          v.line(),
          v.path(),
          "only applies to strategy: priority (this model uses strategy: " + strategy.get().id() + ")");
      return Optional.empty();
    }
    RoutingStrategy[] inGroup =
        Arrays.stream(RoutingStrategy.values())
            .filter(s -> s != RoutingStrategy.PRIORITY)
            .toArray(RoutingStrategy[]::new);
    if (v.text().strip().equalsIgnoreCase(RoutingStrategy.PRIORITY.id())) {
      read.problem(
          v.line(),
          v.path(),
          "cannot be priority (it picks inside one priority group); use one of "
              + String.join(", ", Arrays.stream(inGroup).map(RoutingStrategy::id).toList()));
      return Optional.empty();
    }
    return read.choice(v, inGroup, RoutingStrategy::id);
  }

  private PredictiveSpill predictiveSpill(YamlNode.Mapping m, String path) {
    read.checkKeys(m, path, ConfigBinder.PREDICTIVE_SPILL_KEYS);
    PredictiveSpill d = PredictiveSpill.OFF;
    boolean enabled = read.scalar(m, "enabled", path).flatMap(read::bool).orElse(d.enabled());
    double ptuUtilizationPercent =
        read.scalar(m, "ptuUtilizationPercent", path)
            .flatMap(this::utilizationPercent)
            .orElse(d.ptuUtilizationPercent());
    boolean paygRemainingTokens =
        read.scalar(m, "paygRemainingTokens", path).flatMap(read::bool).orElse(d.paygRemainingTokens());
    return read.build(m.line(), path, () -> new PredictiveSpill(enabled, ptuUtilizationPercent, paygRemainingTokens))
        .orElse(d);
  }

  /** In (0, 100]; decimals allowed. */
  private Optional<Double> utilizationPercent(Value v) {
    String expected = "a number above 0 and at most 100, like 95 or 97.5";
    return read.decimal(v, expected)
        .filter(percent -> read.positive(v, percent > 0 && percent <= 100, "must be " + expected));
  }

  /** Exactly one of {@code header} or {@code cookie}; empty (with a problem) otherwise. */
  private Optional<SessionAffinity> affinity(YamlNode.Mapping m, String path) {
    int before = read.problemCount();
    read.checkKeys(m, path, ConfigBinder.AFFINITY_KEYS);
    Optional<Value> header = read.scalar(m, "header", path);
    Optional<Value> cookie = read.scalar(m, "cookie", path);
    if (header.isPresent() && cookie.isPresent()) {
      Value second = header.get().line() > cookie.get().line() ? header.get() : cookie.get();
      read.problem(second.line(), second.path(), "set either header or cookie, not both");
      return Optional.empty();
    }
    if (header.isEmpty() && cookie.isEmpty()) {
      if (read.problemCount() == before) {
        read.problem(
            m.line(), path, "needs exactly one of header or cookie, for example affinity: { header: x-session-id }");
      }
      return Optional.empty();
    }
    SessionAffinity.Source source = header.isPresent() ? SessionAffinity.Source.HEADER : SessionAffinity.Source.COOKIE;
    Value v = header.or(() -> cookie).orElseThrow();
    return read.nonBlank(v)
        .filter(
            name ->
                read.positive(
                    v,
                    HTTP_TOKEN.matcher(name).matches(),
                    "must be a valid "
                        + (source == SessionAffinity.Source.HEADER ? "header" : "cookie")
                        + " name (letters, digits and !#$%&'*+-.^_`|~; no spaces, ':' or '=')"))
        .flatMap(name -> read.build(v.line(), v.path(), () -> new SessionAffinity(source, name)));
  }
}
