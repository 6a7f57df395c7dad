package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves one HTTP request end to end: route, method, {@code api-version}, API key, body, deployment,
 * fault, admission, then the answer (JSON after a simulated delay, or a paced SSE stream). Every
 * failure becomes an Azure-shaped HTTP answer here. Runs on a Vert.x event loop and never blocks;
 * shared state lives in {@link DeploymentRuntime}s, which are thread-safe.
 */
final class SimulatorHandler implements Handler<HttpServerRequest> {
  static final String FAULT_HEADER = "x-sim-fault";
  static final String DEPLOYMENT_NAME_HEADER = "x-ms-deployment-name";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APPLICATION_JSON = "application/json";
  private static final int SLOW_FACTOR = 10;
  private static final int MIDSTREAM_CONTENT_EVENTS = 3;
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final Vertx vertx;
  private final SimulatorConfig config;
  private final Map<String, DeploymentRuntime> deployments;
  private final Ticker ticker;
  private final Clock clock;
  private final AtomicLong responseIds = new AtomicLong();
  private final String systemFingerprint;

  SimulatorHandler(Vertx vertx, SimulatorConfig config, Map<String, DeploymentRuntime> deployments,
      Ticker ticker, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.deployments = deployments;
    this.ticker = ticker;
    this.clock = clock;
    this.systemFingerprint = String.format("fp_%010x", RequestSeed.mix(config.seed()) & 0xff_ffff_ffffL);
  }

