package dev.spillway.bench;

import dev.spillway.cli.SpillwayCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Starts the simulator and the gateway as their own processes (so each has its own heap, RSS and
 * CPU time, and can be pinned apart from the load generator), with the configs the edge benchmarks
 * use: one simulated deployment {@value #MODEL}; a gateway with key auth on, one consumer with
 * limits far above any load, metrics (always on) and the SQLite ledger.
 */
final class SpillwayProcesses {
  static final String MODEL = "gpt-4o";
  static final String CONSUMER = "bench";
  /** The key pepper of every gateway config here: a fixed test value, not a secret. */
  static final String KEY_PEPPER = "bench-pepper-not-a-secret-0123456789";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final Optional<Path> gatewayJar;
  private final Optional<Path> simulatorJar;
  private final Path workDir;

  /**
   * @param gatewayJar the shipped {@code spillway.jar} to run; empty to run the CLI from this JVM's
   *     class path (tests)
   * @param simulatorJar the same for the simulator, the upstream (bench/run-compare holds it fixed
   *     while the gateway jar changes)
   * @param workDir configs, logs, key file and ledger go here
   */
  SpillwayProcesses(Optional<Path> gatewayJar, Optional<Path> simulatorJar, Path workDir) {
    this.gatewayJar = gatewayJar;
    this.simulatorJar = simulatorJar;
    this.workDir = workDir;
  }

  /** A started process and the base URL it answers on. */
  record Started(ChildProcess process, String baseUrl, long readyNanos) implements AutoCloseable {
    @Override
    public void close() {
      process.close();
    }
  }

  /**
   * Starts {@code spillway simulate}: zero latency (answers at once) or paced at {@code
   * outputTokensPerSecond} after the default time to first token.
   */
  Started simulator(String name, boolean zeroLatency, double outputTokensPerSecond, Optional<String> cpus) {
    return simulator(name, port -> """
        host: 127.0.0.1
        port: %d
        zeroLatency: %s
        timing:
          outputTokensPerSecond: %s
        deployments:
          - name: %s
            kind: chat
            tier: payg
        """.formatted(port, zeroLatency, outputTokensPerSecond, MODEL), cpus);
  }

  /** Starts {@code spillway simulate} with the config {@code yamlForPort} writes for the free port it is given. */
  Started simulator(String name, IntFunction<String> yamlForPort, Optional<String> cpus) {
    int port = Loopback.freePort();
    Path config = write(name + ".yaml", yamlForPort.apply(port));
    ChildProcess p =
        ChildProcess.start(name, cli(simulatorJar, "simulate", "-c", config.toString()), cpus, workDir, Map.of());
    String base = "http://127.0.0.1:" + port;
    return new Started(p, base, Loopback.awaitOk(base + "/v1/models", p, START_TIMEOUT));
  }

  /** Writes the gateway config in front of {@code upstreamBaseUrl} and issues the consumer's key. */
  GatewaySetup gatewaySetup(String name, String upstreamBaseUrl) {
    return gatewaySetup(name, upstreamBaseUrl, false);
  }

  /**
   * As {@link #gatewaySetup(String, String)}; with {@code http2} the gateway speaks HTTP/2 to the upstream (cleartext,
   * prior knowledge: {@code http2: on}), its streams sharing a few connections.
   */
  GatewaySetup gatewaySetup(String name, String upstreamBaseUrl, boolean http2) {
    return gatewaySetup(name, port -> """
        server:
          listen: 127.0.0.1:%d
        models:
          %s:
            backends:
              - id: sim
                type: azure
                url: %s
                deployment: %s
                auth: { apiKey: bench-backend-key }
                tier: payg
                http2: %s
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
        ledger:
          sqlite: usage.db
        """.formatted(port, MODEL, upstreamBaseUrl, MODEL, http2 ? "on" : "off", CONSUMER, MODEL, KEY_PEPPER), CONSUMER);
  }

  /**
   * Writes the gateway config {@code yamlForPort} returns for a free port (its {@code auth.keyPepper} must be
   * {@link #KEY_PEPPER}, its key store {@code keys.json}) and issues {@code consumer}'s key.
   */
  GatewaySetup gatewaySetup(String name, IntFunction<String> yamlForPort, String consumer) {
    int port = Loopback.freePort();
    Path dir = workDir.resolve(name);
    Path config = write(name + "/spillway.yaml", yamlForPort.apply(port));
    return new GatewaySetup(name, config, issueKey(config, consumer), "http://127.0.0.1:" + port, dir);
  }

  /** Issues a gateway key for {@code consumer} with {@code spillway keys create}; returns the key. */
  static String issueKey(Path config, String consumer) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cli = SpillwayCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute("keys", "create", "--config", config.toString(), "--consumer", consumer);
    if (code != 0) {
      throw new IllegalStateException("spillway keys create failed (" + code + "): " + err);
    }
    return out.toString().strip();
  }

  /**
   * A gateway's files, ready to start (more than once, for the start-up timing).
   *
   * @param key the consumer's gateway key, sent as {@code Authorization: Bearer}
   */
  record GatewaySetup(String name, Path config, String key, String baseUrl, Path dir) {}

  /** Starts {@code spillway serve} and waits for {@code /readyz}; readyNanos counts from just before the spawn. */
  Started gateway(GatewaySetup setup, Optional<String> cpus) {
    return gateway(setup, cpus, List.of());
  }

  /** As {@link #gateway(GatewaySetup, Optional)}, with JVM flags for the gateway's process (its heap, say). */
  Started gateway(GatewaySetup setup, Optional<String> cpus, List<String> jvmFlags) {
    long before = System.nanoTime();
    List<String> cmd = cli(gatewayJar, "serve", "-c", setup.config().toString());
    cmd.addAll(1, jvmFlags);
    ChildProcess p = ChildProcess.start(setup.name(), cmd, cpus, setup.dir(), Map.of());
    Loopback.awaitOk(setup.baseUrl() + "/readyz", p, START_TIMEOUT);
    return new Started(p, setup.baseUrl(), System.nanoTime() - before);
  }

  private static List<String> cli(Optional<Path> jar, String... args) {
    List<String> cmd = new ArrayList<>(List.of(ChildProcess.javaBinary(), "--enable-native-access=ALL-UNNAMED"));
    if (jar.isPresent()) {
      cmd.addAll(List.of("-jar", jar.get().toString()));
    } else {
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), SpillwayCli.class.getName()));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  private Path write(String relative, String text) {
    try {
      Path p = workDir.resolve(relative);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Describes how the gateway runs, for the report. */
  String describe() {
    return gatewayJar.map(j -> "`java -jar " + j.getFileName() + " serve`").orElse("`SpillwayCli serve` from the bench class path")
        + " (default JVM flags)"
        + (simulatorJar.equals(gatewayJar)
            ? ""
            : "; the upstream simulator runs from "
                + simulatorJar.map(j -> "`" + j + "`").orElse("the bench class path"));
  }
}
