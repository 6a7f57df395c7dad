package dev.spillway.simulator;

import io.vertx.core.Vertx;
import java.nio.file.Path;

/**
 * Runs a simulator from a YAML file until the process is stopped:
 * {@code java -cp ... dev.spillway.simulator.SimulatorMain examples/sim.yaml [--port N] [--zero-latency]}.
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  public static void main(String[] args) {
    if (args.length == 0) {
      System.err.println("usage: SimulatorMain <sim.yaml> [--port N] [--zero-latency]");
      System.exit(2);
    }
    SimulatorConfig.Builder builder = SimulatorConfig.load(Path.of(args[0])).toBuilder();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> builder.port(Integer.parseInt(args[++i]));
        case "--zero-latency" -> builder.zeroLatency(true);
        default -> {
          System.err.println("unknown option " + args[i]);
          System.exit(2);
        }
      }
    }
    Vertx vertx = Vertx.vertx();
    Simulator sim = Simulator.start(vertx, builder.build()).await();
    System.out.println("spillway simulator listening on " + sim.baseUrl() + " serving "
        + sim.config().deployments().stream().map(DeploymentConfig::name).toList());
  }
}
