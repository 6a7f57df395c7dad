package dev.spillway.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Start-up and warm-up of the shipped gateway with and without the start-up cache (the JDK 25 AOT cache the launcher
 * and the image use), measured alternately in one run: the cache is made first by the training run the launcher runs
 * ({@code train-startup}, same jar, same flags), then the gateway (auth, limits, metrics, SQLite ledger, in front of a
 * zero-latency simulator) is started {@code --starts} times per variant — spawn to {@code /readyz} 200, the process's
 * CPU time at that moment, its RSS after two idle seconds — and finally started once per variant straight into full
 * load (wrk, one-second windows for {@code --warmup}), to see how soon a new replica serves at its peak. Peak = the
 * median of the last quarter of the windows; warm-up = the end of the first window at ≥ 90 % of it. Gateway and
 * simulator on the server CPU, wrk on the load CPU (as in the edge benchmark). Writes startup.md and startup.json.
 */
public final class StartupBenchmark {
  /** The gateway's JVM flags unless {@code --jvm-flags} names others (bench/run-startup passes the launcher's). */
  private static final List<String> DEFAULT_FLAGS = List.of("--enable-native-access=ALL-UNNAMED", "--add-modules",
      "jdk.incubator.vector");

  private StartupBenchmark() {}

  private record Start(String variant, long readyMillis, double cpuMillisAtReady, long idleRssMib) {}

  public static void main(String[] args) throws Exception {
    Path jar = null;
    Path out = Path.of("bench/results");
    int starts = 5;
    Duration warmup = Duration.ofSeconds(90);
    Optional<String> serverCpus = Optional.ofNullable(System.getenv().getOrDefault("SPILLWAY_BENCH_SERVER_CPUS", "1"))
        .filter(s -> !s.isBlank());
    Optional<String> loadCpus = Optional.ofNullable(System.getenv().getOrDefault("SPILLWAY_BENCH_LOAD_CPUS", "0"))
        .filter(s -> !s.isBlank());
    List<String> jvmFlags = DEFAULT_FLAGS;
    CliFlags flags = new CliFlags(args, "--");
    while (flags.next()) {
      switch (flags.flag()) {
        case "--gateway-jar" -> jar = Path.of(flags.value()).toAbsolutePath();
        case "--out" -> out = Path.of(flags.value());
        case "--starts" -> starts = Integer.parseInt(flags.value());
        case "--warmup" -> warmup = Duration.ofSeconds(Long.parseLong(flags.value()));
        case "--jvm-flags" -> jvmFlags = List.of(flags.value().trim().split("\\s+"));
        default -> throw flags.unknown();
      }
    }
    if (jar == null) {
      throw new IllegalArgumentException("--gateway-jar is required");
    }
    List<String> gatewayFlags = jvmFlags;
    Instant startedAt = Instant.now();
    double loadAtStart = load();
    Path work = Files.createTempDirectory("spillway-startup-bench");
    SpillwayProcesses processes = new SpillwayProcesses(Optional.of(jar), Optional.of(jar), work);
    try (SpillwayProcesses.Started simulator = processes.simulator("simulator", true, 1000, serverCpus)) {
      SpillwayProcesses.GatewaySetup setup = processes.gatewaySetup("gateway", simulator.baseUrl());
      Path cache = work.resolve("spillway.aot");
      long trainingMillis = train(jar, cache, jvmFlags, serverCpus, work);
      Map<String, List<String>> variants = new LinkedHashMap<>();
      variants.put("no cache", jvmFlags);
      List<String> withCache = new ArrayList<>(jvmFlags);
      withCache.add("-XX:AOTCache=" + cache);
      variants.put("start-up cache", withCache);

      List<Start> measured = new ArrayList<>();
      for (int i = 0; i < starts; i++) {
        for (var v : variants.entrySet()) {
          measured.add(startOnce(processes, setup, v.getKey(), v.getValue(), serverCpus));
        }
      }
      Map<String, double[]> curves = new LinkedHashMap<>();
      WrkRunner wrk = new WrkRunner(1, 32, loadCpus, work);
      LoadTarget target = new LoadTarget("spillway", setup.baseUrl() + "/v1/chat/completions",
          Map.of("Authorization", "Bearer " + setup.key(), "Content-Type", "application/json"));
      for (var v : variants.entrySet()) {
        curves.put(v.getKey(), warmUpCurve(processes, setup, v.getValue(), serverCpus, wrk, target, warmup));
      }
      double loadAtEnd = load();
      Path md = ReportEnvironment.write(out, "startup",
          () -> StartupReport.markdown(startedAt, loadAtStart, loadAtEnd, String.join(" ", gatewayFlags), trainingMillis, cache,
              measured(measured), curves),
          () -> new JsonObject().put("environment", ReportEnvironment.json(startedAt, loadAtStart, loadAtEnd))
              .put("jvmFlags", new JsonArray(gatewayFlags))
              .put("trainingMillis", trainingMillis)
              .put("starts", new JsonArray(measured.stream().map(s -> new JsonObject().put("variant", s.variant())
                  .put("readyMillis", s.readyMillis()).put("cpuMillisAtReady", s.cpuMillisAtReady())
                  .put("idleRssMib", s.idleRssMib())).toList()))
              .put("warmUp", warmUpJson(curves)));
      System.out.println("wrote " + md);
    }
  }

