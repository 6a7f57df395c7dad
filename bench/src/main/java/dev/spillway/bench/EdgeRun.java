package dev.spillway.bench;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one {@link EdgeBenchmark} run measured; a scenario not run is empty.
 *
 * @param gateway how the gateway process was run, for the report
 */
record EdgeRun(
    EdgeSettings settings,
    Instant startedAt,
    double loadAverageAtStart,
    double loadAverageAtEnd,
    String gateway,
    Optional<OverheadResult> overhead,
    List<StreamingScenario.Step> streaming,
    Optional<FootprintScenario.Result> footprint) {}
