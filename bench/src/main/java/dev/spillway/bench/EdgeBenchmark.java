package dev.spillway.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Scenarios 1, 2 and 5 of the benchmark issue (DESIGN §7): overhead against direct, nginx and
 * Portkey ({@link OverheadScenario}), thousands of concurrent SSE streams ({@link
 * StreamingScenario}), and the gateway's footprint ({@link FootprintScenario}). Every participant
 * is its own process on loopback, started and stopped here; this JVM is the load generator. Writes
 * {@code edge.md} and {@code edge.json}.
 *
 * <p>{@code java -cp spillway-bench.jar dev.spillway.bench.EdgeBenchmark --help} lists the flags.
 */
public final class EdgeBenchmark {
  private EdgeBenchmark() {}

  public static void main(String[] args) {
    EdgeSettings settings;
    try {
      settings = EdgeSettings.parse(args);
    } catch (IllegalArgumentException e) {
      boolean help = "help".equals(e.getMessage());
      (help ? System.out : System.err).print((help ? "" : "error: " + e.getMessage() + "\n") + EdgeSettings.USAGE);
      System.exit(help ? 0 : 2);
      return;
    }
    EdgeRun run = run(settings, System.out);
    Path md = EdgeReport.write(run);
    EdgeReport.targets(run).forEach(t -> System.out.println("target: " + t.replace("**", "")));
    System.out.println("report: " + md.toAbsolutePath().normalize());
    System.exit(0);
  }

  /** Runs the selected scenarios in order; progress lines go to {@code log}. */
  static EdgeRun run(EdgeSettings settings, PrintStream log) {
    Instant startedAt = Instant.now();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Path workDir;
    try {
      workDir = Files.createTempDirectory("spillway-edge-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    log.println("edge: participants' configs and logs in " + workDir);
    // One event loop: the generators' callbacks stay on one thread (one core) as documented.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      Optional<OverheadResult> overhead = Optional.empty();
      List<StreamingScenario.Step> streaming = List.of();
      Optional<FootprintScenario.Result> footprint = Optional.empty();
      if (settings.scenarios().contains("overhead")) {
        overhead = Optional.of(new OverheadScenario(settings, workDir, log).run(vertx));
      }
      if (settings.scenarios().contains("streaming")) {
        streaming = new StreamingScenario(settings, workDir, log).run(vertx);
      }
      if (settings.scenarios().contains("footprint")) {
        footprint = Optional.of(new FootprintScenario(settings, workDir, log).run());
      }
      String gateway = new SpillwayProcesses(settings.gatewayJar(), settings.upstreamJar(), workDir).describe();
      return new EdgeRun(settings, startedAt, loadAtStart,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), gateway, overhead, streaming, footprint);
    } finally {
      vertx.close().await();
    }
  }
}
