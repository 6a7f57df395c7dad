package dev.spillway.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one {@link SpilloverBenchmark} run measured, for {@link RoutingReport}.
 *
 * @param settings what was asked for
 * @param startedAt wall-clock time the run began
 * @param warmup the warm-up each configuration got
 * @param promptTokens prompt tokens of the fixed request, as the simulator counts them
 * @param tokensPerRequest prompt tokens + {@code max_tokens}: what each request costs the PTU bucket
 * @param arrivalsPerSecond the fixed arrival rate that offers {@code loadFactor × C}
 * @param paygTokensPerMinute the simulated PAYG deployment's token quota
 * @param results one per configuration, in run order
 * @param decisionCosts the router micro-benchmark, when a JMH result file was given
 * @param loadAverageAtStart the machine's one-minute load average when the run began (negative if
 *     unknown): other processes compete for the same cores
 * @param loadAverageAtEnd and when it ended
 */
public record SpilloverRun(
    SpilloverSettings settings,
    Instant startedAt,
    Duration warmup,
    int promptTokens,
    long tokensPerRequest,
    double arrivalsPerSecond,
    long paygTokensPerMinute,
    List<SpilloverResult> results,
    Optional<List<JmhResults.DecisionCost>> decisionCosts,
    double loadAverageAtStart,
    double loadAverageAtEnd) {

  public SpilloverRun {
    results = List.copyOf(results);
  }

  /** The round-robin result, the baseline of the ratios, if it ran. */
  public Optional<SpilloverResult> baseline() {
    return results.stream().filter(r -> r.variant() == RoutingVariant.ROUND_ROBIN).findFirst();
  }
}
