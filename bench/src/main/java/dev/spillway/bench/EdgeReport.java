package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Renders an {@link EdgeRun} as {@code edge.md} and {@code edge.json}: overhead, streaming and
 * footprint, each with the baseline measured in the same run, and the targets met or missed with
 * their numbers. Pure apart from {@link #write}.
 */
final class EdgeReport {
  static final double GIB_KIB = 1024.0 * 1024.0;

  private EdgeReport() {}

  static Path write(EdgeRun run) {
    return ReportEnvironment.write(run.settings().outDir(), "edge", () -> markdown(run), () -> json(run));
  }

  static String markdown(EdgeRun run) {
    StringBuilder md = new StringBuilder("# Edge benchmark: overhead, streaming, footprint\n\n");
    md.append(ReportEnvironment.header("EdgeBenchmark", "bench/run-all", sharing(run), run.startedAt(),
        run.loadAverageAtStart(), run.loadAverageAtEnd()));
    md.append(f("The gateway runs as %s, each participant as its own process on loopback.\n\n", run.gateway()));
    md.append("## Targets\n\n");
    for (String line : targets(run)) {
      md.append("- ").append(line).append('\n');
    }
    md.append('\n');
    run.overhead().ifPresent(o -> md.append(overhead(run, o)));
    if (!run.streaming().isEmpty()) {
      md.append(streaming(run));
    }
    run.footprint().ifPresent(fp -> md.append(footprint(fp)));
    return md.toString();
  }

  private static String sharing(EdgeRun run) {
    EdgeSettings s = run.settings();
    int cpus = ProcStats.cpuBusySeconds().length;
    String machine = cpus > 0 ? f("The machine has %d CPUs (the core count above is what this pinned JVM sees). ", cpus) : "";
    if (s.serverCpus().isEmpty() && s.loadCpus().isEmpty()) {
      return machine + "Nothing was pinned: load generators, participants and upstream shared all cores.";
    }
    return machine + f("Pinned with taskset: the participant under test alone on CPU %s; its upstream (the simulator)"
        + " and the load generators (wrk, and the benchmark JVM with the Java generators and SSE clients) on CPU %s, so"
        + " that what a participant costs is not its upstream's work on the same core (the direct baseline's figures"
        + " show what that CPU sustains); other processes on the machine were not pinned.",
        s.serverCpus().orElse("any"), s.loadCpus().orElse("any"));
  }

  /** One line per target: met, missed or not measured, with the numbers. */
  static List<String> targets(EdgeRun run) {
    List<String> out = new ArrayList<>();
    OverheadResult o = run.overhead().orElse(null);
    OverheadResult.Row sw = o == null ? null : o.row("spillway");
    OverheadResult.Row ng = o == null ? null : o.row("nginx");
    OverheadResult.Row pk = o == null ? null : o.row("portkey");
    OverheadResult.Row dr = o == null ? null : o.row("direct");
    if (sw != null && ng != null) {
      double r = sw.peak().requestsPerSecond() / ng.peak().requestsPerSecond();
      out.add(verdict(r >= 0.9, f("Throughput ≥ 0.9 × nginx: %.2f × (%,.0f vs %,.0f req/s).", r,
          sw.peak().requestsPerSecond(), ng.peak().requestsPerSecond())));
    } else {
      out.add("Throughput ≥ 0.9 × nginx: not measured in this run.");
    }
    if (sw != null && pk != null) {
      double r = sw.peak().requestsPerSecond() / pk.peak().requestsPerSecond();
      out.add(verdict(r >= 10, f("Throughput ≥ 10 × Portkey: %.1f × (%,.0f vs %,.0f req/s).", r,
          sw.peak().requestsPerSecond(), pk.peak().requestsPerSecond())));
    } else {
      out.add("Throughput ≥ 10 × Portkey: not measured in this run.");
    }
    if (sw != null && dr != null) {
      double added = sw.fixed().okLatency().p99Millis() - dr.fixed().okLatency().p99Millis();
      out.add(verdict(added <= 1.0, f("≤ 1 ms added p99 at %s of Spillway's peak (%,.0f req/s): %+.3f ms.",
          pct(run.settings().rateFraction()), o.fixedRate(), added)));
    } else {
      out.add("≤ 1 ms added p99 at half of Spillway's peak: not measured in this run.");
    }
    StreamingScenario.Step tenK =
        run.streaming().stream().filter(s -> s.streams() >= 10_000).findFirst().orElse(null);
    if (tenK != null && tenK.peakRssKib() > 0) {
      out.add(verdict(tenK.peakRssKib() <= GIB_KIB && tenK.spillway().errors() == 0,
          f("10k streams in ≤ 1 GiB RSS: %.2f GiB peak gateway RSS with %,d streams, %d errors.",
              tenK.peakRssKib() / GIB_KIB, tenK.streams(), tenK.spillway().errors())));
      double ttftAdded = tenK.spillway().ttftP99Millis() - tenK.direct().ttftP99Millis();
      double gapAdded = tenK.spillway().gapP99Millis() - tenK.direct().gapP99Millis();
      out.add(verdict(ttftAdded <= 50, f("10k streams, time to first token p99 ≤ +50 ms over direct: %+.1f ms.", ttftAdded)));
      out.add(verdict(gapAdded <= 10, f("10k streams, inter-chunk p99 ≤ +10 ms over direct: %+.1f ms.", gapAdded)));
    } else {
      out.add(tenKNotMeasured(run.streaming()));
    }
    return out;
  }

  /**
   * Without a 10k step: says why (the open-file limit, when it is what capped the steps) and, from the largest step
   * that ran cleanly, projects the RSS at 10k as idle + per-stream growth × 10,000. A projection is not a measurement,
   * so it is labelled as one and never reported as met.
   */
  private static String tenKNotMeasured(List<StreamingScenario.Step> steps) {
    long fdLimit = ProcStats.openFileLimit();
    String why = EdgeSettings.streamsThatFit(fdLimit) < EdgeSettings.TARGET_STREAMS
        ? f("the open-file limit of this run is %,d per process (bench/run-all raises it to the hard limit); the gateway"
            + " holds one socket per stream", fdLimit)
        : "no step of 10,000 streams";
    StreamingScenario.Step largest = steps.stream()
        .filter(s -> s.peakRssKib() > 0 && s.spillway().errors() == 0)
        .max(Comparator.comparingInt(StreamingScenario.Step::streams))
        .orElse(null);
    if (largest == null) {
      return "10k streams in ≤ 1 GiB RSS: not measured in this run (" + why + ").";
    }
    double perStreamKib = (double) (largest.peakRssKib() - largest.idleRssKib()) / largest.streams();
    double projectedGib = (largest.idleRssKib() + perStreamKib * EdgeSettings.TARGET_STREAMS) / GIB_KIB;
    return f("10k streams in ≤ 1 GiB RSS: **not measured** (%s). Largest clean step: %,d streams at %.2f GiB peak RSS;"
        + " projected to 10,000 streams (idle + %.1f KiB per stream): %.2f GiB, %s the target.", why, largest.streams(),
        largest.peakRssKib() / GIB_KIB, perStreamKib, projectedGib, projectedGib <= 1.0 ? "within" : "over");
  }

  private static String verdict(boolean met, String text) {
    return (met ? "**met** — " : "**missed** — ") + text;
  }

  private static String overhead(EdgeRun run, OverheadResult o) {
    EdgeSettings s = run.settings();
    StringBuilder md = new StringBuilder("## 1. Overhead\n\n");
    md.append(f("Upstream: the simulator in zero-latency mode (answers at once), the same for every participant."
        + " Body: one short non-streamed chat request (`max_tokens` 16), the same bytes for all; %d connections"
        + " for all. Spillway: gateway-key auth, a consumer with limits far above the load, metrics, SQLite ledger."
        + " nginx: `proxy_pass` with upstream keepalive, one worker. Portkey: `@portkey-ai/gateway` on Node with"
        + " `x-portkey-provider: openai` and `x-portkey-custom-host` pointing at the simulator.\n\n", o.connections()));
    md.append(f("**Peak** (closed loop, %s, %s after a %s warm-up): every connection sends its next request when the"
        + " previous answer arrives. **Latency** (open loop at %,.0f req/s = %s of Spillway's peak, %s after a %s"
        + " warm-up, the Java generator on the same %d connections; measured from when each request was sent, so a"
        + " wait for a busy connection counts): added latency is the participant's minus direct's at the same"
        + " rate.\n\n", o.loadTool(), SpilloverBenchmark.human(s.peakDuration()),
        SpilloverBenchmark.human(s.warmup()), o.fixedRate(), pct(s.rateFraction()),
        SpilloverBenchmark.human(s.latencyDuration()), SpilloverBenchmark.human(s.warmup()), o.connections()));
    OverheadResult.Row dr = o.row("direct");
    md.append("| participant | peak req/s | peak errors | p50 ms | p99 ms | added p50 ms | added p99 ms | errors at fixed rate |"
        + " participant cores (peak / fixed) | upstream cores (peak) | load generator cores (peak / fixed) |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<String> overloaded = new ArrayList<>();
    for (OverheadResult.Row r : o.rows()) {
      LatencySummary l = r.fixed().okLatency();
      OpenLoopGenerator.Summary fx = r.fixed();
      // A participant whose peak is below the fixed rate never catches up: most of the window's requests are still
      // queued for one of the connections when the run ends. Its percentiles (of the few answered, or of none)
      // would read as fast; say so instead.
      boolean behind = fx.windowCompleted() < fx.windowSent();
      if (behind) {
        overloaded.add(f("%s answered %,d of the %,d requests due in the fixed-rate window (its peak is %,.0f req/s,"
            + " below the %,.0f offered), so it has no latency at this rate", r.name(), fx.windowCompleted(),
            fx.windowSent(), r.peak().requestsPerSecond(), o.fixedRate()));
      }
      String p50 = behind ? "overloaded" : f("%.3f", l.p50Millis());
      String p99 = behind ? "overloaded" : f("%.3f", l.p99Millis());
      boolean noAdded = behind || dr == null || r == dr;
      String addedP50 = noAdded ? "—" : f("%+.3f", l.p50Millis() - dr.fixed().okLatency().p50Millis());
      String addedP99 = noAdded ? "—" : f("%+.3f", l.p99Millis() - dr.fixed().okLatency().p99Millis());
      double loadPeakCores = r.peak().loadGeneratorCpuSeconds() < 0 ? -1 : r.peak().loadGeneratorCpuSeconds() / r.peak().seconds();
      md.append(f("| %s | %,.0f | %d | %s | %s | %s | %s | %d | %.2f / %.2f | %.2f | %s / %.2f |\n",
          r.name(), r.peak().requestsPerSecond(), r.peak().errors(), p50, p99, addedP50, addedP99,
          r.fixed().window429() + r.fixed().windowOtherErrors(), r.peakServerCores(), r.fixedServerCores(),
          r.peakUpstreamCores(), loadPeakCores < 0 ? "?" : f("%.2f", loadPeakCores), r.fixedLoadCores()));
    }
    md.append('\n');
    for (String line : overloaded) {
      md.append("- ").append(line).append(".\n");
    }
    if (!overloaded.isEmpty()) {
      md.append('\n');
    }
    OverheadResult.Row sw = o.row("spillway");
    List<String> ratios = new ArrayList<>();
    for (String peer : List.of("nginx", "portkey", "direct")) {
      OverheadResult.Row p = o.row(peer);
      if (sw != null && p != null) {
        ratios.add(f("Spillway ÷ %s = %.2f", peer, sw.peak().requestsPerSecond() / p.peak().requestsPerSecond()));
      }
    }
    if (!ratios.isEmpty()) {
      md.append("Peak throughput ratios: ").append(String.join("; ", ratios)).append(".\n\n");
    }
    md.append("\"Cores\" are CPU seconds ÷ wall seconds of that process (nginx and Node with their children); the"
        + " load generator's column is wrk's own CPU (peak) and the benchmark JVM's (fixed rate), so its cost is"
        + " visible next to the participants'. Peak closed-loop p50/p99 as the load tool saw them are in `edge.json`.\n\n");
    for (String n : o.notes()) {
      md.append("- ").append(n).append('\n');
    }
    if (!o.notes().isEmpty()) {
      md.append('\n');
    }
    return md.toString();
  }

  private static String streaming(EdgeRun run) {
    EdgeSettings s = run.settings();
    StringBuilder md = new StringBuilder("## 2. Streaming\n\n");
    md.append(f("N concurrent SSE chat streams of %d output tokens each, paced by the simulator at %s tokens/s after its"
        + " default time to first token (150 ms + 0.2 ms per prompt token); all N opened evenly over %s, one connection"
        + " each, from the benchmark JVM. Each N runs straight to the simulator first (the baseline) and then through"
        + " a freshly started Spillway (auth, limits, metrics, ledger on; nothing carried over from the step before),"
        + " which reaches the simulator over HTTP/2 (h2c, prior knowledge: the streams share a few connections). The"
        + " gateway runs alone on the server CPU; the simulator shares the load generator's CPU,"
        + " warmed up first by min(N, %,d) streams of the same kind: cold on one core, a JVM compiles while it serves"
        + " (an unwarmed gateway spent a quarter of its core in the JIT compiler during its first step)."
        + " TTFT is request sent → first body bytes; inter-chunk delay is"
        + " the gap between body chunks as received. RSS is the gateway process's VmRSS (peak during the step), heap is"
        + " `jcmd GC.heap_info` \"used\" (live plus not-yet-collected, so an upper bound) read once when ~all streams had their"
        + " first token and were still open (jcmd runs on the load generator's CPU);"
        + " per stream = (peak − idle after the warm-up, before the step) ÷ N.\n\n",
        s.streamTokens(), num(s.tokensPerSecond()), SpilloverBenchmark.human(s.ramp()), StreamingScenario.WARMUP_STREAMS));
    md.append("| streams | TTFT p50 ms direct / Spillway (added) | TTFT p99 ms direct / Spillway (added) |"
        + " inter-chunk p99 ms direct / Spillway (added) | errors direct / Spillway | max open | gateway RSS peak MiB |"
        + " RSS per stream KiB | heap per stream KiB |\n");
    md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (StreamingScenario.Step st : run.streaming()) {
      SseStreams.Summary d = st.direct();
      SseStreams.Summary w = st.spillway();
      md.append(f("| %,d | %.1f / %.1f (%+.1f) | %.1f / %.1f (%+.1f) | %.1f / %.1f (%+.1f) | %d / %d | %,d | %.0f | %s | %s |\n",
          st.streams(), d.ttftP50Millis(), w.ttftP50Millis(), w.ttftP50Millis() - d.ttftP50Millis(),
          d.ttftP99Millis(), w.ttftP99Millis(), w.ttftP99Millis() - d.ttftP99Millis(), d.gapP99Millis(), w.gapP99Millis(),
          w.gapP99Millis() - d.gapP99Millis(),
          d.errors(), w.errors(), w.maxConcurrent(), st.peakRssKib() / 1024.0,
          perStream(st.peakRssKib(), st.idleRssKib(), st.streams()), perStream(st.peakHeapKib(), st.idleHeapKib(), st.streams())));
    }
    md.append('\n');
    long fdLimit = ProcStats.openFileLimit();
    int most = run.streaming().stream().mapToInt(StreamingScenario.Step::streams).max().orElse(0);
    if (most > EdgeSettings.streamsThatFit(fdLimit)) {
      md.append(f("- The open-file limit here is %,d per process (`ulimit -n`); the gateway holds a socket per stream"
          + " (the client's; upstream, streams share HTTP/2 connections), so a step of %,d streams needs about %,d and"
          + " some of its streams fail for that reason alone. Raise the hard limit (e.g. `ulimit -Hn 65536` as root, or"
          + " the container's nofile) for a clean run.\n", fdLimit, most,
          most + EdgeSettings.GATEWAY_OTHER_FDS + EdgeSettings.UPSTREAM_HTTP2_CONNECTIONS));
    }
    for (StreamingScenario.Step st : run.streaming()) {
      if (st.direct().ttftP50Millis() > 500) {
        md.append(f("- %,d streams: the baseline is already slowed (direct TTFT p50 %.0f ms against the simulator's ~160 ms):"
            + " the simulator and the SSE clients fall behind on these cores, and the gateway shares its CPU with that"
            + " simulator, so part of the added time is the machine's; 504s are upstream timeouts, 503s the breaker after them.\n",
            st.streams(), st.direct().ttftP50Millis()));
      }
      if (!st.spillway().errorsByKind().isEmpty() || !st.direct().errorsByKind().isEmpty()) {
        md.append(f("- %,d streams: errors direct %s, Spillway %s.\n", st.streams(), st.direct().errorsByKind(),
            st.spillway().errorsByKind()));
      }
    }
    md.append('\n');
    return md.toString();
  }

  private static String perStream(long peak, long idle, int n) {
    return peak < 0 || idle < 0 ? "?" : f("%.1f", (peak - idle) / (double) n);
  }

  private static String footprint(FootprintScenario.Result fp) {
    StringBuilder md = new StringBuilder("## 5. Footprint\n\n");
    md.append(f("The gateway with the overhead run's config (auth, limits, metrics, SQLite ledger), started %d times:"
        + " time from spawning the process to `/readyz` answering 200, then RSS and heap in use after 2 idle seconds."
        + " The baseline is the simulator (a smaller Vert.x process from the same jar) started the same way.\n\n",
        fp.gatewayStartMillis().size()));
    md.append("| process | start → ready, median ms (all) | idle RSS, median MiB | idle heap used, median MiB |\n");
    md.append("|---|---:|---:|---:|\n");
    md.append(f("| Spillway gateway | %.0f (%s) | %.0f | %.0f |\n", fp.medianStartMillis(), list(fp.gatewayStartMillis()),
        fp.medianRssKib() / 1024, fp.medianHeapKib() / 1024));
    md.append(f("| simulator (baseline) | %.0f (%s) | %.0f | — |\n\n", fp.medianSimulatorStartMillis(),
        list(fp.simulatorStartMillis()), fp.medianSimulatorRssKib() / 1024));
    return md.toString();
  }

  private static String list(List<Double> ms) {
    return String.join(", ", ms.stream().map(v -> f("%.0f", v)).toList());
  }

  private static String pct(double fraction) {
    return f("%.0f %%", fraction * 100);
  }

  private static String num(double v) {
    return v == Math.rint(v) ? f("%.0f", v) : f("%s", v);
  }

  static JsonObject json(EdgeRun run) {
    JsonObject j = new JsonObject()
        .put("environment", ReportEnvironment.json(run.startedAt(), run.loadAverageAtStart(), run.loadAverageAtEnd()))
        .put("gateway", run.gateway())
        .put("gatewayJar", run.settings().gatewayJar().map(Object::toString).orElse(null))
        .put("simulatorJar", run.settings().upstreamJar().map(Object::toString).orElse(null))
        .put("loadCpus", run.settings().loadCpus().orElse(null))
        .put("serverCpus", run.settings().serverCpus().orElse(null))
        .put("targets", new JsonArray(targets(run)));
    run.overhead().ifPresent(o -> j.put("overhead", o.toJson()));
    if (!run.streaming().isEmpty()) {
      JsonArray steps = new JsonArray();
      run.streaming().forEach(s -> steps.add(s.toJson()));
      j.put("streaming", new JsonObject()
          .put("streamTokens", run.settings().streamTokens())
          .put("tokensPerSecond", run.settings().tokensPerSecond())
          .put("steps", steps));
    }
    run.footprint().ifPresent(fp -> j.put("footprint", fp.toJson()));
    return j;
  }
}
