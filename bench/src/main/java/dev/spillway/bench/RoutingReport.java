package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import dev.spillway.simulator.DeploymentStats;
import dev.spillway.simulator.Timing;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Renders a {@link SpilloverRun} as {@code routing.md} (committed: the numbers a reader trusts) and
 * {@code routing.json} (git-ignored: for tools and for comparing runs). Pure apart from {@link #write}.
 */
public final class RoutingReport {
  private RoutingReport() {}

  /** Writes both files into the run's output folder (creating it) and returns the Markdown path. */
  public static Path write(SpilloverRun run) {
    return ReportEnvironment.write(run.settings().outDir(), "routing", () -> markdown(run), () -> json(run));
  }

  public static String markdown(SpilloverRun run) {
    SpilloverSettings s = run.settings();
    StringBuilder md = new StringBuilder();
    md.append("# Routing benchmark\n\n");
    md.append(
        ReportEnvironment.header(
            "SpilloverBenchmark",
            "bench/run-routing",
            "The load generator, the gateway and the simulator share this one JVM and its cores, so latencies"
                + " include their competition for CPU.",
            run.startedAt(),
            run.loadAverageAtStart(),
            run.loadAverageAtEnd()));
    md.append("## Targets\n\n");
    md.append(
        "- **Spillover:** PTU at least 97 % utilized with zero client-visible 429s while PAYG has room.\n");
    md.append("- **Decision cost:** one routing decision (`Router.choose`) under 1 µs.\n\n");
    md.append(f("## Spillover at %s × PTU capacity\n\n", num(s.loadFactor())));
    md.append(setup(run));
    md.append(spilloverTable(run)).append('\n');
    md.append(crossCheckTable(run)).append('\n');
    md.append(ratios(run));
    md.append(notes(run));
    md.append(decisionSection(run));
    return md.toString();
  }

  private static String setup(SpilloverRun run) {
    SpilloverSettings s = run.settings();
    return f(
        "One simulated PTU deployment of C = %,d tokens/min (a leaky bucket holding %s of capacity)"
            + " and one PAYG deployment with a quota of %,d tokens/min, so PAYG always has room. Realistic"
            + " simulator timing: first token after 150 ms + 0.2 ms per prompt token, then 80 tokens/s."
            + " Every request is the same non-streamed chat completion: %d prompt tokens + `max_tokens`"
            + " %d = %d tokens. An open-loop generator sends %.2f requests/s (%,d tokens/min = %s × C)"
            + " through the gateway. Each configuration gets a fresh simulator (empty PTU bucket) and"
            + " gateway, a warm-up of %s (until the bucket is full, so its burst does not count as"
            + " throughput), then a measured window of %s. Seed %d.\n\n",
        s.capacityTokensPerMinute(),
        SpilloverBenchmark.human(s.ptuBurst()),
        run.paygTokensPerMinute(),
        run.promptTokens(),
        s.maxTokens(),
        run.tokensPerRequest(),
        run.arrivalsPerSecond(),
        Math.round(s.capacityTokensPerMinute() * s.loadFactor()),
        num(s.loadFactor()),
        SpilloverBenchmark.human(run.warmup()),
        SpilloverBenchmark.human(s.duration()),
        s.seed());
  }

  /** The main table, also printed on the console. */
  public static String spilloverTable(SpilloverRun run) {
    StringBuilder t = new StringBuilder();
    t.append(
        "| configuration | PTU utilization | spilled to PAYG | client 429s | other errors | p50 | p99 | sent"
            + " | completed | in flight at end | PTU 429s absorbed | target met |\n");
    t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (SpilloverResult r : run.results()) {
      OpenLoopGenerator.Summary c = r.client();
      t.append(
          f(
              "| %s | %.1f %% | %.1f %% | %d | %s | %.0f ms | %.0f ms | %d | %d | %d | %d | %s |\n",
              r.variant().label(),
              r.ptuUtilization() * 100,
              r.spillShare() * 100,
              r.client429(),
              errors(c),
              c.okLatency().p50Millis(),
              c.okLatency().p99Millis(),
              c.windowSent(),
              c.windowCompleted(),
              r.inFlightAtWindowEnd(),
              r.ptu().throttled(),
              r.meetsTarget() ? "yes" : "**no**"));
    }
    return t.toString();
  }

  private static String errors(OpenLoopGenerator.Summary c) {
    if (c.windowOtherErrors() == 0) {
      return "0";
    }
    return c.windowOtherErrors() + " " + c.windowErrorsByKind();
  }

  private static String crossCheckTable(SpilloverRun run) {
    StringBuilder t = new StringBuilder();
    t.append(
        "Where the tokens went, counted twice: by the simulator when it admits a request, and by the"
            + " gateway's listener (`usage` of the answers it passed on, by completion time).\n\n");
    t.append(
        "| configuration | PTU tokens (simulator) | PAYG tokens (simulator) | PTU tokens (gateway) | PAYG tokens"
            + " (gateway) | PTU bucket at start → end | backend attempts per request |\n");
    t.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (SpilloverResult r : run.results()) {
      TierTally.Snapshot g = r.gateway();
      t.append(
          f(
              "| %s | %,d | %,d | %,d | %,d | %.0f %% → %.0f %% | %.2f |\n",
              r.variant().label(),
              r.ptu().totalTokens(),
              r.payg().totalTokens(),
              g.ptuTokens(),
              g.paygTokens(),
              r.ptuBucketStartPercent(),
              r.ptuBucketEndPercent(),
              g.requests() == 0 ? 0.0 : g.attempts() / (double) g.requests()));
    }
    return t.toString();
  }

  private static String ratios(SpilloverRun run) {
    Optional<SpilloverResult> base = run.baseline();
    if (base.isEmpty() || run.results().size() < 2) {
      return "";
    }
    SpilloverResult rr = base.get();
    StringBuilder t = new StringBuilder();
    t.append("\nAgainst plain round-robin measured in the same run (ratio = configuration ÷ round-robin):\n\n");
    t.append("| configuration | PTU utilization | spill share | p50 | p99 | client 429s |\n");
    t.append("|---|---:|---:|---:|---:|---:|\n");
    for (SpilloverResult r : run.results()) {
      if (r == rr) {
        continue;
      }
      t.append(
          f(
              "| %s | %s | %s | %s | %s | %d vs %d |\n",
              r.variant().label(),
              ratio(r.ptuUtilization(), rr.ptuUtilization()),
              ratio(r.spillShare(), rr.spillShare()),
              ratio(r.client().okLatency().p50Millis(), rr.client().okLatency().p50Millis()),
              ratio(r.client().okLatency().p99Millis(), rr.client().okLatency().p99Millis()),
              r.client429(),
              rr.client429()));
    }
    return t.append('\n').toString();
  }

  private static String notes(SpilloverRun run) {
    Timing timing = Timing.defaults();
    double serviceMillis =
        (timing.timeToFirstTokenNanos(run.promptTokens())
                + (run.settings().maxTokens() - 1L) * timing.nanosPerOutputToken())
            / 1e6;
    return f(
        "How to read it:\n\n"
            + "- *PTU utilization* = PTU tokens admitted in the window ÷ (C × window ÷ 60 s). With the"
            + " bucket full at both ends of the window, admitted equals what the PTU actually worked"
            + " off; a bucket that was not full at the start lets it exceed 100 %%.\n"
            + "- *Spilled to PAYG* = PAYG tokens ÷ all tokens admitted in the window. At %s × C at"
            + " least %.1f %% must spill whatever the router does.\n"
            + "- *Latency* is of the 2xx answers to requests due in the window, from when each was due"
            + " (not when it left), so a late send counts. The simulator alone takes about %.0f ms for"
            + " one of these requests.\n"
            + "- *PTU 429s absorbed* are the PTU deployment's 429s in the window; the gateway retried"
            + " them (on PAYG, or on the PTU after a wait), so clients did not see them.\n"
            + "- *Other errors* are non-429 failures (status or exception name in braces).\n"
            + "- *Sent* and *completed* are the generator's requests due in the window and how many of"
            + " them were answered (followed past the window's end); *in flight at end* is what was"
            + " still open when sending stopped.\n\n",
        num(run.settings().loadFactor()),
        Math.max(0, (1 - 1 / run.settings().loadFactor()) * 100),
        serviceMillis);
  }

  private static String decisionSection(SpilloverRun run) {
    if (run.decisionCosts().isEmpty()) {
      return "## Routing decision cost\n\nNot measured in this run (no `--jmh-results`); `bench/run-routing`"
          + " runs `RouterBenchmark` first.\n";
    }
    List<JmhResults.DecisionCost> rows = run.decisionCosts().get();
    StringBuilder t = new StringBuilder("## Routing decision cost (JMH)\n\n");
    t.append(
        "`RouterBenchmark`: `Router.choose` on a `priority` pool, half PTU (priority 1) and half PAYG"
            + " (priority 2), `maxWaitForPtu` 1500 ms. `ALL_AVAILABLE` picks a PTU; `PTU_THROTTLED` has"
            + " every PTU throttled beyond the wait budget and spills to PAYG. `chooseWithNewCycle`"
            + " also builds the request's `AttemptCycle`, which every request pays. Average time per"
            + " decision, one thread, same machine; the run is short (`-f 1 -wi 3 -i 5`, 1 s each), so"
            + " read the error column.\n\n");
    t.append("| case | backends | scenario | ns/op | ± (99.9 %) | B/op | < 1 µs |\n");
    t.append("|---|---:|---|---:|---:|---:|---|\n");
    for (JmhResults.DecisionCost c : rows) {
      t.append(
          f(
              "| %s | %d | %s | %.1f | %s | %s | %s |\n",
              c.method(),
              c.backends(),
              c.scenario(),
              c.nanosPerOp(),
              Double.isNaN(c.errorNanos()) ? "n/a" : f("%.1f", c.errorNanos()),
              c.bytesPerOp().isPresent() ? f("%.0f", c.bytesPerOp().getAsDouble()) : "n/a",
              c.meetsTarget() ? "yes" : "**no**"));
    }
    return t.toString();
  }

  public static JsonObject json(SpilloverRun run) {
    SpilloverSettings s = run.settings();
    JsonObject settings =
        new JsonObject()
            .put("capacityTokensPerMinute", s.capacityTokensPerMinute())
            .put("loadFactor", s.loadFactor())
            .put("durationSeconds", s.duration().toMillis() / 1e3)
            .put("warmupSeconds", run.warmup().toMillis() / 1e3)
            .put("ptuBurstSeconds", s.ptuBurst().toMillis() / 1e3)
            .put("maxTokens", s.maxTokens())
            .put("promptTokens", run.promptTokens())
            .put("tokensPerRequest", run.tokensPerRequest())
            .put("arrivalsPerSecond", run.arrivalsPerSecond())
            .put("paygTokensPerMinute", run.paygTokensPerMinute())
            .put("seed", s.seed());
    JsonObject environment =
        ReportEnvironment.json(run.startedAt(), run.loadAverageAtStart(), run.loadAverageAtEnd())
            .put("note", "load generator, gateway and simulator share one JVM and its cores");
    JsonArray configurations = new JsonArray();
    for (SpilloverResult r : run.results()) {
      configurations.add(result(r, run.baseline()));
    }
    JsonObject root =
        new JsonObject()
            .put("targets", new JsonObject().put("ptuUtilizationAtLeast", SpilloverResult.TARGET_PTU_UTILIZATION)
                .put("client429", 0).put("decisionNanosBelow", JmhResults.TARGET_NANOS))
            .put("environment", environment)
            .put("settings", settings)
            .put("configurations", configurations);
    run.decisionCosts()
        .ifPresent(
            rows -> {
              JsonArray decisions = new JsonArray();
              for (JmhResults.DecisionCost c : rows) {
                JsonObject o =
                    new JsonObject()
                        .put("benchmark", c.method())
                        .put("backends", c.backends())
                        .put("scenario", c.scenario())
                        .put("nanosPerOp", c.nanosPerOp())
                        .put("errorNanos", Double.isNaN(c.errorNanos()) ? null : c.errorNanos())
                        .put("meetsTarget", c.meetsTarget());
                c.bytesPerOp().ifPresent(b -> o.put("bytesPerOp", b));
                decisions.add(o);
              }
              root.put("decisions", decisions);
            });
    return root;
  }

  private static JsonObject result(SpilloverResult r, Optional<SpilloverResult> baseline) {
    OpenLoopGenerator.Summary c = r.client();
    JsonObject client =
        new JsonObject()
            .put("sentTotal", c.sent())
            .put("completedTotal", c.completed())
            .put("inFlightAtWindowEnd", r.inFlightAtWindowEnd())
            .put("inFlightAfterDrain", c.inFlight())
            .put("windowSent", c.windowSent())
            .put("windowCompleted", c.windowCompleted())
            .put("windowOk", c.windowOk())
            .put("window429", c.window429())
            .put("windowOtherErrors", c.windowOtherErrors())
            .put("windowErrorsByKind", new JsonObject(new java.util.LinkedHashMap<>(c.windowErrorsByKind())))
            .put("latencySamples", c.okLatency().samples())
            .put("p50Millis", c.okLatency().p50Millis())
            .put("p99Millis", c.okLatency().p99Millis())
            .put("maxMillis", c.okLatency().maxMillis());
    TierTally.Snapshot g = r.gateway();
    JsonObject gateway =
        new JsonObject()
            .put("ptuTokens", g.ptuTokens())
            .put("paygTokens", g.paygTokens())
            .put("answersWithoutUsage", g.answersWithoutUsage())
            .put("ptuThrottledAttempts", g.ptuThrottledAttempts())
            .put("paygThrottledAttempts", g.paygThrottledAttempts())
            .put("requests", g.requests())
            .put("attempts", g.attempts())
            .put("client429", g.client429());
    JsonObject o =
        new JsonObject()
            .put("id", r.variant().id())
            .put("label", r.variant().label())
            .put("windowSeconds", r.windowSeconds())
            .put("ptuUtilization", r.ptuUtilization())
            .put("spillShare", r.spillShare())
            .put("meetsTarget", r.meetsTarget())
            .put("ptuBucketStartPercent", r.ptuBucketStartPercent())
            .put("ptuBucketEndPercent", r.ptuBucketEndPercent())
            .put("simulator", new JsonObject().put("ptu", stats(r.ptu())).put("payg", stats(r.payg())))
            .put("gateway", gateway)
            .put("client", client);
    baseline
        .filter(b -> b != r)
        .ifPresent(
            b ->
                o.put(
                    "vsRoundRobin",
                    new JsonObject()
                        .put("ptuUtilization", ratioValue(r.ptuUtilization(), b.ptuUtilization()))
                        .put("spillShare", ratioValue(r.spillShare(), b.spillShare()))
                        .put("p50", ratioValue(r.client().okLatency().p50Millis(), b.client().okLatency().p50Millis()))
                        .put("p99", ratioValue(r.client().okLatency().p99Millis(), b.client().okLatency().p99Millis()))));
    return o;
  }

  private static JsonObject stats(DeploymentStats d) {
    return new JsonObject()
        .put("requests", d.requests())
        .put("succeeded", d.succeeded())
        .put("throttled", d.throttled())
        .put("promptTokens", d.promptTokens())
        .put("completionTokens", d.completionTokens())
        .put("totalTokens", d.totalTokens());
  }

  private static Double ratioValue(double a, double b) {
    return b == 0 ? null : a / b;
  }

  private static String ratio(double a, double b) {
    return b == 0 ? "n/a" : f("%.2f×", a / b);
  }

  static String num(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : f("%s", v);
  }
}
