package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes an {@link UploadMemoryRun} as {@code upload-memory.md} and {@code upload-memory.json}. Pure text building
 * apart from {@link #write}.
 */
final class UploadMemoryReport {
  static final String NAME = "upload-memory";

  private UploadMemoryReport() {}

  static Path write(UploadMemoryRun run) {
    return ReportEnvironment.write(run.settings().outDir(), NAME, () -> markdown(run), () -> json(run));
  }

  /** The one line that answers the question as it is asked, PASS or FAIL: the heap in use. */
  static String verdictLine(UploadMemoryRun run) {
    double baseline = UploadMemoryRun.peakGrowthMiB(run.baseline(), UploadHeapMeter.Sampling.IN_USE);
    String against = Double.isNaN(baseline)
        ? ""
        : f("; a process holding the body in memory grew by %.1f MiB", baseline);
    String unanswered = run.allAnswered() ? "" : "; not every upload was answered 200";
    return f("**%s** — peak growth ≤ %.0f MiB: the gateway's heap in use grew by at most %.1f MiB while a %.1f MiB"
            + " upload passed (%.3f × the upload)%s%s.", run.pass() ? "PASS" : "FAIL",
        UploadMemorySettings.PEAK_LIMIT_MIB, run.gatewayPeakGrowthMiB(), run.uploadMiB(), run.gatewayRatio(), against,
        unanswered);
  }

  /** The same bound on the live heap (a full collection before each sample); empty when that was not measured. */
  static String liveVerdictLine(UploadMemoryRun run) {
    if (Double.isNaN(run.gatewayLiveGrowthMiB())) {
      return "";
    }
    double baseline = UploadMemoryRun.peakGrowthMiB(run.baseline(), UploadHeapMeter.Sampling.LIVE);
    return f("**%s** — live growth ≤ %.0f MiB: with a full collection before each sample, the gateway's live heap"
            + " grew by at most %.1f MiB during the upload (%.3f × the upload)%s.", run.livePass() ? "PASS" : "FAIL",
        UploadMemorySettings.PEAK_LIMIT_MIB, run.gatewayLiveGrowthMiB(), run.gatewayLiveGrowthMiB() / run.uploadMiB(),
        Double.isNaN(baseline) ? "" : f("; the buffering process's by %.1f MiB", baseline));
  }

  static String markdown(UploadMemoryRun run) {
    UploadMemorySettings s = run.settings();
    StringBuilder md = new StringBuilder("# Upload memory\n\n");
    md.append(ReportEnvironment.header("UploadMemoryBenchmark", "bench/run-upload-memory",
        "The gateway, the simulator, the baseline and the harness (the client) each run as their own process on"
            + " this machine, unpinned.",
        run.startedAt(), run.loadAverageAtStart(), run.loadAverageAtEnd()));
    md.append("## Verdict\n\n").append(verdictLine(run)).append("\n\n");
    String live = liveVerdictLine(run);
    if (!live.isEmpty()) {
      md.append(live).append("\n\n");
    }
    md.append(f("Heap allocated per upload, kept or not: up to %.1f × the upload in the gateway (every round's figure"
        + " is in the table); the young generation collects it, and until it does it counts in the heap in use.%n%n",
        run.gatewayAllocatedRatio()));
    md.append(f("""
        ## Setup

        - **Gateway**: %s, its own process, heap %s, collectors %s; `server.maxBodyBytes` %,d (%.0f MiB); key auth, \
        one consumer, no ledger. It spools an upload to an owner-only temporary file as it arrives and streams it to \
        the backend from that file.
        - **Upstream**: `spillway simulate`, its own process, zero latency, one audio deployment `%s` (Azure shape) \
        that reads the form as it streams in and answers a transcription.
        - **Upload**: `POST /v1/audio/transcriptions`, a multipart form with a WAV file of %,d bytes (%.1f MiB: a RIFF \
        header, then silence) first and the `model` field after it, as the SDKs may order them; %,d bytes in all. The \
        harness (the JDK's HTTP client, its own process) streams it from a temporary file and never holds it.
        - **Warm-up**: %d uploads of %.1f MiB each before the first measured one, unmeasured, each answered 200.
        - **Measurement**, %d uploads per process sampling the heap *in use*, then %d sampling the *live* heap: a \
        full collection in the measured process (`System.gc()` over \
        JMX: attach API, no flags on it), its heap after it (*live before*); the heap every %s while the upload is \
        in flight and once more as it is answered (*peak* is the highest sample); \
        then another full collection (*live after*). *In use*: the heap in use, garbage included, no collection \
        requested, so the upload runs undisturbed; its peak growth (peak − live before) is an upper bound on what \
        the process held for the upload, since garbage its young generation has not yet collected counts too. \
        *Live*: the process runs a full collection before each sample (over JMX, stopping it meanwhile, so the \
        upload is slower), and the sample is what it still held. *Retained* = live after − live before. \
        *Allocated*: what the process allocated on its heap from before the upload until its answer (its threads' \
        allocation counters), kept or not.
        """, run.settings().gatewayJar().map(j -> "`java -jar " + j.getFileName() + " serve`")
            .orElse("`SpillwayCli serve` from the bench class path"),
        s.gatewayHeap().isEmpty() ? "the JVM's default sizing" : "`-Xms" + s.gatewayHeap() + " -Xmx" + s.gatewayHeap()
            + " -XX:+AlwaysPreTouch`", run.gatewayCollectors().isEmpty() ? "unknown" : String.join(", ",
            run.gatewayCollectors()), s.maxBodyBytes(), s.maxBodyBytes() / 1048576.0, UploadMemoryBenchmark.MODEL,
        run.fileBytes(), run.fileBytes() / 1048576.0, run.bodyBytes(), s.warmups(), s.warmupBytes() / 1048576.0,
        s.repeats(), s.liveRepeats(), SpilloverBenchmark.human(s.sampleEvery())));
    md.append(run.baseline().isEmpty()
        ? "- **Baseline**: not measured (`--baseline false`); the ratio growth ÷ upload size stands for it (1 = the"
            + " upload held once).\n\n"
        : "- **Baseline**: the same uploads, warm-up included, to `BufferingUploadSink`, a Vert.x server in its own"
            + " process with the gateway's heap flags that holds each body in one buffer sized from its"
            + " `Content-Length` until it has arrived, measured the same way: what buffering the upload costs.\n\n");
    md.append("## Uploads\n\n");
    md.append("| process | # | sampling | status | time | MiB/s | live before | peak | peak growth | growth ÷ upload |"
        + " samples | GCs during | live after | retained | allocated |\n"
        + "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    rows(md, "gateway", run.gateway(), run.uploadMiB());
    rows(md, "baseline", run.baseline(), run.uploadMiB());
    md.append("\n*GCs during* counts the collections the process ran while the upload was in flight, the requested"
        + " ones included: a young collection empties the heap in use, so the peak in use is the highest point between"
        + " them, bounded by the young generation's size.\n");
    if (!run.notes().isEmpty()) {
      md.append("\n## Notes\n\n");
      run.notes().forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  private static void rows(StringBuilder md, String process, List<UploadHeapMeter.Round> rounds, double uploadMiB) {
    for (int i = 0; i < rounds.size(); i++) {
      UploadHeapMeter.Round r = rounds.get(i);
      md.append(f("| %s | %d | %s | %d | %.2f s | %.0f | %.1f MiB | %.1f MiB | %.1f MiB | %.3f | %d | %d | %.1f MiB |"
              + " %+.1f MiB | %s |%n", process, i + 1, r.sampling().label(), r.status(), r.seconds(),
          uploadMiB / r.seconds(), r.liveBeforeMiB(), r.peakUsedMiB(), r.peakGrowthMiB(), r.peakGrowthMiB() / uploadMiB,
          r.samples(), r.collections(), r.liveAfterMiB(), r.retainedGrowthMiB(),
          r.allocatedMiB() < 0 ? "—" : f("%.0f MiB", r.allocatedMiB())));
    }
  }

  static JsonObject json(UploadMemoryRun run) {
    UploadMemorySettings s = run.settings();
    return new JsonObject()
        .put("environment", ReportEnvironment.json(run.startedAt(), run.loadAverageAtStart(), run.loadAverageAtEnd()))
        .put("settings", new JsonObject()
            .put("uploadFileBytes", run.fileBytes())
            .put("uploadBodyBytes", run.bodyBytes())
            .put("repeats", s.repeats())
            .put("liveRepeats", s.liveRepeats())
            .put("warmups", s.warmups())
            .put("warmupFileBytes", s.warmupBytes())
            .put("sampleEveryMillis", s.sampleEvery().toMillis())
            .put("gatewayHeap", s.gatewayHeap().isEmpty() ? "default" : s.gatewayHeap())
            .put("gatewayCollectors", new JsonArray(run.gatewayCollectors()))
            .put("maxBodyBytes", s.maxBodyBytes()))
        .put("verdict", new JsonObject()
            .put("check", f("peak growth <= %.0f MiB", UploadMemorySettings.PEAK_LIMIT_MIB))
            .put("gatewayPeakGrowthMiB", run.gatewayPeakGrowthMiB())
            .put("gatewayGrowthPerUploadSize", run.gatewayRatio())
            .put("baselinePeakGrowthMiB", number(UploadMemoryRun.peakGrowthMiB(run.baseline(),
                UploadHeapMeter.Sampling.IN_USE)))
            .put("gatewayLiveGrowthMiB", number(run.gatewayLiveGrowthMiB()))
            .put("baselineLiveGrowthMiB", number(UploadMemoryRun.peakGrowthMiB(run.baseline(),
                UploadHeapMeter.Sampling.LIVE)))
            .put("gatewayAllocatedPerUploadSize", number(run.gatewayAllocatedRatio()))
            .put("allAnswered", run.allAnswered())
            .put("pass", run.pass())
            .put("livePass", Double.isNaN(run.gatewayLiveGrowthMiB()) ? null : run.livePass()))
        .put("gateway", rounds(run.gateway()))
        .put("baseline", rounds(run.baseline()))
        .put("notes", new JsonArray(run.notes()));
  }

  private static JsonArray rounds(List<UploadHeapMeter.Round> rounds) {
    JsonArray out = new JsonArray();
    for (UploadHeapMeter.Round r : rounds) {
      out.add(new JsonObject()
          .put("sampling", r.sampling().name())
          .put("status", r.status())
          .put("seconds", r.seconds())
          .put("liveBeforeMiB", r.liveBeforeMiB())
          .put("peakUsedMiB", r.peakUsedMiB())
          .put("peakGrowthMiB", r.peakGrowthMiB())
          .put("liveAfterMiB", r.liveAfterMiB())
          .put("retainedGrowthMiB", r.retainedGrowthMiB())
          .put("samples", r.samples())
          .put("collectionsDuring", r.collections())
          .put("allocatedMiB", r.allocatedMiB() < 0 ? null : r.allocatedMiB()));
    }
    return out;
  }

  private static Double number(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
