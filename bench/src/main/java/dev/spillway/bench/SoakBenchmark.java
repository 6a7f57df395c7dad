package dev.spillway.bench;

import dev.spillway.core.time.Ticker;
import dev.spillway.simulator.faults.OutageProxy;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The soak (issue 14): the gateway as its own process, for a long stretch at half of its measured peak, with mixed
 * plain and streamed requests, a simulator that fails a share of them, and one PostgreSQL and one Redis outage on the
 * way ({@link SoakStack}). It asks whether anything grows that should not (heap after GC, RSS, open files, p99: the
 * first and the last five minutes compared) and whether the ledger holds exactly one row per answered request once
 * the gateway has stopped the way an orchestrator stops it (SIGTERM, drain, flush).
 *
 * <p>Why the peak is measured in the same setup rather than taken from the overhead benchmark: Redis, PostgreSQL,
 * the faults and the machine's other load all cost throughput, and "half of peak" should mean half of what this very
 * gateway does here, today. {@code java -cp spillway-bench.jar dev.spillway.bench.SoakBenchmark --help} lists the
 * flags; {@code bench/run-soak} builds and runs it.
 */
public final class SoakBenchmark {
  private static final String PROMPT = "Summarise the benefits of a soak test in one sentence.";
  /** Longest the harness waits for the last answers after the load stops (hung backends cost seconds each). */
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(60);

  private SoakBenchmark() {}

  public static void main(String[] args) throws IOException {
    SoakSettings settings;
    try {
      settings = SoakSettings.parse(args);
    } catch (IllegalArgumentException e) {
      boolean help = "help".equals(e.getMessage());
      (help ? System.out : System.err).print((help ? "" : "error: " + e.getMessage() + "\n") + SoakSettings.USAGE);
      System.exit(help ? 0 : 2);
      return;
    }
    Path work = Files.createTempDirectory("spillway-soak");
    System.out.println("logs and configs: " + work);
    SoakRun run = run(settings, work, System.out);
    Path md = SoakReport.write(run);
    System.out.println();
    System.out.println(SoakReport.verdictTable(run));
    System.out.println("report: " + md.toAbsolutePath().normalize());
  }

  /** Runs the whole soak with its processes' files in {@code workDir}; progress lines go to {@code log}. */
  static SoakRun run(SoakSettings s, Path workDir, PrintStream log) {
    Instant startedAt = Instant.now();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Vertx vertx = Vertx.vertx();
    try (SoakStack stack = SoakStack.start(s, workDir)) {
      Buffer plain = body(s.maxTokens(), false);
      Buffer stream = body(s.maxTokens(), true);
      JavaPeakLoad.prime(vertx, stack.peakTarget(), plain);
      JavaPeakLoad peakLoad = new JavaPeakLoad(vertx, s.peakConnections());
      if (s.peakWarmup().isPositive()) {
        log.printf("warming up: %s closed loop, %d connections%n", SpilloverBenchmark.human(s.peakWarmup()),
            s.peakConnections());
        peakLoad.run(stack.peakTarget(), plain, s.peakWarmup());
      }
      PeakResult peak = peakLoad.run(stack.peakTarget(), plain, s.peakDuration());
      double rate = peak.requestsPerSecond() * s.loadFraction();
      log.println(ReportEnvironment.f("peak %.0f req/s (%d errors); soak at %.0f req/s for %s, %d %% streamed",
          peak.requestsPerSecond(), peak.errors(), rate, SpilloverBenchmark.human(s.duration()), s.streamPercent()));
      Soaked soaked;
      Instant soakStart;
      // Attached before the settle: attaching loads an agent into the gateway and costs it a pause, which belongs to
      // the unmeasured warm-up, not to the first compared span.
      try (SoakSampler sampler = new SoakSampler(stack.gatewayPid(), stack.gatewayUrl())) {
        settle(s, stack, vertx, rate, log);
        soakStart = Instant.now();
        soaked = soak(s, stack, vertx, rate, sampler, log);
      }
      OptionalInt exit = stack.stopGateway();
      log.println("gateway stopped with SIGTERM: " + (exit.isPresent() ? "exit " + exit.getAsInt() : "killed"));
      Map<Integer, Long> rows = Map.of();
      String ledgerProblem = "";
      try {
        rows = stack.database().ledgerRowsByStatus(stack.consumer(), soakStart);
      } catch (SQLException e) {
        ledgerProblem = "ledger unreadable: " + e.getMessage();
      }
      List<String> notes = new ArrayList<>(soaked.notes());
      notes.add("The gateway's log above INFO: " + String.join("; ", stack.gatewayLogSummary()) + ".");
      if (loadAtStart > Runtime.getRuntime().availableProcessors()) {
        notes.add(ReportEnvironment.f("The machine was shared: load average %.1f at the start on %d cores; the"
                + " machine CPU column shows every period's total use, ours and others'.", loadAtStart,
            Runtime.getRuntime().availableProcessors()));
      }
      double loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return new SoakRun(s, startedAt, loadAtStart, loadAtEnd, peak, rate, soaked.samples(), soaked.sent(),
          soaked.answered(), soaked.notAnswered(), rows, ledgerProblem, exit, soaked.databaseOutage(),
          soaked.redisOutage(), notes);
    } finally {
      vertx.close().await();
    }
  }

