package dev.spillway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 2, streaming: N concurrent SSE streams of {@code streamTokens} tokens paced by the
 * simulator, first straight to the simulator (the baseline), then through Spillway, for each N.
 * Reports time to first token and inter-chunk delay for both, errors, and the gateway's RSS and
 * heap at the peak, per stream.
 */
final class StreamingScenario {
  private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

  private final EdgeSettings settings;
  private final Path workDir;
  private final PrintStream log;

  StreamingScenario(EdgeSettings settings, Path workDir, PrintStream log) {
    this.settings = settings;
    this.workDir = workDir;
    this.log = log;
  }

  /**
   * One step.
   *
   * @param idleRssKib gateway RSS just before the step; peakRssKib the most seen during it
   * @param idleHeapKib heap in use (jcmd GC.heap_info, garbage included) before; peakHeapKib when the streams were all open
   */
  record Step(
      int streams, SseStreams.Summary direct, SseStreams.Summary spillway, long idleRssKib, long peakRssKib,
      long idleHeapKib, long peakHeapKib) {
    JsonObject toJson() {
      return new JsonObject()
          .put("streams", streams)
          .put("direct", direct.toJson())
          .put("spillway", spillway.toJson())
          .put("gatewayIdleRssKib", idleRssKib)
          .put("gatewayPeakRssKib", peakRssKib)
          .put("gatewayIdleHeapKib", idleHeapKib)
          .put("gatewayPeakHeapKib", peakHeapKib);
    }
  }

  /** The freshly started gateway of each step first serves this many streams (at most N), unmeasured. */
  static final int WARMUP_STREAMS = 1_000;

  /**
   * One simulator for all steps; a fresh gateway per step, so a step starts from an idle process
   * (its RSS the baseline) and no breaker or throttle state carries over from the one before.
   */
  List<Step> run(Vertx vertx) {
    SpillwayProcesses spillway = new SpillwayProcesses(settings.gatewayJar(), settings.upstreamJar(), workDir);
    List<Step> steps = new ArrayList<>();
    Buffer shortBody = Buffer.buffer(OverheadScenario.body());
    // The gateway alone on the server CPUs; the simulator shares the load generator's, so that what the gateway adds
    // is not its upstream's work on the same core.
    try (SpillwayProcesses.Started sim =
        spillway.simulator("streaming-upstream", false, settings.tokensPerSecond(), settings.loadCpus())) {
      for (int n : settings.streams()) {
        SpillwayProcesses.GatewaySetup setup = spillway.gatewaySetup("streaming-spillway-" + n, sim.baseUrl(), true);
        try (SpillwayProcesses.Started gw = spillway.gateway(setup, settings.serverCpus())) {
          Map<String, String> auth = Map.of("authorization", "Bearer " + setup.key());
          LoadTarget direct = new LoadTarget("direct", sim.baseUrl() + "/v1/chat/completions", auth);
          LoadTarget through = new LoadTarget("spillway", gw.baseUrl() + "/v1/chat/completions", auth);
          Loopback.prime(direct, OverheadScenario.body(), Duration.ofSeconds(60));
          Loopback.prime(through, OverheadScenario.body(), Duration.ofSeconds(60));
          JavaPeakLoad.prime(vertx, direct, shortBody);
          JavaPeakLoad.prime(vertx, through, shortBody);
          int warm = Math.min(n, WARMUP_STREAMS);
          log.printf(Locale.ROOT, "streaming: warming the gateway up with %,d streams%n", warm);
          runStreams(vertx, through, warm, null);
          steps.add(step(vertx, direct, through, gw.process().pid(), n));
        }
      }
    }
    return steps;
  }

