package dev.spillway.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Scenario 1, overhead: one zero-latency upstream (the simulator) reached directly, through nginx,
 * through Spillway (auth, limits, metrics, ledger on) and through Portkey, with the same body and
 * connections. First each participant's closed-loop peak (wrk when installed), then latency for
 * each at one fixed open-loop rate, a fraction of Spillway's peak, from the Java generator.
 */
final class OverheadScenario {
  private final EdgeSettings settings;
  private final Path workDir;
  private final PrintStream log;

  OverheadScenario(EdgeSettings settings, Path workDir, PrintStream log) {
    this.settings = settings;
    this.workDir = workDir;
    this.log = log;
  }

  /** The body every participant gets: a short chat request with a small answer. */
  static String body() {
    return new JsonObject()
        .put("model", SpillwayProcesses.MODEL)
        .put(
            "messages",
            new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", "You are a concise assistant."))
                .add(new JsonObject().put("role", "user").put("content", "Name three rivers in Europe and one fact about each.")))
        .put("max_tokens", 16)
        .encode();
  }

  OverheadResult run(Vertx vertx) {
    List<String> notes = new ArrayList<>();
    SpillwayProcesses spillway = new SpillwayProcesses(settings.gatewayJar(), settings.upstreamJar(), workDir);
    PeerProcesses peers = new PeerProcesses(workDir);
    Optional<String> cpus = settings.serverCpus();
    List<AutoCloseable> started = new ArrayList<>();
    try {
      // The participant alone on the server CPUs; the upstream on the load generator's (issue 19's design).
      SpillwayProcesses.Started sim = spillway.simulator("overhead-upstream", true, 80, settings.loadCpus());
      started.add(sim);
      String upstream = sim.baseUrl();
      Map<String, LoadTarget> targets = new LinkedHashMap<>();
      Map<String, ChildProcess> servers = new LinkedHashMap<>();
      String key = null;
      String spillwayBase = null;
      if (settings.participants().contains("spillway")) {
        SpillwayProcesses.GatewaySetup setup = spillway.gatewaySetup("overhead-spillway", upstream);
        key = setup.key();
        SpillwayProcesses.Started gw = spillway.gateway(setup, cpus);
        started.add(gw);
        servers.put("spillway", gw.process());
        spillwayBase = gw.baseUrl();
      }
      Map<String, String> auth = Map.of("authorization", "Bearer " + (key == null ? "bench" : key));
      for (String name : List.of("direct", "nginx", "spillway", "portkey")) {
        if (!settings.participants().contains(name)) {
          continue;
        }
        switch (name) {
          case "direct" -> {
            targets.put(name, new LoadTarget(name, upstream + "/v1/chat/completions", auth));
            servers.put(name, sim.process());
          }
          case "nginx" -> {
            if (!PeerProcesses.nginxAvailable()) {
              notes.add("nginx skipped: not installed (bench/run-all installs it with apt-get).");
              continue;
            }
            SpillwayProcesses.Started n = peers.nginx(Integer.parseInt(upstream.substring(upstream.lastIndexOf(':') + 1)), cpus);
            started.add(n);
            servers.put(name, n.process());
            targets.put(name, new LoadTarget(name, n.baseUrl() + "/v1/chat/completions", auth));
          }
          case "spillway" -> targets.put(name, new LoadTarget(name, spillwayBase + "/v1/chat/completions", auth));
          case "portkey" -> {
            if (!PeerProcesses.portkeyAvailable(settings.portkeyDir())) {
              notes.add("Portkey skipped: not installed (bench/run-all installs @portkey-ai/gateway with npm into a temp dir).");
              continue;
            }
            SpillwayProcesses.Started p = peers.portkey(settings.portkeyDir().get(), cpus);
            started.add(p);
            servers.put(name, p.process());
            Map<String, String> h = new LinkedHashMap<>(auth);
            h.putAll(PeerProcesses.portkeyHeaders(upstream));
            targets.put(name, new LoadTarget(name, p.baseUrl() + "/v1/chat/completions", h));
          }
          default -> throw new IllegalStateException(name);
        }
      }
      return measure(vertx, targets, servers, sim.process(), notes);
    } finally {
      for (int i = started.size() - 1; i >= 0; i--) {
        try {
          started.get(i).close();
        } catch (Exception e) {
          log.println("could not stop a participant: " + e);
        }
      }
    }
  }

