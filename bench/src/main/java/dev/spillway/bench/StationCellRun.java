package dev.spillway.bench;

import static dev.spillway.bench.SpilloverBenchmark.PAYG_DEPLOYMENT;
import static dev.spillway.bench.SpilloverBenchmark.PTU_DEPLOYMENT;

import dev.spillway.core.auth.keys.KeyStore;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import dev.spillway.simulator.SimulatorStats;
import dev.spillway.simulator.Timing;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;

/**
 * Runs one cell of {@link StationBenchmark}: a fresh simulated resource (PTU of capacity C, PAYG with
 * ten times the peak load as quota) and a fresh gateway in front of it on one Vert.x instance, the
 * consumers' keys issued, the PTU bucket filled first when the load keeps it full anyway, then the
 * scenario's open-loop load through a warm-up and the measured window, and everything closed again.
 * The caller's thread sleeps while the load runs on the event loops.
 */
final class StationCellRun {
  static final String PTU_BACKEND = "ptu";
  static final String PAYG_BACKEND = "payg";

  private final StationSettings settings;
  private final int promptTokens;
  private final Ticker ticker = Ticker.systemTicker();

  /** @param promptTokens the fixed request's prompt, as the simulator counts it */
  StationCellRun(StationSettings settings, int promptTokens) {
    this.settings = settings;
    this.promptTokens = promptTokens;
  }

  long tokensPerRequest() {
    return promptTokens + (long) settings.maxTokens();
  }

  /** Requests per second that offer 1 × C. */
  double requestsPerSecondAtC() {
    return settings.capacityTokensPerMinute() / 60.0 / tokensPerRequest();
  }

  /** The PTU bucket of {@code scenario}: two requests' worth for the short bursts, else {@code --ptu-burst}. */
  Duration ptuBurst(StationScenario scenario) {
    if (scenario.kind() != StationScenario.Kind.SHORT_BURSTS) {
      return settings.ptuBurst();
    }
    double tokens = StationScenario.SMALL_BUCKET_REQUESTS * tokensPerRequest();
    return Duration.ofNanos((long) Math.ceil(tokens * 60e9 / settings.capacityTokensPerMinute()));
  }

  /** How long the simulator takes for one request with no wait anywhere: what "added wait" is measured against. */
  double serviceMillis() {
    Timing timing = Timing.defaults();
    long nanos = timing.timeToFirstTokenNanos(promptTokens) + (settings.maxTokens() - 1L) * timing.nanosPerOutputToken();
    return Math.ceil(nanos / 1e6); // the simulator's timer rounds up to whole milliseconds
  }

  StationCell run(StationScenario scenario, StationVariant variant, Duration warmup, Duration window) {
    RateSchedule schedule = scenario.loadInC().scaled(requestsPerSecondAtC());
    Vertx vertx = Vertx.vertx();
    Path keyDir = tempDir();
    try {
      Simulator simulator = Simulator.start(vertx, simulatorConfig(scenario, variant, schedule)).await();
      try {
        StationGatewayYaml.Inputs inputs = new StationGatewayYaml.Inputs(simulator.baseUrl(),
            SpilloverBenchmark.BACKEND_KEY, PTU_DEPLOYMENT, PAYG_DEPLOYMENT, settings.capacityTokensPerMinute(),
            keyDir.resolve("keys.json"), HexFormat.of().formatHex(randomBytes()));
        GatewayServer gateway =
            GatewayServer.start(vertx, StationGatewayYaml.load(variant, inputs), GatewayOptions.defaults()).await();
        try {
          return measure(vertx, simulator, gateway, scenario, variant, schedule, warmup, window);
        } finally {
          gateway.close().await();
        }
      } finally {
        simulator.close().await();
      }
    } finally {
      vertx.close().await();
      deleteQuietly(keyDir);
    }
  }