  /** What the open-loop part produced. */
  private record Soaked(List<SoakSample> samples, long sent, long answered, Map<String, Long> notAnswered,
      double[] databaseOutage, double[] redisOutage, List<String> notes) {}

  /**
   * The soak's own load for {@link SoakSettings#settle}, unmeasured; waits for its answers. It runs as the soak's
   * consumer so the soak's first minute is not that consumer's first (its limit counters and per-consumer meters are
   * warm), and its ledger rows are told apart by time: the soak counts rows received after it started.
   */
  private static void settle(SoakSettings s, SoakStack stack, Vertx vertx, double rate, PrintStream log) {
    if (!s.settle().isPositive()) {
      return;
    }
    log.printf("settling: %s open loop at the soak's rate and mix, not measured%n", SpilloverBenchmark.human(s.settle()));
    Ticker ticker = Ticker.systemTicker();
    SoakTraffic settling = new SoakTraffic(vertx, stack.target(), body(s.maxTokens(), false),
        body(s.maxTokens(), true), rate, s.streamPercent(), ticker);
    try {
      long start = ticker.read();
      settling.start(s.settle());
      sleepUntil(ticker, start + s.settle().toNanos());
      while (settling.inFlight() > 0 && ticker.read() - start - s.settle().toNanos() < DRAIN_WAIT.toNanos()) {
        sleepUntil(ticker, ticker.read() + 50_000_000L);
      }
    } finally {
      settling.close();
    }
  }

