package dev.spillway.core.plan;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.PaygPrice;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Makes a {@link PlanReport} from a config and the traffic the ledger recorded: for each model to plan it resolves the
 * PTU figures and prices, replays every candidate ({@link CapacityReplay}) and recommends one ({@link
 * Recommendation}). Pure: the caller reads the ledger and writes the report.
 *
 * <p>A model named on the command line must be plannable, or planning fails with what is missing. When no model is
 * named, every model with traffic is planned and the ones that cannot be (not in the config, no PAYG price, no PTU
 * figures, no request with tokens) are left out with a note.
 */
public final class Planner {
  private Planner() {}

  /**
   * @throws IllegalArgumentException when {@code costs.ptuUnitMonthly} is not set, a named model cannot be planned, or
   *     no model can
   */
  public static PlanReport plan(SpillwayConfig config, RecordedTraffic traffic, PlanRequest request) {
    BigDecimal unit = config.costs().ptuUnitMonthly().orElseThrow(() -> new IllegalArgumentException(
        "the config sets no costs.ptuUnitMonthly: planning needs the monthly price of one PTU"));
    boolean named = !request.models().isEmpty();
    List<String> names = named ? request.models() : List.copyOf(traffic.models().keySet());
    List<ModelPlan> plans = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (String name : names) {
      Optional<String> problem = problem(config, traffic, name);
      if (problem.isPresent()) {
        if (named) {
          throw new IllegalArgumentException("cannot plan " + name + ": " + problem.get());
        }
        notes.add(name + " left out: " + problem.get());
        continue;
      }
      plans.add(planModel(config, traffic.model(name).orElseThrow(), name, unit, request));
    }
    if (plans.isEmpty()) {
      throw new IllegalArgumentException("nothing to plan between " + request.period().from() + " and "
          + request.period().to() + (notes.isEmpty() ? ": the ledger has no requests then" : ": " + String.join("; ", notes)));
    }
    return new PlanReport(request.period(), config.costs().currency(), unit, request.target(), plans, notes);
  }

  private static Optional<String> problem(SpillwayConfig config, RecordedTraffic traffic, String name) {
    Optional<RecordedTraffic.ModelTraffic> recorded = traffic.model(name);
    if (recorded.isEmpty()) {
      return Optional.of("the ledger has no requests for it in the period");
    }
    if (recorded.get().requests() == 0) {
      return Optional.of("none of its " + recorded.get().skipped() + " requests in the period has tokens");
    }
    if (config.model(name).isEmpty()) {
      return Optional.of("the config has no model of that name");
    }
    if (config.costs().paygPrice(name).isEmpty()) {
      return Optional.of("no PAYG price (set costs.payg." + name + ")");
    }
    if (PtuThroughput.resolve(name, config.plan().figures(name)).isEmpty()) {
      return Optional.of("no PTU figures (" + PtuThroughput.missing(name) + ")");
    }
    return Optional.empty();
  }

  private static ModelPlan planModel(
      SpillwayConfig config, RecordedTraffic.ModelTraffic recorded, String name, BigDecimal unit, PlanRequest request) {
    ModelConfig model = config.model(name).orElseThrow();
    PaygPrice price = config.costs().paygPrice(name).orElseThrow();
    PtuThroughput throughput = PtuThroughput.resolve(name, config.plan().figures(name)).orElseThrow();
    long paygQuota = paygTokensPerMinute(model);
    CapacityReplay replay = new CapacityReplay(ReplaySettings.builder()
        .model(model)
        .routing(config.routing())
        .throughput(throughput)
        .burst(config.plan().burst())
        .paygPrice(price)
        .ptuUnitMonthly(unit)
        .paygTokensPerMinute(paygQuota)
        .build());
    ArrivalSeries series = recorded.series();
    List<Integer> sizes = request.candidates()
        .orElseGet(() -> CandidateSizes.deployable(throughput, series.peakConvertedTokensPerMinute(throughput)));
    // Candidates are independent replays: run them side by side.
    List<CandidateResult> results = sizes.parallelStream().map(n -> replay.run(series, n)).toList();
    return new ModelPlan(name, series.size(), recorded.skipped(), recorded.recordedPaygShare(), throughput,
        model.maxWaitForPtu(), paygQuota, results, Recommendation.choose(results, request.target()));
  }

  /**
   * The PAYG quota the model's PAYG backends declare together ({@code capacity.tokensPerMinute}), or 0 (ample) when
   * any of them declares none.
   */
  static long paygTokensPerMinute(ModelConfig model) {
    long total = 0;
    boolean any = false;
    for (BackendConfig backend : model.backends()) {
      if (backend.tier() != Tier.PAYG) {
        continue;
      }
      OptionalLong tpm = backend.capacity().tokensPerMinute();
      if (tpm.isEmpty()) {
        return 0;
      }
      total += tpm.getAsLong();
      any = true;
    }
    return any ? total : 0;
  }
}
