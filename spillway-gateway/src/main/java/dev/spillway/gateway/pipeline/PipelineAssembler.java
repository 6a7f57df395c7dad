package dev.spillway.gateway.pipeline;

import dev.spillway.core.config.ConfigException;
import dev.spillway.core.config.ConfigProblem;
import dev.spillway.core.config.PipelineConfig;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Builds the {@link Pipeline} from the {@code pipeline:} list, or from the default order when there is none, using the
 * stages registered as {@link PolicyFactory} services. Checks the list before building anything, and reports every
 * problem with its key and line: an unknown name (with the known ones), a stage twice, a stage before one it requires
 * (for example anything that needs the caller before {@code authenticate}), not exactly one terminal stage, a request
 * stage after the terminal one, a response-only stage before it.
 */
public final class PipelineAssembler {
  private final Map<String, PolicyFactory> factories;

  /** With every stage on the class path. */
  public PipelineAssembler() {
    this(ServiceLoader.load(PolicyFactory.class, PolicyFactory.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList());
  }

  public PipelineAssembler(List<PolicyFactory> available) {
    Map<String, PolicyFactory> byName = new LinkedHashMap<>();
    for (PolicyFactory f : available) {
      if (byName.putIfAbsent(f.name(), f) != null) {
        throw new IllegalStateException("two pipeline stages are named " + f.name());
      }
    }
    this.factories = byName;
  }

  /** Every registered stage. */
  public java.util.Collection<PolicyFactory> factories() {
    return java.util.Collections.unmodifiableCollection(factories.values());
  }

  /** The default pipeline's stage names: every stage with a non-negative default order, sorted by it. */
  public List<String> defaultNames() {
    return factories.values().stream()
        .filter(f -> f.defaultOrder() >= 0)
        .sorted(Comparator.comparingInt(PolicyFactory::defaultOrder))
        .map(PolicyFactory::name)
        .toList();
  }

  /**
   * The checked stage list.
   *
   * @throws ConfigException naming every problem
   */
  public List<PipelineConfig.Stage> validate(PipelineConfig config) {
    List<PipelineConfig.Stage> stages =
        config.isDefault() ? defaultNames().stream().map(n -> new PipelineConfig.Stage(n, 0)).toList() : config.stages();
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, Integer> position = new HashMap<>();
    int terminals = 0;
    int terminalAt = -1;
    for (int i = 0; i < stages.size(); i++) {
      PipelineConfig.Stage s = stages.get(i);
      PolicyFactory f = factories.get(s.name());
      if (f == null) {
        problems.add(problem(config, s, i, "unknown stage '" + s.name() + "'; the stages are " + String.join(", ", factories.keySet())));
        continue;
      }
      if (position.putIfAbsent(s.name(), i) != null) {
        problems.add(problem(config, s, i, "'" + s.name() + "' is listed twice"));
      }
      if (f.placement() == PolicyFactory.Placement.TERMINAL) {
        terminals++;
        terminalAt = i;
      }
    }
    if (terminals != 1) {
      String terminalNames =
          String.join(", ", factories.values().stream().filter(f -> f.placement() == PolicyFactory.Placement.TERMINAL).map(PolicyFactory::name).toList());
      problems.add(new ConfigProblem(sourceOf(config), lineOf(stages), "pipeline",
          "needs exactly one terminal stage (" + terminalNames + "); it has " + terminals));
    }
    for (int i = 0; i < stages.size(); i++) {
      PipelineConfig.Stage s = stages.get(i);
      PolicyFactory f = factories.get(s.name());
      if (f == null) {
        continue;
      }
      if (terminalAt >= 0 && f.placement() == PolicyFactory.Placement.REQUEST && i > terminalAt) {
        problems.add(problem(config, s, i, "'" + s.name() + "' decides about requests and must come before the terminal stage"));
      }
      if (terminalAt >= 0 && f.placement() == PolicyFactory.Placement.AFTER_TERMINAL && i < terminalAt) {
        problems.add(problem(config, s, i, "'" + s.name() + "' only observes responses and must come after the terminal stage"));
      }
      for (String required : f.requires()) {
        Integer at = position.get(required);
        if (at == null || at > i) {
          problems.add(problem(config, s, i, "'" + s.name() + "' needs '" + required + "' before it"));
        }
      }
      for (String later : f.precedes()) {
        Integer at = position.get(later);
        if (at != null && at < i) {
          problems.add(problem(config, s, i, "'" + s.name() + "' must come before '" + later + "'"));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return stages;
  }

  /** Validates {@code config} and creates every stage. */
  public Pipeline assemble(PipelineConfig config, PipelineServices services) {
    List<PipelineConfig.Stage> stages = validate(config);
    List<Policy> before = new ArrayList<>();
    List<Policy> after = new ArrayList<>();
    Terminal terminal = null;
    for (PipelineConfig.Stage s : stages) {
      PolicyFactory f = factories.get(s.name());
      Policy stage = f.create(services);
      switch (f.placement()) {
        case REQUEST -> before.add(stage);
        case AFTER_TERMINAL -> after.add(stage);
        case TERMINAL -> {
          if (!(stage instanceof Terminal t)) {
            throw new IllegalStateException("terminal stage " + s.name() + " does not implement Terminal");
          }
          terminal = t;
        }
      }
    }
    return new Pipeline(before, terminal, after, services.scheduler().ticker());
  }

  private static ConfigProblem problem(PipelineConfig config, PipelineConfig.Stage s, int index, String message) {
    return new ConfigProblem(sourceOf(config), s.line(), "pipeline[" + index + "]", message);
  }

  private static String sourceOf(PipelineConfig config) {
    return config.source().isEmpty() ? "config" : config.source();
  }

  private static int lineOf(List<PipelineConfig.Stage> stages) {
    return stages.isEmpty() ? 0 : stages.get(0).line();
  }
}
