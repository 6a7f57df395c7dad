package dev.spillway.bench;

import java.time.Instant;
import java.util.List;

/**
 * Everything one {@link LimitAccuracyBenchmark} run measured, for {@link LimitReport}.
 *
 * @param settings what was asked for
 * @param startedAt wall-clock time the run began
 * @param waitedForMinuteMillis how long the run waited for the first whole UTC minute
 * @param promptTokensMean mean prompt tokens of the request set (gateway tokenizer)
 * @param reservedTokensMean mean reservation of the request set
 * @param withoutMaxTokens requests of the set without {@code max_tokens}, and
 * @param requestSetSize the set's size
 * @param results one per configuration, in run order
 * @param loadAverageAtStart the machine's one-minute load average when the run began (negative if unknown)
 * @param loadAverageAtEnd and when it ended
 */
public record LimitAccuracyRun(
    LimitBenchSettings settings,
    Instant startedAt,
    long waitedForMinuteMillis,
    double promptTokensMean,
    double reservedTokensMean,
    int withoutMaxTokens,
    int requestSetSize,
    List<LimitTopologyResult> results,
    double loadAverageAtStart,
    double loadAverageAtEnd) {

  public LimitAccuracyRun {
    results = List.copyOf(results);
  }
}
