package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * An Azure AI Content Safety look-alike on the simulator's port: {@code POST /contentsafety/text:analyze} and {@code
 * POST /contentsafety/text:shieldPrompt}, each with {@code ?api-version=} (any value; none → 404, as the classic Azure
 * OpenAI URLs). The key is read from {@code Ocp-Apim-Subscription-Key} ({@link ContentSafetyConfig#apiKey()}, else
 * the simulator's {@code apiKey}, else none is required): a wrong one gets {@code 401}. Then faults, from {@code
 * x-sim-fault} or the section's {@code faults} (500 {@code InternalError}, 503 {@code ServerBusy}, reset, hang,
 * garbage, slow; midstream resets), so that a caller's fail-open or fail-closed path can be driven. Then the body: a
 * bad one gets {@code 400 InvalidRequestBody}, an unknown blocklist {@code 404 ResourceNotFound}; errors carry {@code
 * x-ms-error-code}. The answer ({@link ContentSafetyAnswers}) comes after {@link ContentSafetyConfig#latency()}.
 *
 * <p>Thread-safe; runs on the request's event loop and never blocks.
 */
final class ContentSafetyApi {
  static final String PREFIX = "/contentsafety/";
  static final String KEY_HEADER = "Ocp-Apim-Subscription-Key";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int SLOW_FACTOR = 10;

  private final Vertx vertx;
  private final SimulatorConfig config;
  private final ContentSafetyConfig safety;
  private final FaultSequence faults;
  private final LongAdder requests = new LongAdder();
  private final LongAdder analyzed = new LongAdder();
  private final LongAdder shielded = new LongAdder();
  private final LongAdder flagged = new LongAdder();
  private final LongAdder attacks = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder unauthorized = new LongAdder();
  private final LongAdder faulted = new LongAdder();

  ContentSafetyApi(Vertx vertx, SimulatorConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.safety = config.contentSafety();
    this.faults = new FaultSequence(safety.faults(), config.seed(), "contentsafety");
  }

  /** Answers {@code req} if its path is under {@code /contentsafety/} and returns true; false for any other path. */
  boolean handle(HttpServerRequest req) {
    if (!req.path().startsWith(PREFIX)) {
      return false;
    }
    requests.increment();
    HttpServerResponse res = req.response();
    String operation = req.path().substring(PREFIX.length()).replace("%3A", ":").replace("%3a", ":");
    boolean analyze = operation.equals("text:analyze");
    if ((!analyze && !operation.equals("text:shieldPrompt")) || isBlank(req.getParam("api-version"))) {
      reject(res, 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
      return true;
    }
    if (req.method() != HttpMethod.POST) {
      res.putHeader("allow", "POST");
      reject(res, 405, "405", "The " + req.method().name() + " method is not allowed on " + req.path() + ".");
      return true;
    }
    Optional<String> key = safety.apiKey().or(config::apiKey);
    if (key.isPresent() && !key.get().equals(req.getHeader(KEY_HEADER))) {
      unauthorized.increment();
      error(res, 401, "401", AzureErrors.ACCESS_DENIED);
      return true;
    }
    req.body().onSuccess(body -> answer(req, analyze, body));
    return true;
  }

  private void answer(HttpServerRequest req, boolean analyze, Buffer body) {
    HttpServerResponse res = req.response();
    Optional<FaultKind> fault;
    List<ContentFilterHeader.Directive> directives;
    JsonNode json;
    try {
      fault = fault(req);
      directives = ContentFilterHeader.parse(req.getHeader(ContentFilterHeader.NAME));
      json = parse(body);
    } catch (InvalidRequestException e) {
      reject(res, 400, "InvalidRequestBody", e.getMessage());
      return;
    }
    if (fault.isPresent() && fault.get() != FaultKind.SLOW) {
      faulted.increment();
      switch (fault.get()) {
        case HTTP_500 -> error(res, 500, "InternalError", "An unexpected error occurred on the server. Please retry.");
        case HTTP_503 -> error(res, 503, "ServerBusy", "The server is busy. Please retry after a short while.");
        case RESET, MIDSTREAM -> Replies.reset(req);
        case HANG -> { /* never answer; the client times out */ }
        case GARBAGE -> res.setStatusCode(200).putHeader("content-type", Replies.APPLICATION_JSON)
            .end("<html><body>not the answer you were looking for {\"categoriesAnalysis\": [");
        default -> throw new IllegalStateException("unreachable: " + fault.get());
      }
      return;
    }
    JsonNode answer;
    try {
      if (analyze) {
        AnalyzeTextRequest request = AnalyzeTextRequest.parse(json);
        Optional<String> unknown = request.blocklistNames().stream()
            .filter(name -> !safety.blocklists().containsKey(name)).findFirst();
        if (unknown.isPresent()) {
          reject(res, 404, "ResourceNotFound", "The blocklist '" + unknown.get() + "' does not exist.");
          return;
        }
        answer = ContentSafetyAnswers.analyze(request, config.contentFilter(), safety.blocklists(), directives);
        analyzed.increment();
        if (ContentSafetyAnswers.flagged(answer)) {
          flagged.increment();
        }
      } else {
        answer = ContentSafetyAnswers.shield(ShieldPromptRequest.parse(json), config.contentFilter(), directives);
        shielded.increment();
        if (ContentSafetyAnswers.attackDetected(answer)) {
          attacks.increment();
        }
      }
    } catch (InvalidRequestException e) {
      reject(res, 400, "InvalidRequestBody", e.getMessage());
      return;
    }
    long factor = fault.isPresent() ? SLOW_FACTOR : config.zeroLatency() ? 0 : 1;
    Replies.replyAfter(vertx, req, safety.latency().toNanos() * factor, answer.toString());
  }

  /** The fault asked for by {@code x-sim-fault}, else the configured draw; content_filter does not apply here. */
  private Optional<FaultKind> fault(HttpServerRequest req) {
    String header = req.getHeader(SimulatorHandler.FAULT_HEADER);
    if (header == null) {
      return faults.draw();
    }
    Optional<FaultKind> kind = FaultKind.fromId(header).filter(k -> k != FaultKind.CONTENT_FILTER);
    if (kind.isEmpty()) {
      throw new InvalidRequestException("Unknown " + SimulatorHandler.FAULT_HEADER + " '" + header + "' for Content "
          + "Safety; expected one of " + Arrays.stream(FaultKind.values()).filter(k -> k != FaultKind.CONTENT_FILTER)
          .map(FaultKind::id).toList() + ".", null);
    }
    return kind;
  }

  private static JsonNode parse(Buffer body) {
    try {
      JsonNode json = JSON.readTree(body.getBytes());
      if (json != null && json.isObject()) {
        return json;
      }
    } catch (IOException e) {
      // reported below
    }
    throw new InvalidRequestException("The request body must be a JSON object.", null);
  }

  private void reject(HttpServerResponse res, int status, String code, String message) {
    rejected.increment();
    error(res, status, code, message);
  }

  private static void error(HttpServerResponse res, int status, String code, String message) {
    res.putHeader("x-ms-error-code", code);
    Replies.send(res, status, ContentSafetyAnswers.error(code, message));
  }

  ContentSafetyStats stats() {
    return new ContentSafetyStats(requests.sum(), analyzed.sum(), shielded.sum(), flagged.sum(), attacks.sum(),
        rejected.sum(), unauthorized.sum(), faulted.sum());
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
