package dev.spillway.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Everything one {@link StationBenchmark} run measured, for {@link StationReport}.
 *
 * @param settings what was asked for
 * @param startedAt wall-clock time the run began
 * @param promptTokens prompt tokens of the fixed request, as the simulator counts them
 * @param tokensPerRequest prompt tokens + {@code max_tokens}: what each request costs
 * @param requestsPerSecondAtC the arrival rate that offers 1 × C
 * @param serviceMillis the simulator's own time for one request, which "added wait" subtracts
 * @param shortBurstBucket the PTU bucket of the short-burst scenario, as time (two requests' worth)
 * @param cells one per scenario × configuration, in run order
 * @param loadAverageAtStart the machine's one-minute load average when the run began (negative if unknown)
 * @param loadAverageAtEnd and when it ended
 */
record StationRun(
    StationSettings settings,
    Instant startedAt,
    int promptTokens,
    long tokensPerRequest,
    double requestsPerSecondAtC,
    double serviceMillis,
    Duration shortBurstBucket,
    List<StationCell> cells,
    double loadAverageAtStart,
    double loadAverageAtEnd) {

  StationRun {
    cells = List.copyOf(cells);
  }

  /** The verdict of {@code cell} among this run's cells. */
  StationTargets.Verdict verdict(StationCell cell) {
    return StationTargets.of(cell, cells);
  }
}
