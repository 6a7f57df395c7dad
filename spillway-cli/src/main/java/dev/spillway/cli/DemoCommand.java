package dev.spillway.cli;

import dev.spillway.cli.demo.DemoSetup;
import dev.spillway.cli.demo.LiveStats;
import dev.spillway.cli.demo.LiveTable;
import dev.spillway.cli.demo.DemoBatches;
import dev.spillway.cli.demo.DemoCacheTour;
import dev.spillway.cli.demo.TrafficGenerator;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.gateway.dashboard.BackendStatus;
import dev.spillway.simulator.Simulator;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the gateway in front of simulated Azure OpenAI backends (gpt-4o as PTU + PAYG in two regions, "
          + "plus embeddings) and drive traffic that overloads the PTU, so spillover to PAYG and recovery show "
          + "in a live table. No Azure account needed."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "How long to drive traffic (default: ${DEFAULT-VALUE}). Ignored with --no-traffic.")
  Duration duration;

  @Option(names = "--rate", defaultValue = "8", paramLabel = "RPS",
      description = "Peak requests per second; the first 20%% and last 30%% of the run send 30%% of it (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--no-traffic", description = "Serve only: start the simulator and the gateway, send nothing, run until Ctrl-C.")
  boolean noTraffic;

  @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
      description = "Gateway port (default: ${DEFAULT-VALUE}; if taken, any free port).")
  int port;

  @Option(names = "--seed", defaultValue = "42", description = "Seed for the simulator and the traffic (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (rate <= 0 || rate > 10_000) {
      throw new IllegalArgumentException("--rate must be between 0 and 10000, was " + rate);
    }
    PrintStream out = System.out;
    Vertx vertx = Vertx.vertx();
    DemoSetup setup = new DemoSetup(seed);
    Simulator simulator = Simulator.start(vertx, setup.simulatorConfig()).await();
    java.nio.file.Path dataDir = java.nio.file.Files.createTempDirectory("spillway-demo");
    java.nio.file.Path keyStore = dataDir.resolve("keys.json");
    // The demo's keys die with it: deleted on exit (the file first, then its directory).
    dataDir.toFile().deleteOnExit();
    keyStore.toFile().deleteOnExit();
    SpillwayConfig probeConfig = setup.gatewayConfig(simulator.baseUrl(), port, keyStore);
    LiveStats stats = new LiveStats(backendsByModel(probeConfig));
    GatewayOptions options = GatewayOptions.builder().listener(stats).build();
    GatewayServer gateway;
    try {
      gateway = GatewayServer.start(vertx, probeConfig, options).await();
    } catch (RuntimeException bindFailed) {
      gateway = GatewayServer.start(vertx, setup.gatewayConfig(simulator.baseUrl(), 0, keyStore), options).await();
      out.println("(port " + port + " is taken; using " + gateway.port() + ")");
    }
    Map<String, String> simDeploymentByBackend = simDeployments(gateway.config());
    Map<String, dev.spillway.core.routing.BackendState> states = new LinkedHashMap<>();
    gateway.pools().values().forEach(pool -> pool.backends().forEach(b -> states.put(b.id(), b)));
    LiveTable table =
        new LiveTable(
            stats,
            id -> simulator.utilizationPercent(simDeploymentByBackend.get(id)),
            id -> BackendStatus.describe(states.get(id), System.nanoTime()));
    String demoKey = gateway.keys().orElseThrow().create(DemoSetup.DEMO_CONSUMER, java.time.Instant.now()).plaintext();
    String batchKey = gateway.keys().orElseThrow().create(DemoSetup.BATCH_CONSUMER, java.time.Instant.now()).plaintext();
    printBanner(out, gateway.baseUrl(), demoKey);

    long startNanos = System.nanoTime();
    TrafficGenerator traffic = null;
    if (!noTraffic) {
      long totalNanos = duration.toNanos();
      traffic = new TrafficGenerator(vertx, gateway.baseUrl(), demoKey, java.util.Optional.of(batchKey),
          () -> rateAt(System.nanoTime() - startNanos, totalNanos), seed);
      traffic.start();
    }
    DemoBatches batches = null;
    DemoCacheTour cacheTour = null;
    if (!noTraffic) {
      batches = new DemoBatches(vertx, gateway.baseUrl(), demoKey, DemoSetup.CHAT_MODEL);
      batches.run(8);
      cacheTour = new DemoCacheTour(vertx, gateway.baseUrl(), demoKey);
      cacheTour.run();
    }
    DemoCacheTour runningTour = cacheTour;
    DemoBatches runningBatches = batches;
    AtomicBoolean summarized = new AtomicBoolean();
    GatewayServer running = gateway;
    TrafficGenerator runningTraffic = traffic;
    Thread hook = new Thread(() -> finish(out, table, summarized, runningTraffic, runningBatches, runningTour, running, simulator, vertx,
        startNanos, INTERRUPT_DRAIN_TIMEOUT),
        "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    LiveScreen screen = new LiveScreen(out, System.console() != null);
    long lastSignature = -1;
    while (noTraffic || System.nanoTime() - startNanos < duration.toNanos()) {
      Thread.sleep(1000);
      long signature = stats.clientOk() * 31 + stats.client429() * 17 + stats.clientOther() + stats.limitRefusals() * 7;
      if (!noTraffic || signature != lastSignature) {
        lastSignature = signature;
        screen.show(table.render(header(startNanos, traffic)));
      }
    }
    Runtime.getRuntime().removeShutdownHook(hook);
    finish(out, table, summarized, traffic, batches, cacheTour, gateway, simulator, vertx, startNanos, DRAIN_TIMEOUT);
    return 0;
  }

  private double rateAt(long elapsedNanos, long totalNanos) {
    double f = (double) elapsedNanos / totalNanos;
    return f < 0.2 || f >= 0.7 ? 0.3 * rate : rate;
  }

  private String header(long startNanos, TrafficGenerator traffic) {
    long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
    if (traffic == null) {
      return String.format("t=%ds  serving (no generated traffic)", seconds);
    }
    double current = rateAt(System.nanoTime() - startNanos, duration.toNanos());
    String phase = current < rate ? "PTU has room" : "overload: PTU saturates, PAYG absorbs";
    return String.format("t=%ds  offered %.1f req/s (%s)  sent %d", seconds, current, phase, traffic.sent());
  }

  /** How long the summary waits for requests still in flight when the traffic stops. */
  static final java.time.Duration DRAIN_TIMEOUT = java.time.Duration.ofSeconds(15);
  /** The same after Ctrl-C, when the user wants out. */
  static final java.time.Duration INTERRUPT_DRAIN_TIMEOUT = java.time.Duration.ofSeconds(3);

  private static void finish(
      PrintStream out,
      LiveTable table,
      AtomicBoolean summarized,
      TrafficGenerator traffic,
      DemoBatches batches,
      DemoCacheTour cacheTour,
      GatewayServer gateway,
      Simulator simulator,
      Vertx vertx,
      long startNanos,
      java.time.Duration drainTimeout) {
    if (!summarized.compareAndSet(false, true)) {
      return;
    }
    long seconds = (System.nanoTime() - startNanos) / 1_000_000_000L;
    if (traffic != null) {
      // The summary counts every request the demo sent: let the ones still generating finish first.
      traffic.stopSending();
      try {
        if (traffic.inFlight() > 0) {
          out.println();
          out.println("Traffic stopped; waiting for " + traffic.inFlight() + " requests in flight to finish...");
        }
        traffic.awaitInFlight(drainTimeout);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      traffic.stop();
    }
    out.println();
    out.println("Summary after " + seconds + " s of traffic");
    out.print(table.render("(totals; req/s column = since last table)"));
    if (traffic != null) {
      out.println("Output-token policy: the gateway set max tokens on " + traffic.maxTokensSet()
          + " responses (x-spillway-max-tokens-applied: a default of " + DemoSetup.DEFAULT_MAX_TOKENS
          + " for requests without one, " + DemoSetup.BATCH_CONSUMER + " capped at " + DemoSetup.BATCH_MAX_TOKENS_CAP + ")");
    }
    if (cacheTour != null) {
      out.println(cacheTour.summary());
      cacheTour.close();
    }
    if (traffic != null) {
      out.println("Response cache: of " + traffic.cacheable() + " frequent questions (temperature 0), "
          + traffic.exactHits() + " were answered from the exact layer (x-spillway-cache: HIT) and "
          + traffic.semanticHits() + " from the semantic layer (SEMANTIC_HIT: another phrasing of a question already answered)");
    }
    gateway.pools().get(DemoSetup.CHAT_MODEL).station().ifPresent(station -> out.println(stationLine(station)));
    if (batches != null) {
      out.println(batches.summary());
      batches.close();
    }
    try {
      gateway.close().eventually(simulator::close).await(10, java.util.concurrent.TimeUnit.SECONDS);
      vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (RuntimeException | java.util.concurrent.TimeoutException ignored) {
      // Shutting down anyway.
    }
  }

  /** What the PTU station did: requests that waited for PTU, and why the others went to PAYG at once. */
  static String stationLine(dev.spillway.core.routing.Station station) {
    dev.spillway.core.routing.StationCounters c = station.counters();
    long queued = c.enqueued();
    StringBuilder reasons = new StringBuilder();
    for (dev.spillway.core.routing.station.SpillReason r : dev.spillway.core.routing.station.SpillReason.values()) {
      long n = c.spilled(r);
      if (n > 0) {
        reasons.append(reasons.isEmpty() ? "" : ", ").append(r.id()).append(' ').append(n);
      }
    }
    return "PTU station: " + queued + " requests waited for a full PTU (released at its pace); sent to PAYG at once: "
        + (reasons.isEmpty() ? "none" : reasons) + " (batch has no wait budget; over-budget = the PTU would not have"
        + " taken it in time; overload = offered load above PTU capacity, where waiting cannot pay)";
  }

  private static void printBanner(PrintStream out, String url, String key) {
    out.println("Spillway demo: gateway at " + url);
    out.println("  live dashboard: " + url + "/dashboard");
    out.println("  backends: gpt-4o as PTU (" + DemoSetup.PTU_TOKENS_PER_MINUTE / 1000 + "k tokens/min each) + PAYG in "
        + String.join(" and ", DemoSetup.REGIONS) + "; text-embedding-3-small");
    out.println("  (simulated on loopback; the gateway holds the backend key, clients hold only their own)");
    out.println("  consumer " + DemoSetup.DEMO_CONSUMER + ", gateway key (shown once): " + key);
    out.println("  consumer " + DemoSetup.BATCH_CONSUMER + " (team finance) sends " + TrafficGenerator.BATCH_SHARE_PERCENT
        + "% of the traffic under a limit of " + DemoSetup.BATCH_REQUESTS_PER_MINUTE + " requests/min (bursts over it are"
        + " refused), as priority class batch: it spills first");
    out.println("  PTU station: a request that finds the PTU full waits up to " + DemoSetup.PTU_WAIT.toMillis()
        + " ms (critical twice that, batch not at all) only when the PTU will take it in time; see the dashboard's PTU"
        + " station panel");
    out.println("  output tokens (maxTokens policy): requests without max_tokens get " + DemoSetup.DEFAULT_MAX_TOKENS + "; "
        + DemoSetup.BATCH_CONSUMER + " asks are capped at " + DemoSetup.BATCH_MAX_TOKENS_CAP);
    out.println();
    out.println("Try it from another terminal:");
    out.println("  curl " + url + "/v1/chat/completions -H 'content-type: application/json' -H 'api-key: " + key + "' \\");
    out.println("    -d '{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}'");
    out.println("  python: OpenAI(base_url=\"" + url + "/v1\", api_key=\"" + key + "\").chat.completions.create(model=\"gpt-4o\", messages=[...])");
    out.println("  azure:  AzureOpenAI(azure_endpoint=\"" + url + "\", api_key=\"" + key + "\", api_version=\"2024-10-21\")");
    out.println("  router: curl " + url + "/admin/backends");
    out.println();
  }

  private static Map<String, List<BackendConfig>> backendsByModel(SpillwayConfig config) {
    Map<String, List<BackendConfig>> byModel = new LinkedHashMap<>();
    for (ModelConfig model : config.models().values()) {
      byModel.put(model.name(), model.backends());
    }
    return byModel;
  }

  private static Map<String, String> simDeployments(SpillwayConfig config) {
    Map<String, String> map = new LinkedHashMap<>();
    for (ModelConfig model : config.models().values()) {
      for (BackendConfig b : model.backends()) {
        if (b.tier() == Tier.PTU) {
          map.put(b.id(), b.deployment());
        }
      }
    }
    return map;
  }
}