  private static Soaked soak(SoakSettings s, SoakStack stack, Vertx vertx, double rate, SoakSampler sampler,
      PrintStream log) {
    Ticker ticker = Ticker.systemTicker();
    SoakTraffic traffic = new SoakTraffic(vertx, stack.target(), body(s.maxTokens(), false),
        body(s.maxTokens(), true), rate, s.streamPercent(), ticker);
    List<SoakSample> samples = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    double[] db = {-1, -1};
    double[] redis = {-1, -1};
    ScheduledExecutorService outages = Executors.newSingleThreadScheduledExecutor();
    try {
      if (!sampler.heapProblem().isEmpty()) {
        notes.add("The gateway's heap could not be read (" + sampler.heapProblem() + ").");
      }
      long start = ticker.read();
      sampler.startPeriods();
      traffic.start(s.duration());
      scheduleOutage(outages, ticker, start, stack.postgresProxy(), OutageProxy.Mode.BLACKHOLE,
          s.databaseOutageStart(), s.databaseOutage(), db, "PostgreSQL blackhole", log);
      scheduleOutage(outages, ticker, start, stack.redisProxy(), OutageProxy.Mode.REFUSE,
          s.redisOutageStart(), s.redisOutage(), redis, "Redis refusal", log);
      long period = s.sampleEvery().toNanos();
      long periods = (s.duration().toNanos() + period - 1) / period;
      for (long k = 1; k <= periods; k++) {
        double from = (k - 1) * period / 1e9;
        long until = start + Math.min(k * period, s.duration().toNanos());
        sleepUntil(ticker, until);
        double to = (until - start) / 1e9;
        SoakSample sample = sampler.sample(from, to, phase(s, from, to), traffic.closeWindow(), s.fullGcAt(k));
        samples.add(sample);
        log.println(ReportEnvironment.f("%5.0f s  %-15s %6.0f req/s  p99 %7.1f ms  heap %6.1f MiB%s  RSS %6.1f MiB"
                + "  fds %4d  errors %d  backlog %d", sample.endSeconds(), sample.phase(), sample.answeredPerSecond(),
            sample.p99Millis(), sample.heapAfterGcMiB(),
            sample.liveHeapMiB() < 0 ? "" : ReportEnvironment.f(" (live %.1f MiB, GC %.0f ms)", sample.liveHeapMiB(),
                sample.forcedGcMillis()),
            sample.rssMiB(), sample.openFiles(), sample.errors(), sample.ledgerBacklog()));
      }
      long drainStart = ticker.read();
      while (traffic.inFlight() > 0 && ticker.read() - drainStart < DRAIN_WAIT.toNanos()) {
        sleepUntil(ticker, ticker.read() + 50_000_000L);
      }
      long left = traffic.inFlight();
      if (left > 0) {
        notes.add(left + " requests were still open " + DRAIN_WAIT.toSeconds() + " s after the load stopped.");
      }
      samples.add(sampler.sample(s.duration().toMillis() / 1000.0, (ticker.read() - start) / 1e9, SoakRun.DRAIN,
          traffic.closeWindow(), false));
    } finally {
      outages.shutdownNow();
      stack.postgresProxy().mode(OutageProxy.Mode.PASS);
      stack.redisProxy().mode(OutageProxy.Mode.PASS);
      traffic.close();
    }
    long sent = samples.stream().mapToLong(SoakSample::sent).sum();
    long answered = samples.stream().mapToLong(SoakSample::answered).sum();
    Map<String, Long> notAnswered = new TreeMap<>();
    samples.forEach(x -> x.notAnswered().forEach((k, n) -> notAnswered.merge(k, n, Long::sum)));
    return new Soaked(samples, sent, answered, notAnswered, db, redis, notes);
  }

  /** The phase a period {@code [from, to)} (seconds after the start) belongs to: the outage overlapping it, if any. */
  static String phase(SoakSettings s, double from, double to) {
    if (overlaps(from, to, s.databaseOutageStart(), s.databaseOutage())) {
      return "database outage";
    }
    if (overlaps(from, to, s.redisOutageStart(), s.redisOutage())) {
      return "redis outage";
    }
    return "steady";
  }

  private static boolean overlaps(double from, double to, Duration start, Duration length) {
    double a = start.toMillis() / 1000.0;
    double b = a + length.toMillis() / 1000.0;
    return length.isPositive() && from < b && a < to;
  }

  private static void scheduleOutage(ScheduledExecutorService executor, Ticker ticker, long start, OutageProxy proxy,
      OutageProxy.Mode mode, Duration at, Duration length, double[] times, String name, PrintStream log) {
    if (!length.isPositive()) {
      return;
    }
    executor.schedule(() -> {
      proxy.mode(mode);
      times[0] = (ticker.read() - start) / 1e9;
      log.println(ReportEnvironment.f("%5.0f s  %s starts", times[0], name));
    }, at.toNanos(), TimeUnit.NANOSECONDS);
    executor.schedule(() -> {
      proxy.mode(OutageProxy.Mode.PASS);
      times[1] = (ticker.read() - start) / 1e9;
      log.println(ReportEnvironment.f("%5.0f s  %s ends", times[1], name));
    }, at.plus(length).toNanos(), TimeUnit.NANOSECONDS);
  }

  private static void sleepUntil(Ticker ticker, long nanos) {
    long left;
    while ((left = nanos - ticker.read()) > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** A chat completion of {@code maxTokens}; streamed with usage when {@code stream}. */
  static Buffer body(int maxTokens, boolean stream) {
    JsonObject body = new JsonObject()
        .put("model", SoakStack.MODEL)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", PROMPT)))
        .put("max_tokens", maxTokens);
    if (stream) {
      body.put("stream", true).put("stream_options", new JsonObject().put("include_usage", true));
    }
    return body.toBuffer();
  }
}
