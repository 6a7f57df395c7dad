package dev.spillway.bench;

import dev.spillway.core.config.BackendAuth;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;
import dev.spillway.core.config.RoutingConfig;
import dev.spillway.core.config.ServerConfig;
import dev.spillway.core.config.SpillwayConfig;
import dev.spillway.core.config.Tier;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.GatewayOptions;
import dev.spillway.gateway.GatewayServer;
import dev.spillway.simulator.DeploymentConfig;
import dev.spillway.simulator.Simulator;
import dev.spillway.simulator.SimulatorConfig;
import dev.spillway.simulator.SimulatorStats;
import dev.spillway.simulator.Timing;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Spillover quality under overload (DESIGN §7): one simulated PTU deployment of capacity C and one
 * PAYG deployment with ample room, a fresh gateway in front for each configuration ({@link
 * RoutingVariant}), and an open-loop generator offering {@code loadFactor × C} tokens per minute
 * of identical requests. Reports PTU utilization, the share spilled to PAYG, client-visible 429s
 * and latency, and writes {@code routing.md} and {@code routing.json}.
 *
 * <p>Everything runs in this JVM: simulator, gateway and generator share its cores, which the
 * report says. Each configuration gets a fresh simulator (so its PTU bucket starts empty), a
 * warm-up until that bucket is full, then the measured window.
 *
 * <p>{@code java -cp spillway-bench.jar dev.spillway.bench.SpilloverBenchmark --help} lists the flags.
 */
public final class SpilloverBenchmark {
  static final String MODEL = "gpt-4o";
  static final String PTU_DEPLOYMENT = "gpt-4o-ptu";
  static final String PAYG_DEPLOYMENT = "gpt-4o-payg";
  static final String BACKEND_KEY = "bench-backend-key";
  static final String API_VERSION = BackendConfig.DEFAULT_API_VERSION;
  private static final String PROMPT =
      "Summarise the quarterly capacity report for the platform team. Cover the regions that ran"
          + " hot, the deployments that throttled, how much traffic spilled from provisioned"
          + " throughput to pay-as-you-go, what that cost, and which three changes would keep next"
          + " quarter inside the provisioned budget. Keep it short, use plain words, and end with"
          + " one sentence the finance team can quote.";

  private SpilloverBenchmark() {}

  public static void main(String[] args) {
    SpilloverSettings settings;
    try {
      settings = SpilloverSettings.parse(args);
    } catch (IllegalArgumentException e) {
      boolean help = "help".equals(e.getMessage());
      (help ? System.out : System.err).print((help ? "" : "error: " + e.getMessage() + "\n") + SpilloverSettings.USAGE);
      System.exit(help ? 0 : 2);
      return;
    }
    SpilloverRun run = run(settings, System.out);
    System.out.println();
    System.out.println(RoutingReport.spilloverTable(run));
    Path md = RoutingReport.write(run);
    System.out.println("report: " + md.toAbsolutePath().normalize());
  }