  private Step step(Vertx vertx, LoadTarget direct, LoadTarget through, long pid, int n) {
    log.printf(Locale.ROOT, "streaming: %,d streams direct%n", n);
    SseStreams.Summary d = runStreams(vertx, direct, n, null);
    long idleRss = ProcStats.rssKib(pid).orElse(-1);
    long idleHeap = heapUsedKib(pid, settings.loadCpus());
    log.printf(Locale.ROOT, "streaming: %,d streams through Spillway%n", n);
    PeakSampler sampler = new PeakSampler(pid, n, settings.loadCpus());
    SseStreams.Summary s = runStreams(vertx, through, n, sampler);
    log.printf(Locale.ROOT, "streaming: %,d streams: TTFT p99 %.1f ms direct, %.1f ms Spillway; errors %d / %d; peak RSS %,d KiB%n",
        n, d.ttftP99Millis(), s.ttftP99Millis(), d.errors(), s.errors(), sampler.peakRssKib);
    return new Step(n, d, s, idleRss, sampler.peakRssKib, idleHeap, sampler.peakHeapKib);
  }

  private SseStreams.Summary runStreams(Vertx vertx, LoadTarget target, int n, PeakSampler sampler) {
    SseStreams streams = new SseStreams(vertx, target, body(settings.streamTokens()), n);
    long perStreamMillis = 1000 + (long) (settings.streamTokens() * 1000 / settings.tokensPerSecond());
    long deadline = System.nanoTime() + settings.ramp().toNanos() + perStreamMillis * 3_000_000L + 30_000_000_000L;
    streams.start(settings.ramp());
    try {
      while (!streams.allFinished() && System.nanoTime() - deadline < 0) {
        if (sampler != null) {
          sampler.sample(streams.concurrent(), streams.settled());
        }
        OverheadScenario.sleepNanos(100_000_000);
      }
      return streams.summary();
    } finally {
      streams.close();
    }
  }

  /** Polls the gateway's RSS; takes one heap reading when (nearly) all streams are open. */
  private static final class PeakSampler {
    private final long pid;
    private final int n;
    private final java.util.Optional<String> cpus;
    long peakRssKib = -1;
    long peakHeapKib = -1;

    PeakSampler(long pid, int n, java.util.Optional<String> cpus) {
      this.pid = pid;
      this.n = n;
      this.cpus = cpus;
    }

    /**
     * The heap is read once, when (nearly) every stream has its first token (or has failed) and at
     * least half are still open: jcmd is a JVM start of its own, so it must not run while time to
     * first token is being measured.
     */
    void sample(int concurrent, int settled) {
      OptionalLong rss = ProcStats.rssKib(pid);
      if (rss.isPresent()) {
        peakRssKib = Math.max(peakRssKib, rss.getAsLong());
      }
      if (peakHeapKib < 0 && settled >= Math.max(1, (int) (0.98 * n)) && concurrent >= n / 2) {
        peakHeapKib = heapUsedKib(pid, cpus);
      }
    }
  }

  /** Heap in use per {@code jcmd PID GC.heap_info} (jcmd pinned to {@code cpus}) (live and not yet collected), KiB; -1 if unknown. */
  static long heapUsedKib(long pid, java.util.Optional<String> cpus) {
    Path jcmd = Path.of(ChildProcess.javaBinary()).resolveSibling("jcmd");
    List<String> cmd = new ArrayList<>();
    cpus.ifPresent(c -> cmd.addAll(List.of("taskset", "-c", c)));
    cmd.addAll(List.of(jcmd.toString(), Long.toString(pid), "GC.heap_info"));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor();
      Matcher m = HEAP_USED.matcher(out);
      return m.find() ? Long.parseLong(m.group(1)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** A streamed chat request with a realistic prompt and {@code maxTokens} of output. */
  static Buffer body(int maxTokens) {
    return new JsonObject()
        .put("model", SpillwayProcesses.MODEL)
        .put("stream", true)
        .put(
            "messages",
            new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", "You are a helpful assistant for a support team."))
                .add(new JsonObject().put("role", "user").put("content",
                    "A customer says their monthly invoice doubled after they moved two workloads to a new region."
                        + " Explain the three most likely reasons, what to check first, and how to word the reply.")))
        .put("max_tokens", maxTokens)
        .toBuffer();
  }
}
