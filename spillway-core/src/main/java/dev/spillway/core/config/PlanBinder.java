package dev.spillway.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Binds {@code plan:}: {@code burst} and {@code models} (logical model name to {@code azureModel}, {@code
 * inputTokensPerMinutePerPtu}, {@code outputTokenWeight}, {@code minimumPtu} and {@code ptuIncrement}, each optional).
 * A model must be one the file declares under {@code models}.
 */
final class PlanBinder {
  static final List<String> PLAN_KEYS = List.of("burst", "models");
  static final List<String> FIGURE_KEYS =
      List.of("azureModel", "inputTokensPerMinutePerPtu", "outputTokenWeight", "minimumPtu", "ptuIncrement");

  private final ScalarReader read;

  PlanBinder(ScalarReader read) {
    this.read = read;
  }

  /** @param declaredModels the model names written under {@code models}, whatever their own problems */
  PlanConfig bind(YamlNode.Mapping m, Set<String> declaredModels) {
    String path = "plan";
    read.checkKeys(m, path, PLAN_KEYS);
    Duration burst = read.scalar(m, "burst", path).flatMap(read::positiveDuration).orElse(PlanConfig.DEFAULT_BURST);
    Map<String, PlanConfig.PtuFigures> models = new LinkedHashMap<>();
    read.section(m, "models", path).ifPresent(section -> section.entries().forEach((model, entry) -> {
      String at = ConfigBinder.child("plan.models", model);
      if (!declaredModels.contains(model)) {
        read.problem(entry.keyLine(), at, "no model is named \"" + model + "\""
            + (declaredModels.isEmpty() ? "" : "; models: " + String.join(", ", declaredModels)));
        return;
      }
      read.mapping(entry.value(), at, "a mapping of PTU figures").flatMap(f -> figures(f, at))
          .ifPresent(f -> models.put(model, f));
    }));
    return new PlanConfig(burst, models);
  }

  private Optional<PlanConfig.PtuFigures> figures(YamlNode.Mapping m, String path) {
    int before = read.problemCount();
    read.checkKeys(m, path, FIGURE_KEYS);
    Optional<String> azureModel = read.scalar(m, "azureModel", path).flatMap(read::nonBlank);
    OptionalLong throughput = read.scalar(m, "inputTokensPerMinutePerPtu", path)
        .flatMap(v -> read.integer(v, 1, Integer.MAX_VALUE))
        .map(n -> OptionalLong.of(n))
        .orElse(OptionalLong.empty());
    Optional<BigDecimal> weight = read.scalar(m, "outputTokenWeight", path).flatMap(this::weight);
    OptionalInt minimum = optionalInt(read.scalar(m, "minimumPtu", path).flatMap(v -> read.integer(v, 1, 100_000)));
    OptionalInt increment = optionalInt(read.scalar(m, "ptuIncrement", path).flatMap(v -> read.integer(v, 1, 100_000)));
    if (read.problemCount() != before) {
      return Optional.empty();
    }
    return Optional.of(new PlanConfig.PtuFigures(azureModel, throughput, weight, minimum, increment));
  }

  /** A non-negative decimal such as 4 or 0.5, read exactly. */
  private Optional<BigDecimal> weight(ScalarReader.Value v) {
    String text = v.text().strip();
    if (!text.matches("\\d{1,6}(\\.\\d{1,6})?")) {
      read.problem(v.line(), v.path(), "must be a non-negative number such as 4 or 0.5, got " + v.shown());
      return Optional.empty();
    }
    return Optional.of(new BigDecimal(text));
  }

  private static OptionalInt optionalInt(Optional<Integer> n) {
    return n.map(OptionalInt::of).orElse(OptionalInt.empty());
  }
}
