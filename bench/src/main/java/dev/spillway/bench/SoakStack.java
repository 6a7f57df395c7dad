package dev.spillway.bench;

import dev.spillway.simulator.faults.OutageProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Everything the soak runs against, each in its own process or server: a simulated Azure OpenAI resource ({@code
 * spillway simulate}: a PTU and a PAYG deployment of {@value #MODEL}, each failing {@code faultPercent} of requests
 * on its own), and the gateway ({@code spillway serve}) in front of it with limits counted in Redis and the usage
 * ledger in PostgreSQL. The gateway reaches Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432) through an
 * {@link OutageProxy} each, so the soak can take them "down" for the gateway alone: the shared servers keep running.
 * The ledger goes to a {@link PrivateDatabase} dropped on {@link #close}.
 *
 * <p>Two consumers: {@link #consumer()} carries the settle and the soak's traffic, whose ledger rows from the soak's
 * start are counted, and {@link #peakConsumer()} the peak measurement's and priming requests, counted apart. Both ids are fresh per run so the
 * limit counters in the shared Redis never mix with another run's.
 */
final class SoakStack implements AutoCloseable {
  static final String MODEL = "gpt-4o";
  static final String REDIS_HOST = "127.0.0.1";
  static final int REDIS_PORT = 6379;
  static final String POSTGRES_HOST = "127.0.0.1";
  static final int POSTGRES_PORT = 5432;
  /** What the simulator fails requests with: every kind it has that is a backend's failure, the hang bounded below. */
  /**
   * The injected faults, drawn uniformly from this list: a hang is one draw in sixteen (0.3 % of attempts at 5 %), the
   * others three each. A hang costs its request the first-byte timeout; at one draw in six (0.8 % of attempts, as in
   * the first run) hangs sat at the 99th percentile and p99 swung between 0.1 s and 2 s from one window to the next.
   */
  static final String FAULT_KINDS =
      "[500, 500, 500, 503, 503, 503, reset, reset, reset, garbage, garbage, garbage, midstream, midstream, midstream,"
          + " hang]";
  /** The gateway's per-backend timeouts: a hung backend costs a request this long before it is retried elsewhere. */
  static final Duration BACKEND_FIRST_BYTE_TIMEOUT = Duration.ofSeconds(2);
  /** How long the gateway may take to drain and flush its ledger after SIGTERM before the harness kills it. */
  static final Duration STOP_GRACE = Duration.ofSeconds(60);

  private final PrivateDatabase database;
  private final OutageProxy postgresProxy;
  private final OutageProxy redisProxy;
  private final SpillwayProcesses.Started simulator;
  private final SpillwayProcesses.Started gateway;
  private final String consumer;
  private final String peakConsumer;
  private final String key;
  private final String peakKey;
  private OptionalInt gatewayExit = OptionalInt.empty();
  private boolean gatewayStopped;

  private SoakStack(PrivateDatabase database, OutageProxy postgresProxy, OutageProxy redisProxy,
      SpillwayProcesses.Started simulator, SpillwayProcesses.Started gateway, String consumer, String peakConsumer,
      String key, String peakKey) {
    this.database = database;
    this.postgresProxy = postgresProxy;
    this.redisProxy = redisProxy;
    this.simulator = simulator;
    this.gateway = gateway;
    this.consumer = consumer;
    this.peakConsumer = peakConsumer;
    this.key = key;
    this.peakKey = peakKey;
  }

  /** Starts it all in {@code workDir}; on a failure, stops what already started. */
  static SoakStack start(SoakSettings settings, Path workDir) {
    String run = UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT);
    String consumer = "soak-" + run;
    String peakConsumer = "soak-peak-" + run;
    PrivateDatabase database = PrivateDatabase.create(POSTGRES_HOST, POSTGRES_PORT, "soak");
    OutageProxy pg = null;
    OutageProxy redis = null;
    SpillwayProcesses.Started sim = null;
    try {
      pg = OutageProxy.start(POSTGRES_HOST, POSTGRES_PORT);
      redis = OutageProxy.start(REDIS_HOST, REDIS_PORT);
      SpillwayProcesses processes = new SpillwayProcesses(settings.gatewayJar(), settings.gatewayJar(), workDir);
      sim = processes.simulator("simulator", port -> simulatorYaml(settings, port), java.util.Optional.empty());
      String simUrl = sim.baseUrl();
      int pgPort = pg.port();
      int redisPort = redis.port();
      SpillwayProcesses.GatewaySetup setup = processes.gatewaySetup("gateway",
          port -> gatewayYaml(port, simUrl, consumer, peakConsumer, redisPort, pgPort, database.name()), consumer);
      String peakKey = SpillwayProcesses.issueKey(setup.config(), peakConsumer);
      SpillwayProcesses.Started gw = processes.gateway(setup, java.util.Optional.empty(), heapFlags(settings.gatewayHeap()));
      return new SoakStack(database, pg, redis, sim, gw, consumer, peakConsumer, setup.key(), peakKey);
    } catch (IOException | RuntimeException e) {
      if (sim != null) {
        sim.close();
      }
      closeQuietly(redis);
      closeQuietly(pg);
      database.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  static String simulatorYaml(SoakSettings s, int port) {
    String faults = "{ probability: %s, kinds: %s }".formatted(s.faultPercent() / 100.0, FAULT_KINDS);
    return """
        host: 127.0.0.1
        port: %d
        seed: %d
        zeroLatency: true
        deployments:
          - name: %s-ptu
            kind: chat
            tier: ptu
            capacityTokensPerMinute: 1000000000
            faults: %s
          - name: %s-payg
            kind: chat
            tier: payg
            faults: %s
        """.formatted(port, s.seed(), MODEL, faults, MODEL, faults);
  }

  static String gatewayYaml(int port, String simUrl, String consumer, String peakConsumer, int redisPort, int pgPort,
      String database) {
    String timeouts = "{ connect: 1s, firstByte: %ds, idle: %ds, total: 20s }"
        .formatted(BACKEND_FIRST_BYTE_TIMEOUT.toSeconds(), BACKEND_FIRST_BYTE_TIMEOUT.toSeconds());
    String limits = "{ tokensPerMinute: 2000000000, requestsPerMinute: 1000000000 }";
    return """
        server:
          listen: 127.0.0.1:%d
          drainDelay: 500ms
          drainTimeout: 10s
        models:
          %s:
            strategy: priority
            backends:
              - { id: ptu, type: azure, url: %s, deployment: %s-ptu, auth: { apiKey: soak-backend-key }, tier: ptu, priority: 1, timeouts: %s }
              - { id: payg, type: azure, url: %s, deployment: %s-payg, auth: { apiKey: soak-backend-key }, tier: payg, priority: 2, timeouts: %s }
        consumers:
          - { id: %s, team: soak, models: [%s], limits: %s }
          - { id: %s, team: soak, models: [%s], limits: %s }
        auth:
          required: true
          keyStore: keys.json
          keyPepper: %s
        limits:
          store: redis
          redisUrl: redis://127.0.0.1:%d
          onRedisFailure: failOpen
        ledger:
          spillDirectory: ledger-spill
          postgres:
            url: jdbc:postgresql://127.0.0.1:%d/%s
            user: postgres
        """.formatted(port, MODEL, simUrl, MODEL, timeouts, simUrl, MODEL, timeouts, consumer, MODEL, limits,
        peakConsumer, MODEL, limits, SpillwayProcesses.KEY_PEPPER, redisPort, pgPort, database);
  }

  String gatewayUrl() {
    return gateway.baseUrl();
  }

  String chatUrl() {
    return gateway.baseUrl() + "/v1/chat/completions";
  }

  long gatewayPid() {
    return gateway.process().pid();
  }

  long simulatorPid() {
    return simulator.process().pid();
  }

  String consumer() {
    return consumer;
  }

  String peakConsumer() {
    return peakConsumer;
  }

  /** The soak consumer as the load generators address it. */
  LoadTarget target() {
    return new LoadTarget("spillway", chatUrl(), Map.of("authorization", "Bearer " + key));
  }

  /** The peak consumer as the load generators address it. */
  LoadTarget peakTarget() {
    return new LoadTarget("spillway", chatUrl(), Map.of("authorization", "Bearer " + peakKey));
  }

  OutageProxy postgresProxy() {
    return postgresProxy;
  }

  OutageProxy redisProxy() {
    return redisProxy;
  }

  PrivateDatabase database() {
    return database;
  }

  /**
   * What the gateway logged above INFO, for the report: per level and logger (its first line's message, cut short),
   * how many lines, and how many stack-trace frames the log holds in all.
   */
  List<String> gatewayLogSummary() {
    Map<String, Long> lines = new TreeMap<>();
    long frames = 0;
    try (var all = Files.lines(gateway.process().log())) {
      for (String line : (Iterable<String>) all::iterator) {
        String[] f = line.split(" ", 4);
        if (line.startsWith("\tat ")) {
          frames++;
        } else if (f.length == 4 && (f[1].equals("SEVERE") || f[1].equals("WARNING"))) {
          String message = f[3].length() > 90 ? f[3].substring(0, 90) + "…" : f[3];
          lines.merge(f[1] + " " + message, 1L, Long::sum);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return List.of("The gateway's log could not be read: " + e.getMessage());
    }
    List<String> out = new ArrayList<>();
    lines.forEach((k, n) -> out.add(n + " × `" + k + "`"));
    out.add(frames + " stack-trace frames");
    return out;
  }

  /**
   * Stops the gateway the way an orchestrator does (SIGTERM: it drains, flushes its ledger and exits), waiting up to
   * {@link #STOP_GRACE}.
   *
   * @return its exit code; empty when it had to be killed
   */
  OptionalInt stopGateway() {
    if (!gatewayStopped) {
      gatewayStopped = true;
      gatewayExit = gateway.process().stop(STOP_GRACE);
    }
    return gatewayExit;
  }

  @Override
  public void close() {
    stopGateway();
    simulator.close();
    closeQuietly(redisProxy);
    closeQuietly(postgresProxy);
    database.close();
  }

  private static void closeQuietly(OutageProxy proxy) {
    if (proxy != null) {
      proxy.close();
    }
  }

  /** The gateway's fixed, pre-touched heap ({@link SoakSettings#gatewayHeap}); none for the JVM's default sizing. */
  static java.util.List<String> heapFlags(String heap) {
    return heap.isEmpty()
        ? java.util.List.of()
        : java.util.List.of("-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch");
  }
}