  private static JsonObject warmUpJson(Map<String, double[]> curves) {
    JsonObject json = new JsonObject();
    curves.forEach((variant, windows) -> json.put(variant, new JsonArray(java.util.Arrays.stream(windows).boxed().toList())));
    return json;
  }

  private static List<StartupReport.Row> measured(List<Start> starts) {
    return starts.stream().map(s -> new StartupReport.Row(s.variant(), s.readyMillis(), s.cpuMillisAtReady(),
        s.idleRssMib())).toList();
  }

  /** The launcher's training run, writing {@code cache}; returns how long it took. */
  private static long train(Path jar, Path cache, List<String> jvmFlags, Optional<String> cpus, Path work)
      throws Exception {
    List<String> command = new ArrayList<>();
    cpus.ifPresent(c -> command.addAll(List.of("taskset", "-c", c)));
    command.add(ChildProcess.javaBinary());
    command.addAll(jvmFlags);
    command.addAll(List.of("-XX:AOTCacheOutput=" + cache, "-jar", jar.toString(), "train-startup"));
    long before = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(work.resolve("training.log").toFile())
        .start();
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0 || !Files.isRegularFile(cache)) {
      throw new IllegalStateException("the training run failed: " + Files.readString(work.resolve("training.log")));
    }
    return (System.nanoTime() - before) / 1_000_000;
  }

  private static Start startOnce(SpillwayProcesses processes, SpillwayProcesses.GatewaySetup setup, String variant,
      List<String> flags, Optional<String> cpus) throws InterruptedException {
    deleteLedger(setup);
    try (SpillwayProcesses.Started gateway = processes.gateway(setup, cpus, flags)) {
      double cpuAtReady = ProcStats.cpuSeconds(gateway.process().pid()) * 1000;
      Thread.sleep(2000);
      long rss = ProcStats.rssKib(gateway.process().pid()).orElse(-1) / 1024;
      gateway.process().stop(Duration.ofSeconds(30));
      return new Start(variant, gateway.readyNanos() / 1_000_000, cpuAtReady, rss);
    }
  }

  /** Requests per second in consecutive one-second windows of full load, from the moment the gateway is ready. */
  private static double[] warmUpCurve(SpillwayProcesses processes, SpillwayProcesses.GatewaySetup setup,
      List<String> flags, Optional<String> cpus, WrkRunner wrk, LoadTarget target, Duration duration) {
    deleteLedger(setup);
    try (SpillwayProcesses.Started gateway = processes.gateway(setup, cpus, flags)) {
      String body = OverheadScenario.body();
      double[] windows = new double[(int) duration.toSeconds()];
      for (int i = 0; i < windows.length; i++) {
        windows[i] = wrk.run(target, body, Duration.ofSeconds(1)).requestsPerSecond();
      }
      gateway.process().stop(Duration.ofSeconds(30));
      return windows;
    }
  }

  private static void deleteLedger(SpillwayProcesses.GatewaySetup setup) {
    try (var files = Files.list(setup.dir())) {
      files.filter(f -> f.getFileName().toString().startsWith("usage.db")).sorted(Comparator.reverseOrder())
          .forEach(f -> f.toFile().delete());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double load() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