  @Override
  public void handle(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    String requestId = Optional.ofNullable(req.getHeader("x-request-id"))
        .filter(id -> !id.isBlank())
        .orElseGet(() -> UUID.randomUUID().toString());
    res.putHeader("x-request-id", requestId);
    res.putHeader("apim-request-id", UUID.randomUUID().toString());

    Optional<SimRoute> matched = SimRoute.match(req.path());
    if (matched.isEmpty()) {
      error(res, 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
      return;
    }
    SimRoute route = matched.get();
    if (req.method() != route.allowedMethod()) {
      res.putHeader("allow", route.allowedMethod().name());
      error(res, 405, "405", "The " + req.method().name() + " method is not allowed on " + req.path() + ".");
      return;
    }
    if (route.classicAzure() && isBlank(req.getParam("api-version"))) {
      error(res, 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
      return;
    }
    if (!authorized(req)) {
      error(res, 401, "401", AzureErrors.ACCESS_DENIED);
      return;
    }
    if (route.operation().isEmpty()) {
      res.putHeader("content-type", APPLICATION_JSON).setStatusCode(200).end(modelList());
      return;
    }
    req.body().onSuccess(body -> {
      try {
        handleBody(req, route, body);
      } catch (RuntimeException bug) {
        if (!res.ended() && !res.headWritten()) {
          error(res, 500, "InternalServerError", "simulator failure: " + bug);
        }
        throw bug;
      }
    });
  }

  private void handleBody(HttpServerRequest req, SimRoute route, Buffer body) {
    HttpServerResponse res = req.response();
    byte[] bytes = body.getBytes();
    JsonNode json = parseJson(bytes);
    if (json == null || !json.isObject()) {
      badRequest(res, new InvalidRequestException("We could not parse the JSON body of your request. "
          + "The request body must be a JSON object.", null));
      return;
    }
    Optional<String> name = route.pathDeployment().or(() -> Optional.ofNullable(json.get("model"))
        .filter(JsonNode::isTextual).map(JsonNode::asText).filter(s -> !s.isBlank()));
    if (name.isEmpty()) {
      badRequest(res, new InvalidRequestException("'model' is a required property.", "model"));
      return;
    }
    DeploymentRuntime deployment = deployments.get(name.get());
    if (deployment == null) {
      error(res, 404, "DeploymentNotFound", AzureErrors.DEPLOYMENT_NOT_FOUND);
      return;
    }
    deployment.requests.increment();
    res.putHeader(DEPLOYMENT_NAME_HEADER, deployment.config().name());
    Operation op = route.operation().orElseThrow();
    if (deployment.config().kind() != op.servedBy()) {
      error(res, 400, "OperationNotSupported", AzureErrors.operationNotSupported(op, deployment.config().name()));
      return;
    }
    String apiVersion = Optional.ofNullable(req.getParam("api-version")).filter(v -> !v.isBlank()).orElse("v1");
    try {
      Optional<FaultKind> fault = fault(req, deployment);
      if (fault.isPresent() && injectImmediately(req, deployment, fault.get())) {
        return;
      }
      Optional<DeploymentRuntime> spillover =
          SpilloverAdmission.target(deployment, req.getHeader(SpilloverAdmission.REQUEST_HEADER), deployments);
      SplittableRandom random = new SplittableRandom(RequestSeed.of(config.seed(), bytes));
      Exchange exchange = new Exchange(req, deployment, op, apiVersion, fault, random, spillover);
      if (op == Operation.EMBEDDINGS) {
        embeddings(exchange, EmbeddingRequest.parse(json, deployment.config().embeddingDimensions()));
      } else {
        completion(exchange, CompletionRequest.parse(op, json));
      }
    } catch (InvalidRequestException e) {
      badRequest(res, e);
    }
  }

  /**
   * One admitted-or-not inference request and what is known about it before its body is read;
   * {@code deployment} is the one answering it (after admission, its spillover deployment when it spilled).
   */
  private record Exchange(HttpServerRequest req, DeploymentRuntime deployment, Operation op,
      String apiVersion, Optional<FaultKind> fault, SplittableRandom random, Optional<DeploymentRuntime> spillover) {
    boolean faulted(FaultKind kind) {
      return fault.isPresent() && fault.get() == kind;
    }

    Exchange answeredBy(DeploymentRuntime value) {
      return value == deployment ? this : new Exchange(req, value, op, apiVersion, fault, random, Optional.empty());
    }
  }

  private void completion(Exchange addressed, CompletionRequest request) {
    int outputTokens = request.maxTokens().orElseGet(() -> CompletionText.defaultLength(addressed.random()));
    String finishReason = request.maxTokens().isPresent() ? "length" : "stop";
    Optional<Exchange> admitted = admit(addressed, request.promptTokens(), outputTokens);
    if (admitted.isEmpty()) {
      return;
    }
    Exchange x = admitted.get();
    long start = System.nanoTime();
    List<String> pieces = CompletionText.pieces(x.random(), outputTokens);
    String idPrefix = x.op() == Operation.CHAT_COMPLETIONS ? "chatcmpl-" : "cmpl-";
    CompletionJson json = new CompletionJson(x.op(), idPrefix + nextId(29), clock.instant().getEpochSecond(),
        x.deployment().config().name(), systemFingerprint);
    long factor = latencyFactor(x);
    long ttft = config.timing().timeToFirstTokenNanos(request.promptTokens()) * factor;
    long perToken = config.timing().nanosPerOutputToken() * factor;
    boolean midstream = x.faulted(FaultKind.MIDSTREAM);
    if (midstream) {
      x.deployment().faulted.increment();
    } else {
      x.deployment().succeeded.increment();
    }
    if (request.stream() || midstream) {
      CompletionJson.StreamPlan plan = json.stream(pieces, finishReason, request.promptTokens(), request.includeUsage());
      int closeAfter = midstream ? plan.firstContentIndex() + Math.min(MIDSTREAM_CONTENT_EVENTS, plan.contentCount()) : -1;
      new SseStream(vertx, x.req(), plan, start, ttft, perToken, closeAfter).start();
    } else {
      String body = json.response(pieces, finishReason, request.promptTokens());
      replyAfter(x.req(), ttft + (outputTokens - 1) * perToken, body);
    }
  }

  private void embeddings(Exchange addressed, EmbeddingRequest request) {
    Optional<Exchange> admitted = admit(addressed, request.promptTokens(), 0);
    if (admitted.isEmpty()) {
      return;
    }
    Exchange x = admitted.get();
    if (x.faulted(FaultKind.MIDSTREAM)) {
      x.deployment().faulted.increment();
      reset(x.req());
      return;
    }
    x.deployment().succeeded.increment();
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < request.inputs().size(); i++) {
      float[] vector = EmbeddingVectors.of(config.seed(), request.inputs().get(i), request.dimensions());
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      if (request.base64()) {
        item.put("embedding", EmbeddingVectors.base64(vector));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float v : vector) {
          values.add(v);
        }
      }
    }
    root.put("model", x.deployment().config().name());
    root.putObject("usage").put("prompt_tokens", request.promptTokens()).put("total_tokens", request.promptTokens());
    replyAfter(x.req(), config.timing().timeToFirstTokenNanos(request.promptTokens()) * latencyFactor(x), root.toString());
  }

  /**
   * Books the cost on the addressed deployment or its spillover deployment (see {@link
   * SpilloverAdmission}), or answers 429; the deciding limiter's headers, and the spillover headers
   * when it spilled, go on the response either way. Returns the exchange as the deployment that
   * admitted it answers it, or empty once the 429 is sent.
   */
  private Optional<Exchange> admit(Exchange x, long promptTokens, long completionTokens) {
    HttpServerResponse res = x.req().response();
    SpilloverAdmission.Outcome outcome =
        SpilloverAdmission.admit(x.deployment(), x.spillover(), promptTokens, completionTokens, ticker.read());
    DeploymentRuntime answeredBy = outcome.answeredBy();
    if (outcome.spilled()) {
      res.putHeader(DEPLOYMENT_NAME_HEADER, answeredBy.config().name());
      res.putHeader(SpilloverAdmission.FROM_HEADER, x.deployment().config().name());
      res.putHeader(SpilloverAdmission.ERROR_HEADER, "429");
    }
    Admission admission = outcome.admission();
    admission.headers().forEach(res::putHeader);
    if (admission.admitted()) {
      return Optional.of(x.answeredBy(answeredBy));
    }
    if (config.retryAfterMs()) {
      res.putHeader("retry-after-ms", Long.toString(admission.retryAfterMillis()));
    }
    res.putHeader("retry-after", Long.toString(admission.retryAfterSeconds()));
    error(res, 429, "429", AzureErrors.rateLimited(x.op(), x.apiVersion(), answeredBy.config().name(),
        admission.exceededLimit(), admission.retryAfterSeconds()));
    return Optional.empty();
  }

