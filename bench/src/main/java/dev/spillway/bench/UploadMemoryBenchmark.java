package dev.spillway.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gateway's heap while a large audio upload passes through it, in a process of its own: the gateway ({@code
 * spillway serve}, a fixed heap) in front of the simulator ({@code spillway simulate}, an audio deployment), each
 * started from the shipped jar. After a few small uploads to warm the path up, each measured upload sends a WAV of
 * {@link UploadMemorySettings#uploadBytes} (100 MiB) as {@code POST /v1/audio/transcriptions}, the {@code model}
 * field after the file, while {@link UploadHeapMeter} samples the gateway's heap. The gateway spools an upload to
 * disk as it arrives and streams it to the backend from there, so its heap should grow by a few MiB, not by the
 * file; the verdict asks for at most {@value UploadMemorySettings#PEAK_LIMIT_MIB} MiB of peak growth in the heap in
 * use, and the report gives the same for the live heap (a full collection before each sample) beside it.
 *
 * <p>The baseline is the same upload sent to {@link BufferingUploadSink}, a process with the same heap flags that
 * holds each body in memory, measured the same way: what the figure would be if the gateway buffered. {@code java -cp
 * spillway-bench.jar dev.spillway.bench.UploadMemoryBenchmark --help} lists the flags; {@code bench/run-upload-memory}
 * builds and runs it.
 */
public final class UploadMemoryBenchmark {
  static final String MODEL = "whisper";
  private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private UploadMemoryBenchmark() {}

  public static void main(String[] args) throws IOException {
    UploadMemorySettings settings;
    try {
      settings = UploadMemorySettings.parse(args);
    } catch (IllegalArgumentException e) {
      boolean help = "help".equals(e.getMessage());
      (help ? System.out : System.err).print((help ? "" : "error: " + e.getMessage() + "\n")
          + UploadMemorySettings.USAGE);
      System.exit(help ? 0 : 2);
      return;
    }
    Path work = Files.createTempDirectory("spillway-bench-upload-memory");
    System.out.println("logs and configs: " + work);
    UploadMemoryRun run = run(settings, work, System.out);
    Path md = UploadMemoryReport.write(run);
    System.out.println();
    System.out.println(UploadMemoryReport.verdictLine(run));
    System.out.println("report: " + md.toAbsolutePath().normalize());
  }

  /** Runs it all with the processes' files and the WAVs in {@code workDir} (the WAVs are deleted after). */
  static UploadMemoryRun run(UploadMemorySettings s, Path workDir, PrintStream log) {
    Instant startedAt = Instant.now();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Path bigFile = workDir.resolve("upload.wav");
    Path smallFile = workDir.resolve("warmup.wav");
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    SpillwayProcesses processes = new SpillwayProcesses(s.gatewayJar(), s.gatewayJar(), workDir);
    try (client) {
      WavUpload big = WavUpload.write(bigFile, s.uploadBytes(), MODEL);
      WavUpload small = WavUpload.write(smallFile, s.warmupBytes(), MODEL);
      List<String> notes = new ArrayList<>();
      List<String> collectors;
      List<UploadHeapMeter.Round> gatewayRounds;
      try (SpillwayProcesses.Started sim = processes.simulator("simulator", UploadMemoryBenchmark::simulatorYaml,
          Optional.empty())) {
        SpillwayProcesses.GatewaySetup setup = processes.gatewaySetup("gateway",
            port -> gatewayYaml(port, sim.baseUrl(), s.maxBodyBytes()), SpillwayProcesses.CONSUMER);
        try (SpillwayProcesses.Started gw = processes.gateway(setup, Optional.empty(),
            SoakStack.heapFlags(s.gatewayHeap()))) {
          String url = gw.baseUrl() + "/v1/audio/transcriptions";
          Map<String, String> auth = Map.of("authorization", "Bearer " + setup.key());
          try (JvmHeapProbe probe = attach(gw.process())) {
            collectors = probe.collectorNames();
            gatewayRounds = rounds("gateway", s, probe, client, url, auth, big, small, log);
          }
        }
      }
      List<UploadHeapMeter.Round> baselineRounds = List.of();
      if (s.baseline()) {
        try {
          baselineRounds = baseline(s, workDir, client, big, small, log);
        } catch (RuntimeException e) {
          // The gateway's figures stand without it; the report says why the comparison is missing.
          notes.add("The baseline could not be measured: " + e.getMessage());
          log.println("baseline failed: " + e);
        }
      }
      double loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      if (loadAtStart > Runtime.getRuntime().availableProcessors() / 2.0) {
        notes.add(ReportEnvironment.f("The machine was not quiet: load average %.1f at the start on %d cores; upload"
            + " times are slower for it, the heap figures much less so.", loadAtStart,
            Runtime.getRuntime().availableProcessors()));
      }
      return new UploadMemoryRun(s, startedAt, loadAtStart, loadAtEnd, big.fileBytes(), big.bodyBytes(), collectors,
          gatewayRounds, baselineRounds, notes);
    } finally {
      deleteQuietly(bigFile);
      deleteQuietly(smallFile);
    }
  }

  /** The warm-up uploads (each must be answered 200), then the measured ones, against one process. */
  private static List<UploadHeapMeter.Round> rounds(String name, UploadMemorySettings s, JvmHeapProbe probe,
      HttpClient client, String url, Map<String, String> headers, WavUpload big, WavUpload small, PrintStream log) {
    for (int i = 0; i < s.warmups(); i++) {
      WavUpload.Answer a = small.send(client, url, headers, UPLOAD_TIMEOUT);
      if (a.status() != 200) {
        throw new IllegalStateException(name + " answered a warm-up upload " + a.status() + ": " + a.body());
      }
    }
    UploadHeapMeter meter = new UploadHeapMeter(probe, s.sampleEvery());
    List<UploadHeapMeter.Round> rounds = new ArrayList<>();
    for (int i = 0; i < s.repeats() + s.liveRepeats(); i++) {
      UploadHeapMeter.Sampling sampling = i < s.repeats() ? UploadHeapMeter.Sampling.IN_USE
          : UploadHeapMeter.Sampling.LIVE;
      UploadHeapMeter.Round r = meter.measure(sampling, big, client, url, headers, UPLOAD_TIMEOUT);
      rounds.add(r);
      log.println(ReportEnvironment.f("%-8s upload %d: %d in %.2f s; live %.1f MiB before, peak %s %.1f MiB (%+.1f"
              + " MiB, %d samples, %d GCs), live %.1f MiB after (%+.1f MiB); allocated %.1f MiB", name, i + 1,
          r.status(), r.seconds(), r.liveBeforeMiB(), sampling.label(), r.peakUsedMiB(), r.peakGrowthMiB(),
          r.samples(), r.collections(), r.liveAfterMiB(), r.retainedGrowthMiB(), r.allocatedMiB()));
      if (r.status() != 200) {
        log.println("  answer: " + r.answer());
      }
    }
    return rounds;
  }

  /** The same uploads against {@link BufferingUploadSink} with the gateway's heap flags. */
  private static List<UploadHeapMeter.Round> baseline(UploadMemorySettings s, Path workDir, HttpClient client,
      WavUpload big, WavUpload small, PrintStream log) {
    int port = Loopback.freePort();
    List<String> cmd = new ArrayList<>(List.of(ChildProcess.javaBinary()));
    cmd.addAll(SoakStack.heapFlags(s.gatewayHeap()));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), BufferingUploadSink.class.getName(),
        Integer.toString(port)));
    try (ChildProcess sink = ChildProcess.start("buffering-sink", cmd, Optional.empty(), workDir, Map.of())) {
      String base = "http://127.0.0.1:" + port;
      Loopback.awaitOk(base + "/", sink, START_TIMEOUT);
      try (JvmHeapProbe probe = attach(sink)) {
        return rounds("baseline", s, probe, client, base + "/upload", Map.of(), big, small, log);
      }
    }
  }

  private static JvmHeapProbe attach(ChildProcess process) {
    try {
      return JvmHeapProbe.attach(process.pid());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the heap of " + process.name(), e);
    }
  }

  static String simulatorYaml(int port) {
    return """
        host: 127.0.0.1
        port: %d
        zeroLatency: true
        deployments:
          - name: %s
            kind: audio
            tier: payg
        """.formatted(port, MODEL);
  }

  static String gatewayYaml(int port, String simUrl, long maxBodyBytes) {
    return """
        server:
          listen: 127.0.0.1:%d
          maxBodyBytes: %d
        models:
          %s:
            backends:
              - { id: sim, type: azure, url: %s, deployment: %s, auth: { apiKey: bench-backend-key }, tier: payg }
        consumers:
          - id: %s
            team: bench
            models: [%s]
            limits:
              tokensPerMinute: 2000000000
              requestsPerMinute: 1000000000
        auth:
          required: true
          keyStore: keys.json
          keyPepper: %s
        """.formatted(port, maxBodyBytes, MODEL, simUrl, MODEL, SpillwayProcesses.CONSUMER, MODEL,
        SpillwayProcesses.KEY_PEPPER);
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a temp file left behind in the run's folder: nothing to act on
    }
  }
}
