package dev.spillway.simulator;

import dev.spillway.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An Azure OpenAI look-alike HTTP server for demos, tests and benchmarks.
 *
 * <p>It serves chat completions, completions and embeddings for the configured deployments on the
 * Azure classic ({@code /openai/deployments/{deployment}/...?api-version=}), Azure v1
 * ({@code /openai/v1/...}) and OpenAI ({@code /v1/...}) URL shapes, plus {@code GET /v1/models}, and
 * OpenAI's Responses API ({@code responses}, {@code responses/{id}}, {@code .../input_items},
 * {@code .../cancel}) on the v1 and OpenAI shapes and Azure's {@code /openai/responses?api-version=};
 * stored responses live in this instance only. It also serves images ({@code images/generations},
 * {@code images/edits}, {@code images/variations}) and audio ({@code audio/transcriptions}, {@code
 * audio/translations}, {@code audio/speech}) on all three shapes, and {@code moderations} on the v1 and
 * OpenAI shapes, admitted like chat (see {@code MediaApi}); uploads are multipart and streamed. The Realtime
 * API is served over WebSocket on {@code /v1/realtime?model=}, {@code /openai/v1/realtime?model=} and {@code
 * /openai/realtime?api-version=&deployment=} (see {@code RealtimeApi}). PTU
 * deployments throttle with a leaky bucket and report {@code azure-openai-deployment-utilization};
 * PAYG deployments enforce TPM/RPM quotas with {@code x-ratelimit-*} headers; both answer
 * {@code 429} with {@code retry-after-ms} and {@code retry-after}, unless a PTU deployment spills over
 * to a PAYG one as Azure does (see {@code SpilloverAdmission}). Latency follows {@link Timing}
 * (or none under {@code zeroLatency}); faults are injected by the {@code x-sim-fault} header or by
 * config. Generated content depends only on the seed and the request body. Azure OpenAI's content
 * filters are simulated on chat, completions and the Responses API, driven by trigger terms in the
 * user text ({@link ContentFilterConfig}) or the {@code x-sim-content-filter} header, and an Azure AI
 * Content Safety look-alike answers {@code /contentsafety/text:analyze} and {@code
 * /contentsafety/text:shieldPrompt} from the same terms ({@link ContentSafetyConfig}).
 *
 * <p>Thread-safe. The server runs on the given Vert.x instance's event loop; the injected {@link
 * Ticker} drives the rate limiters (pacing of responses uses real timers).
 */
public final class Simulator {
  /** Streams a client may have open at once on one HTTP/2 connection (a real Azure endpoint sets its own). */
  public static final long HTTP2_STREAMS_PER_CONNECTION = 1_000;
  private final HttpServer server;
  private final SimulatorConfig config;
  private final Map<String, DeploymentRuntime> deployments;
  private final Ticker ticker;
  private final StoredResponses storedResponses;
  private final RealtimeApi realtime;
  private final ContentSafetyApi contentSafety;

  private Simulator(HttpServer server, SimulatorConfig config, Map<String, DeploymentRuntime> deployments,
      Ticker ticker, StoredResponses storedResponses, RealtimeApi realtime, ContentSafetyApi contentSafety) {
    this.server = server;
    this.config = config;
    this.deployments = deployments;
    this.ticker = ticker;
    this.storedResponses = storedResponses;
    this.realtime = realtime;
    this.contentSafety = contentSafety;
  }

  /** Starts listening with the system ticker; completes once bound. */
  public static Future<Simulator> start(Vertx vertx, SimulatorConfig config) {
    return start(vertx, config, Ticker.systemTicker());
  }

  /**
   * Starts listening on {@code config.host():config.port()} (port 0 picks a free one) using {@code
   * vertx}, which may be shared with other servers; completes once bound, or fails if binding fails.
   */
  public static Future<Simulator> start(Vertx vertx, SimulatorConfig config, Ticker ticker) {
    Map<String, DeploymentRuntime> deployments = new LinkedHashMap<>();
    long now = ticker.read();
    for (DeploymentConfig d : config.deployments()) {
      deployments.put(d.name(), new DeploymentRuntime(d, config.timing(), config.seed(), now));
    }
    Map<String, DeploymentRuntime> frozen = Collections.unmodifiableMap(deployments);
    StoredResponses stored = new StoredResponses(StoredResponses.DEFAULT_CAPACITY);
    SimulatorHandler handler = new SimulatorHandler(vertx, config, frozen, ticker, Clock.systemUTC(), stored);
    // HTTP/1.1, and HTTP/2 in cleartext with prior knowledge (h2c), as a gateway with http2: on speaks it.
    HttpServer server = vertx.createHttpServer(
        RealtimeApi.serverOptions(new HttpServerOptions().setHost(config.host()).setPort(config.port())
            .setHttp2ClearTextEnabled(true)
            .setInitialSettings(new Http2Settings().setMaxConcurrentStreams(HTTP2_STREAMS_PER_CONNECTION))))
        .requestHandler(handler);
    return server.listen(config.port(), config.host())
        .map(s -> new Simulator(s, config, frozen, ticker, stored, handler.realtime(), handler.contentSafety()));
  }

  /** The bound TCP port. */
  public int port() {
    return server.actualPort();
  }

  /**
   * {@code http://host:port}, with the configured host; a wildcard bind address ({@code 0.0.0.0},
   * {@code ::}) is replaced by the matching loopback address so the URL is usable.
   */
  public String baseUrl() {
    String host = switch (config.host()) {
      case "0.0.0.0" -> "127.0.0.1";
      case "::", "[::]" -> "[::1]";
      default -> config.host().contains(":") && !config.host().startsWith("[")
          ? "[" + config.host() + "]" : config.host();
    };
    return "http://" + host + ":" + port();
  }

  /** The config this simulator runs with. */
  public SimulatorConfig config() {
    return config;
  }

  /**
   * Current utilization of a PTU deployment's bucket in percent (may exceed 100 after an oversized
   * request); 0 for PAYG deployments.
   *
   * @throws IllegalArgumentException if there is no such deployment
   */
  public double utilizationPercent(String deployment) {
    DeploymentRuntime d = deployments.get(deployment);
    if (d == null) {
      throw new IllegalArgumentException("no deployment named '" + deployment + "'; known: " + deployments.keySet());
    }
    return d.limiter().utilizationPercent(ticker.read());
  }

  /** A snapshot of the per-deployment counters. */
  public SimulatorStats stats() {
    Map<String, DeploymentStats> snapshot = new LinkedHashMap<>();
    deployments.forEach((name, d) -> snapshot.put(name, d.snapshot()));
    return new SimulatorStats(snapshot);
  }

  /**
   * How many Responses API responses this instance holds for {@code GET responses/{id}} (at most the
   * last 10,000 stored); another instance holds its own.
   */
  public int storedResponseCount() {
    return storedResponses.size();
  }

  /**
   * Realtime API counts of {@code deployment} ({@link RealtimeStats#ZERO} when there is no such
   * deployment); its tokens and upgrade outcomes are in {@link #stats()} too.
   */
  public RealtimeStats realtimeStats(String deployment) {
    return realtime.stats(deployment);
  }

  /** Counts of the Azure AI Content Safety look-alike served beside the deployments. */
  public ContentSafetyStats contentSafetyStats() {
    return contentSafety.stats();
  }

  /**
   * Stops listening and closes open connections (including hung and streaming ones); open Realtime
   * sessions are closed first, with WebSocket close code 1000.
   */
  public Future<Void> close() {
    return realtime.closeAll().transform(ar -> server.close());
  }
}
