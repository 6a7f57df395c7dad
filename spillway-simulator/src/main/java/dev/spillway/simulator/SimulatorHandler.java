package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.time.Ticker;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Serves one HTTP request end to end: route, method, {@code api-version}, API key, body, deployment,
 * fault, admission, then the answer (chat and text completions by {@link CompletionsApi}). Every
 * failure becomes an Azure-shaped HTTP answer here. The Responses API's create call goes through the
 * same pipeline up to admission, which {@link ResponsesApi} then applies and answers; its calls on
 * stored responses go there straight after the key check. Images, audio and moderations go through it
 * too and are answered by {@link MediaApi}; a multipart upload is read by {@link MultipartForms}. The Realtime
 * API's WebSocket URLs go to {@link RealtimeApi} first, the files APIs to {@link FilesApi}, Content Safety's
 * URLs to {@link ContentSafetyApi} and the data-plane deployment list to {@link DeploymentListApi}. Runs on a Vert.x event loop and never blocks; shared
 * state lives in {@link DeploymentRuntime}s, which are thread-safe.
 */
final class SimulatorHandler implements Handler<HttpServerRequest> {
  static final String FAULT_HEADER = "x-sim-fault";
  static final String DEPLOYMENT_NAME_HEADER = "x-ms-deployment-name";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final SimulatorConfig config;
  private final Map<String, DeploymentRuntime> deployments;
  private final ExchangeAdmission admission;
  private final ResponsesApi responses;
  private final RealtimeApi realtime;
  private final MediaApi media;
  private final FilesApi files;
  private final ContentSafetyApi contentSafety;
  private final Clock clock;
  private final CompletionsApi completions;
  private final DeploymentListApi deploymentList;

  SimulatorHandler(Vertx vertx, SimulatorConfig config, Map<String, DeploymentRuntime> deployments,
      Ticker ticker, Clock clock, StoredResponses storedResponses) {
    this.vertx = vertx;
    this.config = config;
    this.deployments = deployments;
    this.admission = new ExchangeAdmission(ticker, config.retryAfterMs());
    PromptFilter promptFilter = new PromptFilter(config.contentFilter(), admission);
    this.responses = new ResponsesApi(vertx, config, clock, admission, storedResponses, promptFilter);
    this.realtime = new RealtimeApi(vertx, config, deployments, ticker, clock);
    this.media = new MediaApi(vertx, config, clock, admission);
    this.clock = clock;
    String systemFingerprint = String.format("fp_%010x", RequestSeed.mix(config.seed()) & 0xff_ffff_ffffL);
    this.completions = new CompletionsApi(vertx, config, clock, admission, systemFingerprint, promptFilter);
    this.files = new FilesApi(deployments, clock, config.seed(), systemFingerprint);
    this.contentSafety = new ContentSafetyApi(vertx, config);
    this.deploymentList = new DeploymentListApi(deployments, clock);
  }

  /** The Content Safety look-alike, which serves the {@code /contentsafety/} URLs. */
  ContentSafetyApi contentSafety() {
    return contentSafety;
  }

  /** The Realtime API's WebSocket side, which serves the {@code realtime} URLs. */
  RealtimeApi realtime() {
    return realtime;
  }

