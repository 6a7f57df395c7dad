package dev.spillway.cli;

import dev.spillway.core.config.ConfigLoader;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.gateway.pipeline.PipelineAssembler;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Run the gateway with a config file.")
final class ServeCommand implements Callable<Integer> {

  @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "Gateway config (YAML), see examples/spillway.yaml.")
  Path config;

  @Option(names = "--port", paramLabel = "PORT", description = "Override server.listen's port (0 = any free port).")
  Integer port;

  @Override
  public Integer call() throws Exception {
    SpillwayConfig loaded = ConfigLoader.load(config);
    // The pipeline's stage names are the gateway's to know: checked here, before anything starts.
    new PipelineAssembler().validate(loaded.pipeline());
    java.util.function.UnaryOperator<SpillwayConfig> overrides = port == null
        ? c -> c
        : c -> c.toBuilder().server(c.server().toBuilder().port(port).build()).build();
    loaded = overrides.apply(loaded);
    Vertx vertx = Vertx.vertx();
    GatewayServer gateway = GatewayServer.start(vertx, loaded, GatewayOptions.defaults()).await();
    // The file is watched from now on; SIGHUP and POST /admin/reload reload it at once.
    gateway.reloadFrom(config, overrides);
    RunUntilStopped.reloadOnHangup(gateway::reloadConfig);
    System.out.println("Spillway gateway listening on " + gateway.baseUrl() + " (models: "
        + String.join(", ", loaded.models().keySet()) + ")");
    RunUntilStopped.awaitDraining(vertx, gateway::drain, gateway::close, "spillway-shutdown");
    return 0;
  }
}