  private OverheadResult measure(
      Vertx vertx, Map<String, LoadTarget> targets, Map<String, ChildProcess> servers, ChildProcess upstream, List<String> notes) {
    String tool = settings.effectiveLoadTool();
    String body = body();
    Buffer bodyBuffer = Buffer.buffer(body);
    WrkRunner wrk = new WrkRunner(1, settings.connections(), settings.loadCpus(), workDir);
    JavaPeakLoad java = new JavaPeakLoad(vertx, settings.connections());
    Map<String, PeakResult> peaks = new LinkedHashMap<>();
    Map<String, double[]> peakCores = new LinkedHashMap<>();
    for (LoadTarget t : targets.values()) {
      Loopback.prime(t, body, Duration.ofSeconds(60));
      JavaPeakLoad.prime(vertx, t, bodyBuffer);
    }
    for (LoadTarget t : targets.values()) {
      log.printf(Locale.ROOT, "overhead: %s peak (%s, %d connections, warm-up %s + %s)%n", t.name(), tool,
          settings.connections(), SpilloverBenchmark.human(settings.warmup()), SpilloverBenchmark.human(settings.peakDuration()));
      List<Double> curve = warmUntilSteady(tool, wrk, java, t, body, bodyBuffer);
      notes.add(ReportEnvironment.f("%s warm-up: %d rounds of %s, req/s %s", t.name(), curve.size(),
          SpilloverBenchmark.human(settings.warmup()),
          String.join(" → ", curve.stream().map(r -> ReportEnvironment.f("%.0f", r)).toList())));
      ChildProcess server = servers.get(t.name());
      double s0 = server.cpuSeconds();
      double u0 = upstream.cpuSeconds();
      long w0 = System.nanoTime();
      PeakResult peak = runPeak(tool, wrk, java, t, body, bodyBuffer, settings.peakDuration());
      double wall = (System.nanoTime() - w0) / 1e9;
      peaks.put(t.name(), peak);
      peakCores.put(t.name(), new double[] {(server.cpuSeconds() - s0) / wall, (upstream.cpuSeconds() - u0) / wall});
      log.printf(Locale.ROOT, "overhead: %s %.0f req/s, %d errors%n", t.name(), peak.requestsPerSecond(), peak.errors());
    }
    PeakResult reference = peaks.getOrDefault("spillway", peaks.values().iterator().next());
    double rate = Math.max(1, settings.rateFraction() * reference.requestsPerSecond());
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    List<OverheadResult.Row> rows = new ArrayList<>();
    for (LoadTarget t : targets.values()) {
      log.printf(Locale.ROOT, "overhead: %s latency at %.0f req/s (open loop, %s)%n", t.name(), rate,
          SpilloverBenchmark.human(settings.latencyDuration()));
      ChildProcess server = servers.get(t.name());
      OpenLoopGenerator gen =
          new OpenLoopGenerator(
                  vertx, t.url(), bodyBuffer, rate, Ticker.systemTicker(), t.headers(), settings.connections())
              .latencyFromSend();
      Duration warm = settings.warmup();
      gen.start(warm, settings.latencyDuration());
      sleepNanos(gen.windowStartNanos() - System.nanoTime());
      double s0 = server.cpuSeconds();
      long c0 = os.getProcessCpuTime();
      long w0 = System.nanoTime();
      sleepNanos(gen.windowEndNanos() - System.nanoTime());
      double wall = (System.nanoTime() - w0) / 1e9;
      double serverCores = (server.cpuSeconds() - s0) / wall;
      double loadCores = (os.getProcessCpuTime() - c0) / 1e9 / wall;
      long until = System.nanoTime() + 10_000_000_000L;
      while ((gen.sending() || gen.inFlight() > 0) && System.nanoTime() - until < 0) {
        sleepNanos(20_000_000);
      }
      OpenLoopGenerator.Summary summary = gen.summary();
      gen.close();
      double[] pc = peakCores.get(t.name());
      rows.add(new OverheadResult.Row(t.name(), peaks.get(t.name()), pc[0], pc[1], summary, serverCores, loadCores));
      log.printf(Locale.ROOT, "overhead: %s p50 %.3f ms, p99 %.3f ms, %d errors%n", t.name(),
          summary.okLatency().p50Millis(), summary.okLatency().p99Millis(), summary.window429() + summary.windowOtherErrors());
    }
    return new OverheadResult(tool, settings.connections(), rate, rows, notes);
  }

  /** Warm-up rounds stop once two in a row are within this fraction of each other. */
  static final double STEADY_WITHIN = 0.05;
  /** At most this many warm-up rounds (and at most 90 s of them). */
  static final int MAX_WARMUP_ROUNDS = 12;
  /**
   * Warm-up lasts at least this long (capped by the round budget): the JIT speeds a JVM up in steps, and two rounds
   * on an early plateau (770 → 800 req/s) looked steady.
   */
  static final Duration MIN_WARMUP = Duration.ofSeconds(40);

  /**
   * Loads {@code t} in rounds of {@code settings.warmup()} for at least {@link #MIN_WARMUP}, then until its throughput
   * is steady (two rounds in a row within 5 %) or the cap is reached, and returns every round's req/s. A JVM gateway pinned to one core shares it with its
   * JIT compiler: measured cold, it showed a tenth of its steady throughput (100 → 420 → 1,070 → 5,400 → 11,000 req/s
   * over its first minute). Every participant gets the same rule, so nginx and Portkey warm up the same way.
   */
  private List<Double> warmUntilSteady(
      String tool, WrkRunner wrk, JavaPeakLoad java, LoadTarget t, String body, Buffer bodyBuffer) {
    List<Double> curve = new ArrayList<>();
    long budgetNanos = Math.min(Duration.ofSeconds(90).toNanos(), settings.warmup().toNanos() * MAX_WARMUP_ROUNDS);
    long start = System.nanoTime();
    long until = start + budgetNanos;
    long minimumUntil = start + Math.min(budgetNanos, MIN_WARMUP.toNanos());
    while (true) {
      double rps = runPeak(tool, wrk, java, t, body, bodyBuffer, settings.warmup()).requestsPerSecond();
      curve.add(rps);
      int n = curve.size();
      boolean steady = n >= 2 && System.nanoTime() - minimumUntil >= 0 && Math.abs(rps - curve.get(n - 2)) <= STEADY_WITHIN * Math.max(rps, curve.get(n - 2));
      if (steady || n >= MAX_WARMUP_ROUNDS || System.nanoTime() - until >= 0) {
        log.printf(Locale.ROOT, "overhead: %s warm-up %s req/s%s%n", t.name(), curve, steady ? " (steady)" : " (cap reached)");
        return curve;
      }
    }
  }

  private static PeakResult runPeak(
      String tool, WrkRunner wrk, JavaPeakLoad java, LoadTarget t, String body, Buffer bodyBuffer, Duration d) {
    return tool.equals("wrk") ? wrk.run(t, body, d) : java.run(t, bodyBuffer, d);
  }

  static void sleepNanos(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