  @Override
  public void handle(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    String requestId = Optional.ofNullable(req.getHeader("x-request-id"))
        .filter(id -> !id.isBlank())
        .orElseGet(() -> UUID.randomUUID().toString());
    res.putHeader("x-request-id", requestId);
    res.putHeader("apim-request-id", UUID.randomUUID().toString());
    if (realtime.handle(req) || files.handle(req, this::authorized) || contentSafety.handle(req)
        || deploymentList.handle(req, this::authorized)) {
      return;
    }

    Optional<SimRoute> matched = SimRoute.match(req.path());
    if (matched.isEmpty()) {
      Replies.error(res, 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
      return;
    }
    SimRoute route = matched.get();
    if (!route.allowedMethods().contains(req.method())) {
      res.putHeader("allow", String.join(", ", route.allowedMethods().stream().map(HttpMethod::name).toList()));
      Replies.error(res, 405, "405", "The " + req.method().name() + " method is not allowed on " + req.path() + ".");
      return;
    }
    if (route.classicAzure() && isBlank(req.getParam("api-version"))) {
      Replies.error(res, 404, "404", AzureErrors.RESOURCE_NOT_FOUND);
      return;
    }
    if (!authorized(req)) {
      Replies.error(res, 401, "401", AzureErrors.ACCESS_DENIED);
      return;
    }
    if (route.responseCall().isPresent()) {
      responses.call(req, route.responseCall().get());
      return;
    }
    if (route.operation().isEmpty()) {
      res.putHeader("content-type", Replies.APPLICATION_JSON).setStatusCode(200).end(modelList());
      return;
    }
    // A multipart form arrives as the JSON of its fields, its files streamed through and summarized (MultipartForms).
    (route.operation().get().multipart() ? MultipartForms.read(req) : req.body()).onSuccess(body -> {
      try {
        handleBody(req, route, body);
      } catch (RuntimeException bug) {
        if (!res.ended() && !res.headWritten()) {
          Replies.error(res, 500, "InternalServerError", "simulator failure: " + bug);
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
      Replies.badRequest(res, new InvalidRequestException("We could not parse the JSON body of your request. "
          + "The request body must be a JSON object.", null));
      return;
    }
    Optional<String> name = route.pathDeployment().or(() -> Optional.ofNullable(json.get("model"))
        .filter(JsonNode::isTextual).map(JsonNode::asText).filter(s -> !s.isBlank()))
        .or(() -> route.operation().flatMap(Operation::defaultModel));
    if (name.isEmpty()) {
      Replies.badRequest(res, new InvalidRequestException("'model' is a required property.", "model"));
      return;
    }
    DeploymentRuntime deployment = deployments.get(name.get());
    if (deployment == null) {
      Replies.error(res, 404, "DeploymentNotFound", AzureErrors.DEPLOYMENT_NOT_FOUND);
      return;
    }
    deployment.requests.increment();
    res.putHeader(DEPLOYMENT_NAME_HEADER, deployment.config().name());
    Operation op = route.operation().orElseThrow();
    if (deployment.config().kind() != op.servedBy()) {
      Replies.error(res, 400, "OperationNotSupported", AzureErrors.operationNotSupported(op, deployment.config().name()));
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
      } else if (op == Operation.RESPONSES) {
        responses.create(exchange, ResponseRequest.parse(json));
      } else if (MediaApi.serves(op)) {
        media.answer(exchange, json);
      } else {
        completions.answer(exchange, CompletionRequest.parse(op, json), json);
      }
    } catch (InvalidRequestException e) {
      Replies.badRequest(res, e);
    }
  }

  private void embeddings(Exchange addressed, EmbeddingRequest request) {
    Optional<Exchange> admitted = admission.admit(addressed, request.promptTokens(), 0);
    if (admitted.isEmpty()) {
      return;
    }
    Exchange x = admitted.get();
    if (x.faulted(FaultKind.MIDSTREAM)) {
      x.deployment().faulted.increment();
      Replies.reset(x.req());
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
    Replies.replyAfter(vertx, x.req(), config.timing().timeToFirstTokenNanos(request.promptTokens()) * x.latencyFactor(config.zeroLatency()), root.toString());
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
      case HTTP_500 -> Replies.error(res, 500, "InternalServerError",
          "The server had an error while processing your request. Sorry about that!");
      case HTTP_503 -> Replies.error(res, 503, "ServiceUnavailable",
          "The service is temporarily unable to process your request. Please try again later.");
      case RESET -> Replies.reset(req);
      case HANG -> { /* never answer; the client times out and closes the connection */ }
      case GARBAGE -> res.setStatusCode(200).putHeader("content-type", Replies.APPLICATION_JSON)
          .end("<html><body>upstream sent something that is not JSON {\"choices\": [");
      case CONTENT_FILTER ->
          Replies.send(res, 400, new ContentFilterJson(ContentFilterJson.FAULT).promptBlockedError());
      case SLOW, MIDSTREAM -> {
        return false;
      }
    }
    deployment.faulted.increment();
    return true;
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
