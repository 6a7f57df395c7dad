package dev.spillway.bench;

import static dev.spillway.bench.ReportEnvironment.f;

import dev.spillway.core.config.ConfigException;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The PTU station against the ways a gateway (or Azure itself) can handle a PTU that is short: every
 * {@link StationScenario} × {@link StationVariant} in one JVM and one run, each cell with a fresh
 * simulated resource and gateway ({@link StationCellRun}), then {@code station.md} and {@code
 * station.json} with each cell marked against its target ({@link StationTargets}).
 *
 * <p>Why a matrix and not one number: waiting for the PTU pays off against short bursts (the PTU is
 * free again a moment later, so PAYG need not be bought) and costs latency for nothing against a
 * steady overload (the PTU will not be free again). A station is good if it wins the first without
 * losing the second, and keeps a scarce PTU for critical traffic; Azure's own spillover is the
 * baseline a gateway has to beat, since the resource does it with no gateway at all.
 *
 * <p>Every configuration's YAML is loaded once before anything runs, so a key the gateway does not
 * know yet ({@code ptuWait} before the station is merged) stops the run at once with the loader's
 * message instead of after twenty minutes. {@code java -cp spillway-bench.jar
 * dev.spillway.bench.StationBenchmark --help} lists the flags.
 */
public final class StationBenchmark {
  /** Each cell's own overhead besides warm-up and window: start-up, draining the last requests, closing. */
  private static final Duration CELL_OVERHEAD = Duration.ofSeconds(4);
  /**
   * The unmeasured cell that warms the JVM before the first measured one lasts this long (or {@code --duration} if
   * shorter), at 10 × C: the gateway's request path needs some thousand requests before the JIT has compiled it, and
   * the first cells (0.8 × C, a few requests a second) would otherwise measure a gateway still warming up.
   */
  private static final Duration JVM_WARMUP = Duration.ofSeconds(10);

  private StationBenchmark() {}

  public static void main(String[] args) {
    StationSettings settings;
    try {
      settings = StationSettings.parse(args);
    } catch (IllegalArgumentException e) {
      boolean help = "help".equals(e.getMessage());
      (help ? System.out : System.err).print((help ? "" : "error: " + e.getMessage() + "\n") + StationSettings.USAGE);
      System.exit(help ? 0 : 2);
      return;
    }
    try {
      checkConfigs(settings);
    } catch (IllegalStateException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    StationRun run = run(settings, System.out);
    System.out.println();
    System.out.println(StationReport.table(run));
    Path md = StationReport.write(run);
    System.out.println("report: " + md.toAbsolutePath().normalize());
  }

  /**
   * Loads every selected configuration's YAML with placeholder values.
   *
   * @throws IllegalStateException naming the configuration and the loader's problems when one does not load
   */
  static void checkConfigs(StationSettings settings) {
    StationGatewayYaml.Inputs inputs = new StationGatewayYaml.Inputs("http://127.0.0.1:1", "placeholder-key",
        SpilloverBenchmark.PTU_DEPLOYMENT, SpilloverBenchmark.PAYG_DEPLOYMENT, settings.capacityTokensPerMinute(),
        Path.of("keys.json"), "placeholder-pepper-0123456789");
    for (StationVariant variant : settings.variants()) {
      try {
        StationGatewayYaml.load(variant, inputs);
      } catch (ConfigException e) {
        throw new IllegalStateException("configuration " + variant.id() + " does not load in this gateway build"
            + " (leave it out with --configs):\n" + e.getMessage(), e);
      }
    }
  }

  /** Runs every cell in turn, scenario by scenario; progress lines go to {@code log}. */
  static StationRun run(StationSettings settings, PrintStream log) {
    Instant startedAt = Instant.now();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    int promptTokens = promptTokens(settings);
    StationCellRun cells = new StationCellRun(settings, promptTokens);
    log.printf("%d cells, about %d minutes; %d tokens per request, 1 x C = %.2f requests/s%n",
        settings.scenarios().size() * settings.variants().size(), (estimate(settings).toSeconds() + 59) / 60,
        cells.tokensPerRequest(), cells.requestsPerSecondAtC());
    log.printf("JVM warm-up: %s / %s for %s, not measured%n", StationScenario.STEADY_10.id(),
        settings.variants().getFirst().id(), SpilloverBenchmark.human(jvmWarmup(settings)));
    cells.run(StationScenario.STEADY_10, settings.variants().getFirst(), Duration.ofSeconds(1), jvmWarmup(settings));
    List<StationCell> results = new ArrayList<>();
    for (StationScenario scenario : settings.scenarios()) {
      Duration window = scenario.window(settings.duration(), settings.burstyDuration());
      Duration warmup = scenario.warmup(settings.warmup());
      for (StationVariant variant : settings.variants()) {
        log.printf("%s / %s: warm-up %s, window %s%n", scenario.id(), variant.id(),
            SpilloverBenchmark.human(warmup), SpilloverBenchmark.human(window));
        StationCell c = cells.run(scenario, variant, warmup, window);
        results.add(c);
        log.println(f("%s / %s: PTU %.1f %%, PAYG %.1f %%, client 429s %d, other errors %d, added wait p50 %.0f ms"
                + " p99 %.0f ms, PTU 429s per answer %.2f",
            scenario.id(), variant.id(), c.ptuUtilization() * 100, c.paygShare() * 100, c.client429(),
            c.otherErrors(), c.addedWaitP50Millis(), c.addedWaitP99Millis(), c.ptu429PerAnswer()));
      }
    }
    return new StationRun(settings, startedAt, promptTokens, cells.tokensPerRequest(), cells.requestsPerSecondAtC(),
        cells.serviceMillis(), cells.ptuBurst(StationScenario.BURSTY_SHORT), results, loadAtStart,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** How long {@link #run} takes, roughly: every cell's warm-up, window and overhead, and the JVM warm-up. */
  static Duration estimate(StationSettings settings) {
    Duration total = jvmWarmup(settings).plusSeconds(1).plus(CELL_OVERHEAD);
    for (StationScenario scenario : settings.scenarios()) {
      Duration cell = scenario.warmup(settings.warmup())
          .plus(scenario.window(settings.duration(), settings.burstyDuration())).plus(CELL_OVERHEAD);
      total = total.plus(cell.multipliedBy(settings.variants().size()));
    }
    return total;
  }

  private static Duration jvmWarmup(StationSettings settings) {
    return settings.duration().compareTo(JVM_WARMUP) < 0 ? settings.duration() : JVM_WARMUP;
  }

  /** Asks a throwaway simulator how many prompt tokens the fixed request has. */
  private static int promptTokens(StationSettings settings) {
    Vertx vertx = Vertx.vertx();
    try {
      Simulator simulator = Simulator.start(vertx, SimulatorConfig.builder()
          .apiKey(SpilloverBenchmark.BACKEND_KEY)
          .deployment(DeploymentConfig.payg(SpilloverBenchmark.PAYG_DEPLOYMENT, 0, 0))
          .build()).await();
      try {
        return SpilloverBenchmark.calibrate(vertx, simulator, settings.maxTokens());
      } finally {
        simulator.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }
}
