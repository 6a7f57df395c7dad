package dev.spillway.core.plan;

import dev.spillway.core.config.PlanConfig;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * How much one PTU of a model serves and how deployments of it are sized, resolved from the config's {@code
 * plan.models.<model>} over Azure's published figures ({@link PublishedPtuFigures}).
 *
 * <p>Capacity is counted the way Azure counts utilization: a request uses its uncached prompt tokens plus {@code
 * outputTokenWeight} × its completion tokens ("converted input tokens"); cached prompt tokens use none.
 *
 * @param inputTokensPerMinutePerPtu converted input tokens a minute one PTU serves
 * @param outputTokenWeight how many input tokens one output token counts as
 * @param minimumPtu the smallest deployment
 * @param ptuIncrement the step between deployment sizes
 * @param basis where the figures come from, for the report ({@code "published figures for gpt-4o"}, {@code
 *     "plan.models.chat"})
 */
public record PtuThroughput(
    long inputTokensPerMinutePerPtu, BigDecimal outputTokenWeight, int minimumPtu, int ptuIncrement, String basis) {
  /** Azure's global and data zone minimum for every OpenAI model it publishes figures for. */
  public static final int DEFAULT_MINIMUM_PTU = 15;
  /** Azure's global and data zone step for every OpenAI model it publishes figures for. */
  public static final int DEFAULT_PTU_INCREMENT = 5;

  public PtuThroughput {
    Objects.requireNonNull(outputTokenWeight, "outputTokenWeight");
    Objects.requireNonNull(basis, "basis");
    if (inputTokensPerMinutePerPtu < 1 || minimumPtu < 1 || ptuIncrement < 1) {
      throw new IllegalArgumentException("PTU throughput, minimum and increment must be at least 1");
    }
    if (outputTokenWeight.signum() < 0) {
      throw new IllegalArgumentException("outputTokenWeight must not be negative");
    }
  }

  /**
   * The figures for {@code model}: each one written under {@code plan.models.<model>} wins; the rest are the published
   * ones of {@code azureModel}, or of the model's own name.
   *
   * @return empty when the throughput or the output weight is neither written nor published ({@link #missing} says
   *     what to set)
   */
  public static Optional<PtuThroughput> resolve(String model, PlanConfig.PtuFigures written) {
    Optional<PtuThroughput> published = PublishedPtuFigures.of(written.azureModel().orElse(model));
    if (published.isEmpty() && (written.inputTokensPerMinutePerPtu().isEmpty() || written.outputTokenWeight().isEmpty())) {
      return Optional.empty();
    }
    String at = "plan.models." + model;
    boolean allWritten = written.inputTokensPerMinutePerPtu().isPresent() && written.outputTokenWeight().isPresent()
        && written.minimumPtu().isPresent() && written.ptuIncrement().isPresent();
    boolean anyWritten = written.inputTokensPerMinutePerPtu().isPresent() || written.outputTokenWeight().isPresent()
        || written.minimumPtu().isPresent() || written.ptuIncrement().isPresent();
    String basis = allWritten || published.isEmpty() ? at
        : anyWritten ? published.get().basis() + " with " + at
        : published.get().basis();
    return Optional.of(new PtuThroughput(
        written.inputTokensPerMinutePerPtu().orElseGet(() -> published.orElseThrow().inputTokensPerMinutePerPtu()),
        written.outputTokenWeight().orElseGet(() -> published.orElseThrow().outputTokenWeight()),
        written.minimumPtu().orElseGet(() -> published.map(PtuThroughput::minimumPtu).orElse(DEFAULT_MINIMUM_PTU)),
        written.ptuIncrement().orElseGet(() -> published.map(PtuThroughput::ptuIncrement).orElse(DEFAULT_PTU_INCREMENT)),
        basis));
  }

  /** What to set for a model that {@link #resolve} finds no figures for, naming the keys. */
  public static String missing(String model) {
    String at = "plan.models." + model;
    return "set " + at + ".azureModel to a model with published figures ("
        + String.join(", ", PublishedPtuFigures.models()) + ") or " + at + ".inputTokensPerMinutePerPtu and " + at
        + ".outputTokenWeight";
  }

  /** Converted input tokens a minute that {@code ptus} PTUs serve. */
  public long tokensPerMinute(int ptus) {
    return Math.multiplyExact(inputTokensPerMinutePerPtu, (long) ptus);
  }

  /** What a request uses of a PTU's capacity: uncached prompt tokens plus weighted completion tokens. */
  public double convertedTokens(long promptTokens, long cachedTokens, long completionTokens) {
    return Math.max(0, promptTokens - cachedTokens) + outputTokenWeight.doubleValue() * completionTokens;
  }

  /** True when {@code ptus} is a size Azure deploys: 0 (none), or the minimum plus a whole number of increments. */
  public boolean deployable(int ptus) {
    return ptus == 0 || ptus >= minimumPtu && (ptus - minimumPtu) % ptuIncrement == 0;
  }
}
