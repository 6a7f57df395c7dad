package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Writes a {@link StationRun} as {@code station.md} and {@code station.json}. Pure text building apart from {@link #write}. */
final class StationReport {
  private StationReport() {}

  static Path write(StationRun run) {
    return ReportEnvironment.write(run.settings().outDir(), "station", () -> markdown(run), () -> json(run));
  }

  static String markdown(StationRun run) {
    StationSettings s = run.settings();
    StringBuilder md = new StringBuilder("# PTU station benchmark\n\n");
    md.append(ReportEnvironment.header("StationBenchmark", "bench/run-station",
        "The load generator, the gateway and the simulator share this one JVM and its cores, so latencies include"
            + " their competition for CPU.",
        run.startedAt(), run.loadAverageAtStart(), run.loadAverageAtEnd()));
    md.append("## Targets\n\n").append(StationTargets.markdown()).append('\n');
    md.append(f("""
        ## Setup

        One simulated Azure OpenAI resource per cell: a PTU deployment of C = %,d tokens/min (a leaky bucket holding \
        %s of capacity, or %s — two requests' worth — in the short-burst scenario) and a PAYG deployment with ten times \
        the peak load as quota. Every request is the same non-streamed chat completion of %d prompt tokens and \
        `max_tokens` %d (%d tokens, so 1 × C is %.2f requests/s), sent open loop at fixed spacing within each phase \
        of the load. The simulator answers one in %.0f ms with no wait (first token after 150 ms + 0.2 ms per prompt \
        token, then 80 tokens/s); **added wait** is latency minus that. Steady windows are %s after a %s warm-up; \
        bursty ones are as many whole cycles as fit in %s, after whole cycles of warm-up covering a minute (the \
        station's demand window, so it judges the bursts as a gateway that has been running does). Where the load \
        keeps the PTU overloaded \
        (steady above 1 × C and the critical mix) its bucket is filled before the warm-up, as it would be after \
        minutes of such load. Before the first cell, an unmeasured 10 × C run warms the JVM. PAYG is priced at %s per 1,000 tokens. %s Seed %d.

        Configurations (each a gateway config written as YAML and loaded by the gateway's config loader; a fresh \
        simulator and gateway for every cell):

        """,
        s.capacityTokensPerMinute(), SpilloverBenchmark.human(s.ptuBurst()), SpilloverBenchmark.human(run.shortBurstBucket()),
        run.promptTokens(), s.maxTokens(), run.tokensPerRequest(), run.requestsPerSecondAtC(), run.serviceMillis(),
        SpilloverBenchmark.human(s.duration()), SpilloverBenchmark.human(s.warmup()),
        SpilloverBenchmark.human(s.burstyDuration()), "$" + java.math.BigDecimal.valueOf(s.paygPricePer1kTokens()).stripTrailingZeros().toPlainString(),
        "`no-wait`, `fixed-wait` and `azure-native` run the router as it was before the station (`ptuWait: fixed`).",
        s.seed()));
    for (StationVariant v : s.variants()) {
      md.append("- `").append(v.id()).append("`: ").append(v.label()).append('\n');
    }
    md.append("\n## Results\n\n").append(table(run)).append('\n');
    if (run.cells().stream().anyMatch(c -> c.scenario().kind() == StationScenario.Kind.CRITICAL_MIX)) {
      md.append("## Critical mix by priority class\n\n").append(classTable(run)).append('\n');
    }
    long judged = run.cells().stream().filter(c -> run.verdict(c).status() != StationTargets.Verdict.Status.NONE).count();
    long missed = run.cells().stream()
        .filter(c -> run.verdict(c).status() == StationTargets.Verdict.Status.NOT_MET).count();
    md.append(f("%d of %d cells with a target miss it.\n\n", missed, judged));
    String details = run.cells().stream()
        .filter(c -> run.verdict(c).status() != StationTargets.Verdict.Status.NONE)
        .map(c -> f("- %s, %s: %s — %s", c.scenario().label(), c.variant().id(), run.verdict(c).shown(),
            run.verdict(c).detail()))
        .collect(Collectors.joining("\n"));
    if (!details.isEmpty()) {
      md.append("### Verdicts\n\n").append(details).append('\n');
    }
    return md.toString();
  }

  static String table(StationRun run) {
    StringBuilder t = new StringBuilder();
    t.append("| scenario | configuration | PTU utilization | PAYG share | PAYG cost/h | client 429s | other errors | p50 |"
        + " p99 | added wait p50 / p99 | PTU 429s per PTU answer | target |\n");
    t.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (StationCell c : run.cells()) {
      t.append(f("| %s | %s | %.1f %% | %.1f %% | %s | %d | %d | %.0f ms | %.0f ms | %.0f / %.0f ms | %.2f | %s |\n",
          c.scenario().label(), c.variant().id(), c.ptuUtilization() * 100, c.paygShare() * 100,
          price(c.paygCostPerHour()), c.client429(), c.otherErrors(), c.client().okLatency().p50Millis(),
          c.client().okLatency().p99Millis(), c.addedWaitP50Millis(), c.addedWaitP99Millis(), c.ptu429PerAnswer(),
          run.verdict(c).shown()));
    }
    return t.toString();
  }

  static String classTable(StationRun run) {
    StringBuilder t = new StringBuilder();
    t.append("| configuration | class | answered | served by PAYG | added wait p50 | added wait p99 |\n");
    t.append("|---|---|---:|---:|---:|---:|\n");
    for (StationCell c : run.cells()) {
      if (c.scenario().kind() != StationScenario.Kind.CRITICAL_MIX) {
        continue;
      }
      t.append(f("| %s | critical | %d | %.1f %% | %.0f ms | %.0f ms |\n", c.variant().id(), c.critical().ok(),
          c.critical().paygShare() * 100, c.criticalAddedWaitP50Millis(), c.criticalAddedWaitP99Millis()));
      t.append(f("| %s | standard | %d | %.1f %% | %.0f ms | %.0f ms |\n", c.variant().id(), c.standard().ok(),
          c.standard().paygShare() * 100, c.standardAddedWaitP50Millis(), c.standardAddedWaitP99Millis()));
    }
    return t.toString();
  }

  static JsonObject json(StationRun run) {
    StationSettings s = run.settings();
    JsonArray cells = new JsonArray();
    for (StationCell c : run.cells()) {
      StationTargets.Verdict v = run.verdict(c);
      cells.add(new JsonObject()
          .put("scenario", c.scenario().id())
          .put("configuration", c.variant().id())
          .put("windowSeconds", c.windowSeconds())
          .put("ptuTokens", c.ptu().totalTokens())
          .put("paygTokens", c.paygTokens())
          .put("paygSpilledInTokens", c.payg().spilledInTokens())
          .put("ptuUtilization", c.ptuUtilization())
          .put("paygShare", c.paygShare())
          .put("paygCostPerHour", c.paygCostPerHour())
          .put("ptuRequests", c.ptu().requests())
          .put("ptuThrottled", c.ptu().throttled())
          .put("ptuSpilledOver", c.ptu().spilledOver())
          .put("ptu429PerAnswer", c.ptu429PerAnswer())
          .put("ptuBucketStartPercent", c.ptuBucketStartPercent())
          .put("ptuBucketEndPercent", c.ptuBucketEndPercent())
          .put("sent", c.client().windowSent())
          .put("ok", c.client().windowOk())
          .put("client429", c.client429())
          .put("otherErrors", c.otherErrors())
          .put("errorsByKind", new JsonObject(new java.util.LinkedHashMap<>(c.client().windowErrorsByKind())))
          .put("p50Millis", c.client().okLatency().p50Millis())
          .put("p99Millis", c.client().okLatency().p99Millis())
          .put("addedWaitP50Millis", c.addedWaitP50Millis())
          .put("addedWaitP99Millis", c.addedWaitP99Millis())
          .put("critical", classJson(c.critical(), c.criticalAddedWaitP50Millis(), c.criticalAddedWaitP99Millis()))
          .put("standard", classJson(c.standard(), c.standardAddedWaitP50Millis(), c.standardAddedWaitP99Millis()))
          .put("target", v.status().name().toLowerCase(java.util.Locale.ROOT))
          .put("targetDetail", v.detail()));
    }
    return new JsonObject()
        .put("environment", ReportEnvironment.json(run.startedAt(), run.loadAverageAtStart(), run.loadAverageAtEnd()))
        .put("capacityTokensPerMinute", s.capacityTokensPerMinute())
        .put("ptuBurstSeconds", s.ptuBurst().toNanos() / 1e9)
        .put("shortBurstBucketSeconds", run.shortBurstBucket().toNanos() / 1e9)
        .put("durationSeconds", s.duration().toNanos() / 1e9)
        .put("burstyDurationSeconds", s.burstyDuration().toNanos() / 1e9)
        .put("warmupSeconds", s.warmup().toNanos() / 1e9)
        .put("maxTokens", s.maxTokens())
        .put("promptTokens", run.promptTokens())
        .put("serviceMillis", run.serviceMillis())
        .put("paygPricePer1kTokens", s.paygPricePer1kTokens())
        .put("seed", s.seed())
        .put("cells", cells);
  }

  private static JsonObject classJson(ClassTally.Summary s, double addedP50, double addedP99) {
    return new JsonObject().put("ok", s.ok()).put("onPayg", s.onPayg()).put("paygShare", s.paygShare())
        .put("addedWaitP50Millis", addedP50).put("addedWaitP99Millis", addedP99);
  }

  private static String price(double amount) {
    return f("$%.2f", amount);
  }
}
