package dev.spillway.cli;

import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Run the Azure OpenAI simulator alone (PTU and PAYG deployments, faults on demand).")
final class SimulateCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Simulator config (YAML), see examples/sim.yaml.")
  Path config;

  @Option(names = "--port", paramLabel = "PORT", description = "Override the config's port (0 = any free port).")
  Integer port;

  @Override
  public Integer call() throws Exception {
    SimulatorConfig loaded = SimulatorConfig.load(config);
    if (port != null) {
      loaded = loaded.toBuilder().port(port).build();
    }
    Vertx vertx = Vertx.vertx();
    Simulator simulator = Simulator.start(vertx, loaded).await();
    System.out.println("Spillway simulator listening on " + simulator.baseUrl());
    for (DeploymentConfig d : loaded.deployments()) {
      System.out.println("  deployment " + d.name() + " (" + d.kind().name().toLowerCase(java.util.Locale.ROOT) + ", " + d.tier().id() + ")");
    }
    RunUntilStopped.await(vertx, simulator::close, "simulator-shutdown");
    return 0;
  }
}
