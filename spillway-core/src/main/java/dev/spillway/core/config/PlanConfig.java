package dev.spillway.core.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What {@code spillway plan} needs beyond {@code costs:}: how much of a burst a PTU deployment absorbs, and per model
 * the PTU figures that differ from Azure's published ones ({@code dev.spillway.core.plan.PublishedPtuFigures}). Every
 * part is optional; a config without {@code plan:} plans with the published figures.
 *
 * @param burst how many seconds of its capacity a PTU deployment takes at once before it answers 429 (the leaky
 *     bucket's size, as in the simulator)
 * @param models logical model name to the figures written for it, in file order
 */
public record PlanConfig(Duration burst, Map<String, PtuFigures> models) {
  public static final Duration DEFAULT_BURST = Duration.ofSeconds(10);
  public static final PlanConfig DEFAULTS = new PlanConfig(DEFAULT_BURST, Map.of());

  public PlanConfig {
    Objects.requireNonNull(burst, "burst");
    if (burst.isNegative() || burst.isZero()) {
      throw new IllegalArgumentException("burst must be positive");
    }
    models = Collections.unmodifiableMap(new LinkedHashMap<>(models));
  }

  /** The figures written for {@code model}; {@link PtuFigures#NONE} when it has none. */
  public PtuFigures figures(String model) {
    return models.getOrDefault(model, PtuFigures.NONE);
  }

  /**
   * A model's PTU figures as written under {@code plan.models.<model>}; what is absent comes from the published
   * figures of {@code azureModel} (or of the model's own name).
   *
   * @param azureModel the Azure model whose published figures apply, when the logical name is not one
   * @param inputTokensPerMinutePerPtu input tokens a minute one PTU serves
   * @param outputTokenWeight how many input tokens one output token counts as against the PTU's capacity
   * @param minimumPtu the smallest deployment
   * @param ptuIncrement the step between deployment sizes
   */
  public record PtuFigures(
      Optional<String> azureModel,
      OptionalLong inputTokensPerMinutePerPtu,
      Optional<BigDecimal> outputTokenWeight,
      OptionalInt minimumPtu,
      OptionalInt ptuIncrement) {
    public static final PtuFigures NONE =
        new PtuFigures(Optional.empty(), OptionalLong.empty(), Optional.empty(), OptionalInt.empty(), OptionalInt.empty());

    public PtuFigures {
      Objects.requireNonNull(azureModel, "azureModel");
      Objects.requireNonNull(inputTokensPerMinutePerPtu, "inputTokensPerMinutePerPtu");
      Objects.requireNonNull(outputTokenWeight, "outputTokenWeight");
      Objects.requireNonNull(minimumPtu, "minimumPtu");
      Objects.requireNonNull(ptuIncrement, "ptuIncrement");
      if (inputTokensPerMinutePerPtu.orElse(1) < 1 || minimumPtu.orElse(1) < 1 || ptuIncrement.orElse(1) < 1) {
        throw new IllegalArgumentException("PTU throughput, minimum and increment must be at least 1");
      }
      if (outputTokenWeight.map(BigDecimal::signum).orElse(1) < 0) {
        throw new IllegalArgumentException("outputTokenWeight must not be negative");
      }
    }
  }
}
