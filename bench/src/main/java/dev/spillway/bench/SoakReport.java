package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** Writes a {@link SoakRun} as {@code soak.md} and {@code soak.json}. Pure text building apart from {@link #write}. */
final class SoakReport {
  /** Rows of the timeline at most; consecutive samples are merged to fit. */
  private static final int TIMELINE_ROWS = 36;

  private SoakReport() {}

  static Path write(SoakRun run) {
    return ReportEnvironment.write(run.settings().outDir(), "soak", () -> markdown(run), () -> json(run));
  }

  static String markdown(SoakRun run) {
    SoakSettings s = run.settings();
    String span = SpilloverBenchmark.human(s.comparedSpan());
    StringBuilder md = new StringBuilder("# Soak\n\n");
    md.append(ReportEnvironment.header("SoakBenchmark", "bench/run-soak",
        "The gateway, the simulator, the load generator and the shared PostgreSQL and Redis all run on this"
            + " machine, unpinned.",
        run.startedAt(), run.loadAverageAtStart(), run.loadAverageAtEnd()));
    md.append(f("""
        ## Setup

        - **Gateway**: %s, its own process: key auth, limits in Redis (`limits.store: redis`, fail open), the usage \
        ledger in PostgreSQL (a database created for the run and dropped after it), backend timeouts of %d s (connect \
        1 s), `server.drainDelay` 500 ms and `drainTimeout` 10 s. Redis and PostgreSQL are reached through a TCP proxy \
        each (`OutageProxy`), which plays their outages for this gateway alone.
        - **Upstream**: `spillway simulate`, its own process, zero latency, a PTU deployment (priority 1, capacity far \
        above the load) and a PAYG one (priority 2); each fails %s %% of the requests it gets on its own, chosen \
        uniformly among `%s` (so a hang is one fault in sixteen; it costs the gateway its %d s first-byte timeout, then a retry on the other \
        deployment).
        - **Peak**: %s of unmeasured closed-loop warm-up, then %s at %d connections of plain requests: **%.0f req/s** \
        (%d errors).
        - **Load**: open loop at %.0f %% of that, **%.0f req/s**, for %s; %d %% of the requests streamed \
        (`include_usage`, read to the end), the others plain; `max_tokens` %d. A request is *answered* when its status \
        line arrived; its latency runs from when it was due to the end of its body. Before it, %s of the same load \
        as the soak's consumer, unmeasured, lets the gateway settle.
        - **Outages**: PostgreSQL unreachable without a word (blackhole: connections accepted, nothing answered) from \
        %s to %s s; Redis refusing connections (open ones reset) from %s to %s s.
        - **Sampling** every %s, through JMX (attach API, no flags on the gateway) and `/proc`: the gateway's heap as \
        its last collection left it, `VmRSS`, the entries of `/proc/<pid>/fd` (and how many are sockets), its CPU and \
        the machine's, the ledger backlog from `/metrics`, and the period's latency and answers. Every %s the sample \
        first has the gateway run a full collection (`System.gc()` over JMX) and reads the heap after it: the live \
        set. Under G1 the heap after an ordinary young collection saws with the old generation's garbage over minutes \
        whether or not anything leaks, so the heap verdict uses the live set; the full collection stops the gateway \
        (see *forced GC* below), so the period after it is left out of the p99 verdict.
        - **Verdicts**: the first %s against the last %s of the load, each within %.0f %%: live heap, RSS and open \
        files as the median of the span's readings, p99 over every answer finished in the span; and the ledger's rows \
        for the soak's consumer received after the settle, counted after the gateway stopped on SIGTERM, equal to the \
        answered requests.

        """,
        s.gatewayJar().map(j -> "`java -jar " + j.getFileName() + " serve`").orElse("`SpillwayCli serve` (class path)")
            + (s.gatewayHeap().isEmpty() ? " with the JVM's default heap sizing"
                : " with a fixed heap (`" + String.join(" ", SoakStack.heapFlags(s.gatewayHeap())) + "`)"),
        SoakStack.BACKEND_FIRST_BYTE_TIMEOUT.toSeconds(), trim(s.faultPercent()), SoakStack.FAULT_KINDS,
        SoakStack.BACKEND_FIRST_BYTE_TIMEOUT.toSeconds(), SpilloverBenchmark.human(s.peakWarmup()),
        SpilloverBenchmark.human(s.peakDuration()), s.peakConnections(), run.peak().requestsPerSecond(),
        run.peak().errors(), s.loadFraction() * 100, run.offeredPerSecond(), SpilloverBenchmark.human(s.duration()),
        s.streamPercent(), s.maxTokens(), SpilloverBenchmark.human(s.settle()), seconds(run.databaseOutage()[0]), seconds(run.databaseOutage()[1]),
        seconds(run.redisOutage()[0]), seconds(run.redisOutage()[1]), SpilloverBenchmark.human(s.sampleEvery()),
        SpilloverBenchmark.human(s.fullGcEvery()), span, span, SoakRun.FLAT_PERCENT));
    md.append("## Verdicts\n\n").append(verdictTable(run)).append('\n');
    md.append("## p99 by span\n\n").append(spans(run)).append('\n');
    md.append("## Requests\n\n").append(totals(run)).append('\n');
    md.append("## Timeline\n\n").append(timeline(run)).append('\n');
    if (!run.notes().isEmpty()) {
      md.append("## Notes\n\n")
          .append(run.notes().stream().map(n -> "- " + n).collect(Collectors.joining("\n")))
          .append("\n");
    }
    return md.toString();
  }

  static String verdictTable(SoakRun run) {
    String span = SpilloverBenchmark.human(run.settings().comparedSpan());
    StringBuilder t = new StringBuilder(f("| check | first %s | last %s | change | verdict | measured as |\n", span, span));
    t.append("|---|---:|---:|---:|---|---|\n");
    for (SoakRun.Verdict v : run.verdicts()) {
      boolean ledger = v.name().startsWith("ledger");
      t.append(f("| %s | %s | %s | %s | **%s** | %s |\n", v.name(),
          ledger ? f("%,d answered", (long) v.first()) : figure(v.first(), v.unit()),
          ledger ? f("%,d rows", (long) v.last()) : figure(v.last(), v.unit()),
          ledger ? "" : f("%+.1f %%", v.changePercent()), v.shown(), v.detail()));
    }
    return t.toString();
  }

  /** Every span's p99, and the spread between steady spans: the noise the p99 verdict is read against. */
  private static String spans(SoakRun run) {
    StringBuilder t = new StringBuilder("| span | p99 | outage in it |\n|---|---:|---|\n");
    for (SoakRun.SpanP99 s : run.p99BySpan()) {
      t.append(f("| %.0f–%.0f s | %s | %s |\n", s.fromSeconds(), s.toSeconds(), figure(s.p99Millis(), "ms"),
          s.steady() ? "" : "yes"));
    }
    double spread = run.steadySpreadPercent();
    t.append(spread < 0 ? "\nFewer than two steady spans: no spread.\n"
        : f("%nThe p99s of the steady spans (no outage in them) differ by up to %.1f %%: the first-against-last verdict"
            + " is read against that.%n", spread));
    return t.toString();
  }

  private static String totals(SoakRun run) {
    StringBuilder t = new StringBuilder();
    t.append(f("Sent %,d, answered %,d, no status line %,d%s. The gateway %s after SIGTERM.%n%n", run.sent(),
        run.answered(), run.sent() - run.answered(), run.notAnswered().isEmpty() ? "" : " (" + kinds(run.notAnswered()) + ")",
        run.gatewayExit().isPresent() ? "exited with " + run.gatewayExit().getAsInt() : "had to be killed"));
    t.append("| answers as the client saw them | count |\n|---|---:|\n");
    run.answersByKind().forEach((k, n) -> t.append(f("| %s | %,d |%n", k, n)));
    t.append("\n| ledger rows by status | count |\n|---|---:|\n");
    run.ledgerRowsByStatus().forEach((k, n) -> t.append(f("| %d | %,d |%n", k, n)));
    t.append(f("%nA stream that broke after its status line is booked with the status of the failure (502 when the"
        + " backend cut it) while the client saw 200 and an error event, so the two tables differ by kind; their"
        + " totals must not.%n"));
    return t.toString();
  }

  private static String timeline(SoakRun run) {
    List<SoakSample> samples = run.samples();
    int group = Math.max(1, (samples.size() + TIMELINE_ROWS - 1) / TIMELINE_ROWS);
    StringBuilder t = new StringBuilder(f("One row per %d sample(s). Heap after GC, RSS and open files (sockets) at"
        + " the row's last sample; live heap and forced GC (how long the requested full collection took) at the row's"
        + " last sample that requested one; p50 and p99 over all the row's answers; errors = non-200 answers and cut"
        + " bodies or streams; CPU in cores (machine = every process, ours and others'); backlog = the ledger's rows"
        + " not yet in PostgreSQL (its /metrics), the row's highest.%n%n", group));
    t.append("| until | phase | answered/s | p50 | p99 | errors | heap after GC | live heap | forced GC | RSS |"
        + " open files (sockets) | gateway CPU | machine CPU | backlog |\n"
        + "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int i = 0; i < samples.size(); i += group) {
      List<SoakSample> rows = samples.subList(i, Math.min(samples.size(), i + group));
      SoakSample last = rows.getLast();
      Histogram h = new Histogram(SoakTraffic.HIGHEST_MICROS, 3);
      rows.forEach(r -> h.add(r.latency()));
      double seconds = last.endSeconds() - rows.getFirst().startSeconds();
      long answered = rows.stream().mapToLong(SoakSample::answered).sum();
      String phase = rows.stream().map(SoakSample::phase).filter(p -> !p.equals("steady")).findFirst().orElse("steady");
      SoakSample live = rows.stream().filter(r -> r.liveHeapMiB() >= 0).reduce((a, b) -> b).orElse(last);
      t.append(f("| %.0f s | %s | %.0f | %.1f ms | %.1f ms | %d | %.1f MiB | %s | %s | %.1f MiB | %d (%d) | %.2f | %.2f"
              + " | %d |%n",
          last.endSeconds(), phase, seconds > 0 ? answered / seconds : 0,
          h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50) / 1000.0,
          h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99) / 1000.0,
          rows.stream().mapToLong(SoakSample::errors).sum(), last.heapAfterGcMiB(), figure(live.liveHeapMiB(), "MiB"),
          figure(live.forcedGcMillis(), "ms"), last.rssMiB(), last.openFiles(), last.openSockets(),
          rows.stream().mapToDouble(SoakSample::gatewayCpuCores).average().orElse(-1),
          rows.stream().mapToDouble(SoakSample::machineBusyCores).average().orElse(-1),
          rows.stream().mapToLong(SoakSample::ledgerBacklog).max().orElse(-1)));
    }
    return t.toString();
  }

  static JsonObject json(SoakRun run) {
    SoakSettings s = run.settings();
    JsonArray verdicts = new JsonArray();
    for (SoakRun.Verdict v : run.verdicts()) {
      verdicts.add(new JsonObject().put("check", v.name()).put("first", v.first()).put("last", v.last())
          .put("changePercent", Double.isFinite(v.changePercent()) ? v.changePercent() : null)
          .put("pass", v.pass()).put("measuredAs", v.detail()));
    }
    JsonObject rows = new JsonObject();
    run.ledgerRowsByStatus().forEach((k, n) -> rows.put(Integer.toString(k), n));
    return new JsonObject()
        .put("environment", ReportEnvironment.json(run.startedAt(), run.loadAverageAtStart(), run.loadAverageAtEnd()))
        .put("settings", new JsonObject()
            .put("durationSeconds", s.duration().toSeconds())
            .put("loadFraction", s.loadFraction())
            .put("streamPercent", s.streamPercent())
            .put("faultPercent", s.faultPercent())
            .put("faultKinds", SoakStack.FAULT_KINDS)
            .put("sampleEverySeconds", s.sampleEvery().toMillis() / 1000.0)
            .put("fullGcEverySeconds", s.fullGcEvery().toMillis() / 1000.0)
            .put("comparedSpanSeconds", s.comparedSpan().toSeconds())
            .put("maxTokens", s.maxTokens())
            .put("seed", s.seed()))
        .put("peak", run.peak().toJson())
        .put("offeredPerSecond", run.offeredPerSecond())
        .put("databaseOutageSeconds", new JsonArray().add(run.databaseOutage()[0]).add(run.databaseOutage()[1]))
        .put("redisOutageSeconds", new JsonArray().add(run.redisOutage()[0]).add(run.redisOutage()[1]))
        .put("verdicts", verdicts)
        .put("p99BySpan", new JsonArray(run.p99BySpan().stream().map(sp -> new JsonObject()
            .put("fromSeconds", sp.fromSeconds()).put("toSeconds", sp.toSeconds()).put("p99Millis", sp.p99Millis())
            .put("steady", sp.steady())).toList()))
        .put("steadySpreadPercent", run.steadySpreadPercent())
        .put("allPass", run.allPass())
        .put("sent", run.sent())
        .put("answered", run.answered())
        .put("notAnswered", new JsonObject(new TreeMap<String, Object>(run.notAnswered())))
        .put("answersByKind", new JsonObject(new TreeMap<String, Object>(run.answersByKind())))
        .put("ledgerRows", run.ledgerRows())
        .put("ledgerRowsByStatus", rows)
        .put("gatewayExitCode", run.gatewayExit().isPresent() ? run.gatewayExit().getAsInt() : null)
        .put("samples", new JsonArray(run.samples().stream().map(SoakSample::toJson).toList()))
        .put("notes", new JsonArray(run.notes()));
  }

  private static String figure(double value, String unit) {
    if (value < 0) {
      return "—";
    }
    return unit.isEmpty() ? f("%.0f", value) : f("%.1f %s", value, unit);
  }

  private static String seconds(double value) {
    return value < 0 ? "—" : f("%.0f", value);
  }

  private static String trim(double percent) {
    return percent == Math.rint(percent) ? f("%.0f", percent) : f("%s", percent);
  }

  private static String kinds(Map<String, Long> byKind) {
    return byKind.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
  }
}
