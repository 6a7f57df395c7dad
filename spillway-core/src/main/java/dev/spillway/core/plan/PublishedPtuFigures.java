package dev.spillway.core.plan;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-model PTU figures Azure publishes, the defaults of {@code spillway plan}: input tokens a minute per PTU,
 * the throughput ratio (how many input tokens one output token counts as) and the global / data zone minimum
 * deployment and scale increment.
 *
 * <p>Source: Microsoft Learn, "Provisioned throughput unit (PTU) costs and billing", section "Throughput and
 * deployment parameter values by model" (page dated 2026-04-07). Azure revises these figures as models change, and
 * regional deployments have larger minimums and increments (50 for gpt-4o), so every value can be overridden under
 * {@code plan.models.<model>}; the README repeats the table.
 */
public final class PublishedPtuFigures {
  /** Where the figures come from, for reports. */
  public static final String SOURCE = "Microsoft Learn, PTU costs and billing, 2026-04-07";

  private static final Map<String, PtuThroughput> BY_MODEL = new LinkedHashMap<>();

  static {
    add("gpt-5.4", 2_400, 6);
    add("gpt-5.2", 3_400, 8);
    add("gpt-5.1", 4_750, 8);
    add("gpt-5", 4_750, 8);
    add("gpt-5-mini", 23_750, 8);
    add("gpt-4.1", 3_000, 4);
    add("gpt-4.1-mini", 14_900, 4);
    add("gpt-4.1-nano", 59_400, 4);
    add("o3", 3_000, 4);
    add("o4-mini", 5_400, 4);
    add("gpt-4o", 2_500, 4);
    add("gpt-4o-mini", 37_000, 4);
    add("o3-mini", 2_500, 4);
    add("o1", 230, 4);
  }

  private PublishedPtuFigures() {}

  private static void add(String model, long inputTokensPerMinutePerPtu, int outputTokenWeight) {
    BY_MODEL.put(model, new PtuThroughput(inputTokensPerMinutePerPtu, BigDecimal.valueOf(outputTokenWeight),
        PtuThroughput.DEFAULT_MINIMUM_PTU, PtuThroughput.DEFAULT_PTU_INCREMENT, "published figures for " + model));
  }

  /** The published figures of the Azure model named exactly {@code azureModel}. */
  public static Optional<PtuThroughput> of(String azureModel) {
    return Optional.ofNullable(BY_MODEL.get(azureModel));
  }

  /** The models with published figures, newest first. */
  public static List<String> models() {
    return List.copyOf(BY_MODEL.keySet());
  }
}