  private StationCell measure(Vertx vertx, Simulator simulator, GatewayServer gateway, StationScenario scenario,
      StationVariant variant, RateSchedule schedule, Duration warmup, Duration window) {
    KeyStore keys = gateway.keys().orElseThrow();
    Map<String, String> critical =
        Map.of("api-key", keys.create(StationGatewayYaml.CRITICAL_CONSUMER, Instant.now()).plaintext());
    Map<String, String> standard =
        Map.of("api-key", keys.create(StationGatewayYaml.STANDARD_CONSUMER, Instant.now()).plaintext());
    if (scenario.startsWithFullBucket()) {
      fillPtuBucket(vertx, simulator, ptuBurst(scenario));
    }
    ClassTally tally = new ClassTally(scenario::critical, PAYG_BACKEND, PAYG_DEPLOYMENT);
    OpenLoopGenerator generator = new OpenLoopGenerator(vertx, gateway.baseUrl() + "/v1/chat/completions",
            SpilloverBenchmark.requestBody(settings.maxTokens()), schedule, ticker, standard,
            OpenLoopGenerator.UNBOUNDED_CONNECTIONS)
        .headersByIndex(i -> scenario.critical(i) ? critical : standard)
        .onAnswer(tally);
    try {
      generator.start(warmup, window);
      SpilloverBenchmark.sleepUntil(ticker, generator.windowStartNanos());
      long startNanos = ticker.read();
      SimulatorStats simStart = simulator.stats();
      double bucketStart = simulator.utilizationPercent(PTU_DEPLOYMENT);
      SpilloverBenchmark.sleepUntil(ticker, generator.windowEndNanos());
      long endNanos = ticker.read();
      SimulatorStats simEnd = simulator.stats();
      double bucketEnd = simulator.utilizationPercent(PTU_DEPLOYMENT);
      SpilloverBenchmark.awaitSendingStopped(generator);
      SpilloverBenchmark.awaitIdle(generator, drainTimeout());
      return new StationCell(scenario, variant, settings.capacityTokensPerMinute(), (endNanos - startNanos) / 1e9,
          simEnd.deployment(PTU_DEPLOYMENT).minus(simStart.deployment(PTU_DEPLOYMENT)),
          simEnd.deployment(PAYG_DEPLOYMENT).minus(simStart.deployment(PAYG_DEPLOYMENT)),
          bucketStart, bucketEnd, generator.summary(), tally.critical(), tally.standard(), serviceMillis(),
          settings.paygPricePer1kTokens());
    } finally {
      generator.close();
    }
  }

  private SimulatorConfig simulatorConfig(StationScenario scenario, StationVariant variant, RateSchedule schedule) {
    double peakPerSecond = schedule.phases().stream().mapToDouble(RateSchedule.Phase::ratePerSecond).max().orElse(1);
    long paygRequestsPerMinute = (long) Math.ceil(10 * peakPerSecond * 60) + 10;
    DeploymentConfig ptu = DeploymentConfig.ptu(PTU_DEPLOYMENT, settings.capacityTokensPerMinute());
    return SimulatorConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .seed(settings.seed())
        .apiKey(SpilloverBenchmark.BACKEND_KEY)
        .timing(Timing.defaults().withPtuBurst(ptuBurst(scenario)))
        .deployment(variant.simulatorSpillsOver() ? ptu.withSpilloverDeployment(PAYG_DEPLOYMENT) : ptu)
        .deployment(DeploymentConfig.payg(PAYG_DEPLOYMENT, paygRequestsPerMinute * tokensPerRequest(),
            paygRequestsPerMinute))
        .build();
  }

  /**
   * Fills the PTU bucket straight away with one streamed request, sent to the PTU deployment itself
   * (not through the gateway), that costs exactly what the bucket holds; once the simulator reports
   * it full, the request is abandoned. Its tokens fall before the window and are not counted.
   */
  private void fillPtuBucket(Vertx vertx, Simulator simulator, Duration burst) {
    long bucketTokens = (long) Math.floor(settings.capacityTokensPerMinute() * (burst.toNanos() / 60e9));
    long maxTokens = bucketTokens - promptTokens;
    if (maxTokens < 1) {
      return;
    }
    JsonObject body = new JsonObject(SpilloverBenchmark.requestBody(settings.maxTokens()))
        .put("max_tokens", maxTokens).put("stream", true);
    String url = simulator.baseUrl() + "/openai/deployments/" + PTU_DEPLOYMENT + "/chat/completions?api-version="
        + SpilloverBenchmark.API_VERSION;
    HttpClient client = vertx.createHttpClient();
    try {
      client.request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url))
          .compose(req -> req.putHeader("content-type", "application/json")
              .putHeader("api-key", SpilloverBenchmark.BACKEND_KEY).send(body.toBuffer()));
      long until = System.nanoTime() + 5_000_000_000L;
      while (simulator.utilizationPercent(PTU_DEPLOYMENT) < 99 && System.nanoTime() - until < 0) {
        SpilloverBenchmark.pause(5);
      }
    } finally {
      client.close().await();
    }
  }

  /** Long enough for the slowest request: generation, the longest PTU wait, and slack. */
  private Duration drainTimeout() {
    return Duration.ofMillis((long) (2 * serviceMillis()) + 1_500 + 5_000);
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[16];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("spillway-station-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
