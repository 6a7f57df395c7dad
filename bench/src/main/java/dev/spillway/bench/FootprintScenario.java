package dev.spillway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 5, footprint: the gateway (same config as the overhead run: auth, limits, metrics,
 * SQLite ledger) started {@code footprintRepeats} times: time from spawning the process to {@code
 * /readyz} answering 200, then its RSS and heap in use after two idle seconds. The simulator's own
 * start-up is timed the same way as the baseline.
 */
final class FootprintScenario {
  private static final long SETTLE_NANOS = 2_000_000_000L;

  private final EdgeSettings settings;
  private final Path workDir;
  private final PrintStream log;

  FootprintScenario(EdgeSettings settings, Path workDir, PrintStream log) {
    this.settings = settings;
    this.workDir = workDir;
    this.log = log;
  }

  /** Medians over the repeats; the samples are in the JSON. */
  record Result(
      List<Double> gatewayStartMillis, List<Long> gatewayIdleRssKib, List<Long> gatewayIdleHeapKib,
      List<Double> simulatorStartMillis, List<Long> simulatorIdleRssKib) {
    double medianStartMillis() {
      return median(gatewayStartMillis.stream().mapToDouble(Double::doubleValue).toArray());
    }

    double medianRssKib() {
      return median(gatewayIdleRssKib.stream().mapToDouble(Long::doubleValue).toArray());
    }

    double medianHeapKib() {
      return median(gatewayIdleHeapKib.stream().mapToDouble(Long::doubleValue).toArray());
    }

    double medianSimulatorStartMillis() {
      return median(simulatorStartMillis.stream().mapToDouble(Double::doubleValue).toArray());
    }

    double medianSimulatorRssKib() {
      return median(simulatorIdleRssKib.stream().mapToDouble(Long::doubleValue).toArray());
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("gatewayStartToReadyMillis", new JsonArray(gatewayStartMillis))
          .put("gatewayIdleRssKib", new JsonArray(gatewayIdleRssKib))
          .put("gatewayIdleHeapUsedKib", new JsonArray(gatewayIdleHeapKib))
          .put("simulatorStartToReadyMillis", new JsonArray(simulatorStartMillis))
          .put("simulatorIdleRssKib", new JsonArray(simulatorIdleRssKib))
          .put("medianGatewayStartMillis", medianStartMillis())
          .put("medianGatewayIdleRssKib", medianRssKib())
          .put("medianGatewayIdleHeapKib", medianHeapKib());
    }
  }

  Result run() {
    SpillwayProcesses spillway = new SpillwayProcesses(settings.gatewayJar(), settings.upstreamJar(), workDir);
    List<Double> start = new ArrayList<>();
    List<Long> rss = new ArrayList<>();
    List<Long> heap = new ArrayList<>();
    List<Double> simStart = new ArrayList<>();
    List<Long> simRss = new ArrayList<>();
    for (int i = 0; i < settings.footprintRepeats(); i++) {
      long before = System.nanoTime();
      try (SpillwayProcesses.Started sim = spillway.simulator("footprint-upstream", true, 80, settings.loadCpus())) {
        simStart.add((System.nanoTime() - before) / 1e6);
        SpillwayProcesses.GatewaySetup setup = spillway.gatewaySetup("footprint-spillway-" + i, sim.baseUrl());
        try (SpillwayProcesses.Started gw = spillway.gateway(setup, settings.serverCpus())) {
          start.add(gw.readyNanos() / 1e6);
          OverheadScenario.sleepNanos(SETTLE_NANOS);
          rss.add(ProcStats.rssKib(gw.process().pid()).orElse(-1));
          heap.add(StreamingScenario.heapUsedKib(gw.process().pid(), settings.loadCpus()));
          simRss.add(ProcStats.rssKib(sim.process().pid()).orElse(-1));
        }
      }
      log.printf(Locale.ROOT, "footprint: start %d: ready in %.0f ms, idle RSS %,d KiB%n", i + 1, start.get(i), rss.get(i));
    }
    return new Result(start, rss, heap, simStart, simRss);
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return -1;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