  /** 0 under zero latency, 10 for a slow fault (even under zero latency), else 1. */
  private long latencyFactor(Exchange x) {
    if (x.faulted(FaultKind.SLOW)) {
      return SLOW_FACTOR;
    }
    return config.zeroLatency() ? 0 : 1;
  }

  private Optional<FaultKind> fault(HttpServerRequest req, DeploymentRuntime deployment) {
    String header = req.getHeader(FAULT_HEADER);
    if (header != null) {
      return Optional.of(FaultKind.fromId(header).orElseThrow(() -> new InvalidRequestException(
          "Unknown " + FAULT_HEADER + " '" + header + "'; expected one of "
              + java.util.Arrays.stream(FaultKind.values()).map(FaultKind::id).toList() + ".", null)));
    }
    return deployment.drawConfiguredFault();
  }

  /** Acts out faults that replace the answer entirely; false for those that shape a normal answer. */
  private boolean injectImmediately(HttpServerRequest req, DeploymentRuntime deployment, FaultKind fault) {
    HttpServerResponse res = req.response();
    switch (fault) {
      case HTTP_500 -> error(res, 500, "InternalServerError",
          "The server had an error while processing your request. Sorry about that!");
      case HTTP_503 -> error(res, 503, "ServiceUnavailable",
          "The service is temporarily unable to process your request. Please try again later.");
      case RESET -> reset(req);
      case HANG -> { /* never answer; the client times out and closes the connection */ }
      case GARBAGE -> res.setStatusCode(200).putHeader("content-type", APPLICATION_JSON)
          .end("<html><body>upstream sent something that is not JSON {\"choices\": [");
      case CONTENT_FILTER -> send(res, 400, AzureErrors.contentFilter());
      case SLOW, MIDSTREAM -> {
        return false;
      }
    }
    deployment.faulted.increment();
    return true;
  }

  private static void reset(HttpServerRequest req) {
    if (req.version() == HttpVersion.HTTP_2) {
      req.response().reset();
    } else {
      req.connection().close();
    }
  }

  /** Sends {@code body} as JSON 200 after {@code delayNanos}, unless the client leaves first. */
  private void replyAfter(HttpServerRequest req, long delayNanos, String body) {
    HttpServerResponse res = req.response();
    res.setStatusCode(200).putHeader("content-type", APPLICATION_JSON);
    if (delayNanos <= 0) {
      res.end(body);
      return;
    }
    long timer = vertx.setTimer(Math.max(1, (delayNanos + 999_999) / 1_000_000), id -> {
      if (!res.closed() && !res.ended()) {
        res.end(body);
      }
    });
    res.closeHandler(v -> vertx.cancelTimer(timer));
  }

  private boolean authorized(HttpServerRequest req) {
    if (config.apiKey().isEmpty()) {
      return true;
    }
    String key = config.apiKey().get();
    String authorization = req.getHeader("authorization");
    return key.equals(req.getHeader("api-key"))
        || (authorization != null && authorization.equals("Bearer " + key));
  }

  private String modelList() {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    long created = clock.instant().getEpochSecond();
    for (DeploymentRuntime d : deployments.values()) {
      ObjectNode model = data.addObject();
      model.put("id", d.config().name());
      model.put("object", "model");
      model.put("created", created);
      model.put("owned_by", "system");
    }
    return root.toString();
  }

  private String nextId(int length) {
    SplittableRandom random = new SplittableRandom(RequestSeed.of(config.seed(), responseIds.incrementAndGet()));
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(BASE62.charAt(random.nextInt(BASE62.length())));
    }
    return id.toString();
  }

  private static void badRequest(HttpServerResponse res, InvalidRequestException e) {
    send(res, 400, AzureErrors.invalidRequest(e.getMessage(), e.param()));
  }

  private static void error(HttpServerResponse res, int status, String code, String message) {
    send(res, status, AzureErrors.body(code, message));
  }

  private static void send(HttpServerResponse res, int status, String body) {
    res.setStatusCode(status).putHeader("content-type", APPLICATION_JSON).end(body);
  }

  /** The parsed body, or null when it is not JSON. */
  private static JsonNode parseJson(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