  /** Runs every configuration of {@code settings} in turn; progress lines go to {@code log}. */
  public static SpilloverRun run(SpilloverSettings settings, PrintStream log) {
    Instant startedAt = Instant.now();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Duration warmup = settings.effectiveWarmup();
    long paygTokensPerMinute = (long) Math.ceil(10 * settings.capacityTokensPerMinute() * settings.loadFactor());
    List<SpilloverResult> results = new ArrayList<>();
    int promptTokens = 0;
    double rate = 0;
    for (RoutingVariant variant : settings.variants()) {
      log.printf(
          Locale.ROOT,
          "%s: warm-up %s, then measuring %s at %.2f x C = %,d tokens/min%n",
          variant.id(),
          human(warmup),
          human(settings.duration()),
          settings.loadFactor(),
          Math.round(settings.capacityTokensPerMinute() * settings.loadFactor()));
      Measured m = runOne(settings, variant, warmup, paygTokensPerMinute, log);
      results.add(m.result());
      promptTokens = m.promptTokens();
      rate = m.arrivalsPerSecond();
      SpilloverResult r = m.result();
      log.printf(
          Locale.ROOT,
          "%s: PTU %.1f %%, spilled %.1f %%, client 429s %d, other errors %d, p99 %.0f ms%n",
          variant.id(),
          r.ptuUtilization() * 100,
          r.spillShare() * 100,
          r.client429(),
          r.client().windowOtherErrors(),
          r.client().okLatency().p99Millis());
    }
    Optional<List<JmhResults.DecisionCost>> costs = settings.jmhResults().map(JmhResults::read);
    return new SpilloverRun(
        settings,
        startedAt,
        warmup,
        promptTokens,
        promptTokens + (long) settings.maxTokens(),
        rate,
        paygTokensPerMinute,
        results,
        costs,
        loadAtStart,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  private record Measured(SpilloverResult result, int promptTokens, double arrivalsPerSecond) {}

  private static Measured runOne(
      SpilloverSettings settings, RoutingVariant variant, Duration warmup, long paygTokensPerMinute, PrintStream log) {
    Ticker ticker = Ticker.systemTicker();
    long began = ticker.read();
    Vertx vertx = Vertx.vertx();
    try {
      Simulator simulator = Simulator.start(vertx, simulatorConfig(settings, paygTokensPerMinute)).await();
      try {
        int promptTokens = calibrate(vertx, simulator, settings.maxTokens());
        long tokensPerRequest = promptTokens + (long) settings.maxTokens();
        double rate = settings.loadFactor() * settings.capacityTokensPerMinute() / 60.0 / tokensPerRequest;
        log.printf(
            Locale.ROOT,
            "%s: %d tokens per request (%d prompt + %d max_tokens), %.2f requests/s; set up in %d ms%n",
            variant.id(),
            tokensPerRequest,
            promptTokens,
            settings.maxTokens(),
            rate,
            (ticker.read() - began) / 1_000_000);
        TierTally tally = new TierTally();
        GatewayServer gateway =
            GatewayServer.start(
                    vertx, gatewayConfig(simulator.baseUrl(), variant), GatewayOptions.builder().listener(tally).build())
                .await();
        OpenLoopGenerator generator =
            new OpenLoopGenerator(
                vertx, gateway.baseUrl() + "/v1/chat/completions", requestBody(settings.maxTokens()), rate, ticker);
        try {
          generator.start(warmup, settings.duration());
          sleepUntil(ticker, generator.windowStartNanos());
          long startNanos = ticker.read();
          SimulatorStats simStart = simulator.stats();
          double bucketStart = simulator.utilizationPercent(PTU_DEPLOYMENT);
          TierTally.Snapshot tallyStart = tally.snapshot();
          sleepUntil(ticker, generator.windowEndNanos());
          long endNanos = ticker.read();
          SimulatorStats simEnd = simulator.stats();
          double bucketEnd = simulator.utilizationPercent(PTU_DEPLOYMENT);
          TierTally.Snapshot tallyEnd = tally.snapshot();
          awaitSendingStopped(generator);
          long inFlightAtEnd = generator.inFlight();
          awaitIdle(generator, drainTimeout(settings));
          SpilloverResult result =
              new SpilloverResult(
                  variant,
                  settings.capacityTokensPerMinute(),
                  (endNanos - startNanos) / 1e9,
                  simEnd.deployment(PTU_DEPLOYMENT).minus(simStart.deployment(PTU_DEPLOYMENT)),
                  simEnd.deployment(PAYG_DEPLOYMENT).minus(simStart.deployment(PAYG_DEPLOYMENT)),
                  bucketStart,
                  bucketEnd,
                  tallyEnd.minus(tallyStart),
                  generator.summary(),
                  inFlightAtEnd);
          return new Measured(result, promptTokens, rate);
        } finally {
          generator.close();
          gateway.close().await();
        }
      } finally {
        simulator.close().await();
      }
    } finally {
      vertx.close().await();
    }
  }

  static SimulatorConfig simulatorConfig(SpilloverSettings settings, long paygTokensPerMinute) {
    // Requests per minute: ten times the most the offered tokens could ever mean (1-token prompts).
    long paygRequestsPerMinute =
        (long) Math.ceil(10 * settings.capacityTokensPerMinute() * settings.loadFactor() / (settings.maxTokens() + 1));
    return SimulatorConfig.builder()
        .host("127.0.0.1")
        .port(0)
        .seed(settings.seed())
        .apiKey(BACKEND_KEY)
        .timing(Timing.defaults().withPtuBurst(settings.ptuBurst()))
        .retryAfterMs(settings.retryAfterMs())
        .deployment(DeploymentConfig.ptu(PTU_DEPLOYMENT, settings.capacityTokensPerMinute()))
        .deployment(DeploymentConfig.payg(PAYG_DEPLOYMENT, paygTokensPerMinute, paygRequestsPerMinute))
        .build();
  }

  static SpillwayConfig gatewayConfig(String simulatorUrl, RoutingVariant variant) {
    URI url = URI.create(simulatorUrl);
    BackendAuth auth = BackendAuth.apiKey(BACKEND_KEY);
    List<BackendConfig> backends =
        List.of(
            BackendConfig.builder()
                .id("ptu")
                .type(BackendType.AZURE)
                .url(url)
                .deployment(PTU_DEPLOYMENT)
                .apiVersion(API_VERSION)
                .auth(auth)
                .tier(Tier.PTU)
                .priority(1)
                .region("local")
                .build(),
            BackendConfig.builder()
                .id("payg")
                .type(BackendType.AZURE)
                .url(url)
                .deployment(PAYG_DEPLOYMENT)
                .apiVersion(API_VERSION)
                .auth(auth)
                .tier(Tier.PAYG)
                .priority(2)
                .region("local")
                .build());
    ServerConfig server = ServerConfig.builder().host("127.0.0.1").port(0).build();
    return SpillwayConfig.builder()
        .server(server)
        .routing(RoutingConfig.DEFAULTS)
        .models(Map.of(MODEL, variant.model(MODEL, backends)))
        .build();
  }

  /** The one request every client sends: fixed prompt and {@code max_tokens}, so each costs the same. */
  static Buffer requestBody(int maxTokens) {
    return new JsonObject()
        .put("model", MODEL)
        .put(
            "messages",
            new JsonArray()
                .add(new JsonObject().put("role", "system").put("content", "You are a concise analyst."))
                .add(new JsonObject().put("role", "user").put("content", PROMPT)))
        .put("max_tokens", maxTokens)
        .toBuffer();
  }

  /**
   * Asks the PAYG deployment directly (not through the gateway, not touching the PTU bucket) how
   * many prompt tokens the fixed request has, with {@code max_tokens: 1} so it answers quickly.
   */
  static int calibrate(Vertx vertx, Simulator simulator, int maxTokens) {
    JsonObject body = new JsonObject(requestBody(maxTokens)).put("max_tokens", 1);
    HttpClient client = vertx.createHttpClient();
    try {
      String uri =
          simulator.baseUrl() + "/openai/deployments/" + PAYG_DEPLOYMENT + "/chat/completions?api-version=" + API_VERSION;
      JsonObject answer =
          client
              .request(new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(uri))
              .compose(
                  req -> {
                    req.putHeader("content-type", "application/json").putHeader("api-key", BACKEND_KEY);
                    // The body is read in send()'s own callback, before the response can end unseen.
                    return req.send(body.toBuffer())
                        .compose(
                            resp ->
                                resp.body()
                                    .map(
                                        b -> {
                                          if (resp.statusCode() != 200) {
                                            throw new IllegalStateException(
                                                "calibration request answered " + resp.statusCode() + ": " + b);
                                          }
                                          return b.toJsonObject();
                                        }));
                  })
              .await();
      return answer.getJsonObject("usage").getInteger("prompt_tokens");
    } finally {
      client.close().await();
    }
  }

  /** Long enough for the slowest request: generation, the PTU wait budget, and slack. */
  private static Duration drainTimeout(SpilloverSettings settings) {
    Timing timing = Timing.defaults();
    long serviceNanos = timing.timeToFirstTokenNanos(2_000) + settings.maxTokens() * timing.nanosPerOutputToken();
    return Duration.ofNanos(2 * serviceNanos).plus(RoutingVariant.MAX_WAIT_FOR_PTU).plusSeconds(5);
  }

  static void awaitSendingStopped(OpenLoopGenerator generator) {
    long until = System.nanoTime() + 1_000_000_000L;
    while (generator.sending() && System.nanoTime() - until < 0) {
      pause(5);
    }
  }

  static void awaitIdle(OpenLoopGenerator generator, Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    while (generator.inFlight() > 0 && System.nanoTime() - until < 0) {
      pause(20);
    }
  }

  static void sleepUntil(Ticker ticker, long targetNanos) {
    while (true) {
      long left = targetNanos - ticker.read();
      if (left <= 0) {
        return;
      }
      pause(Math.max(1, Math.min(100, left / 1_000_000)));
    }
  }

  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static String human(Duration d) {
    return dev.spillway.core.config.Durations.format(d);
  }
}
