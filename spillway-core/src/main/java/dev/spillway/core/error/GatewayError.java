package dev.spillway.core.error;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An error the gateway answers itself, in the OpenAI shape {@code
 * {"error":{"message","type","param","code"}}}. This is the one place where a failure becomes an
 * HTTP status: every client-facing error is built by a factory here.
 *
 * <p>Messages never contain secrets, stack traces or upstream internals.
 *
 * @param status HTTP status
 * @param type OpenAI error type ({@code invalid_request_error}, {@code rate_limit_error}, ...)
 * @param code machine-readable code
 * @param message human-readable explanation
 * @param param the request parameter at fault, if any
 * @param headers extra response headers (for example {@code Retry-After}, {@code Allow})
 * @param innerError Azure's {@code innererror}, for the errors Azure answers in its own shape (content filtering);
 *     the body then also repeats the status, and an empty {@code type} is written as {@code null}, as Azure does
 */
public record GatewayError(
    int status,
    String type,
    String code,
    String message,
    Optional<String> param,
    Map<String, String> headers,
    Optional<JsonNode> innerError) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public GatewayError {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    param = param == null ? Optional.empty() : param;
    headers = Map.copyOf(headers);
    innerError = innerError == null ? Optional.empty() : innerError.map(JsonNode::deepCopy);
  }

  /** An error in the OpenAI shape, without Azure's {@code innererror}. */
  public GatewayError(
      int status, String type, String code, String message, Optional<String> param, Map<String, String> headers) {
    this(status, type, code, message, param, headers, Optional.empty());
  }

  /**
   * A prompt the gateway's guard refused, in Azure OpenAI's own shape for a filtered prompt (what its SDK users already
   * handle): {@code 400}, {@code code: content_filter}, {@code type: null}, {@code param: prompt}, {@code status: 400}
   * and {@code innererror: {code: ResponsibleAIPolicyViolation, content_filter_result: {...}}} naming the category.
   *
   * @param contentFilterResult Azure's per-category results, the refusing one {@code filtered: true}
   */
  public static GatewayError contentFiltered(JsonNode contentFilterResult) {
    ObjectNode inner = JSON.createObjectNode();
    inner.put("code", "ResponsibleAIPolicyViolation");
    inner.set("content_filter_result", contentFilterResult.deepCopy());
    return new GatewayError(400, "", "content_filter",
        "The response was filtered due to the prompt triggering the gateway's content management policy. "
            + "Please modify your prompt and retry.",
        Optional.of("prompt"), Map.of(), Optional.of(inner));
  }

  /** The content safety service a guard profile needs did not answer, and the profile fails closed. */
  public static GatewayError contentSafetyUnavailable() {
    return new GatewayError(503, "api_error", "content_safety_unavailable",
        "The gateway could not check the request with its content safety service; send it again later.",
        Optional.empty(), Map.of("Retry-After", "1"));
  }

  /** An end user the gateway's abuse monitoring suspended: {@code 403} until an administrator lifts it. */
  public static GatewayError endUserSuspended() {
    return new GatewayError(403, "permission_error", "end_user_suspended",
        "Requests for this end user are suspended by the gateway's abuse monitoring; an administrator can lift it.",
        Optional.of("user"), Map.of());
  }

  private static GatewayError of(int status, String type, String code, String message) {
    return new GatewayError(status, type, code, message, Optional.empty(), Map.of());
  }

  private static GatewayError invalid(int status, String code, String message, String param) {
    return new GatewayError(
        status, "invalid_request_error", code, message, Optional.ofNullable(param), Map.of());
  }

  public static GatewayError invalidJson(String detail) {
    return invalid(400, "invalid_json", "We could not parse the JSON body of your request: " + detail, null);
  }

  public static GatewayError bodyNotObject() {
    return invalid(400, "invalid_json", "The request body must be a JSON object.", null);
  }

  public static GatewayError missingModel() {
    return invalid(400, "missing_required_parameter", "You must provide a model parameter.", "model");
  }

  public static GatewayError invalidParameter(String param, String message) {
    return invalid(400, "invalid_value", message, param);
  }

  public static GatewayError unknownModel(String model) {
    return invalid(
        404, "model_not_found", "The model `" + model + "` does not exist or you do not have access to it.", "model");
  }

  public static GatewayError unknownDeployment(String deployment) {
    return invalid(
        404,
        "DeploymentNotFound",
        "The API deployment `" + deployment + "` does not exist on this gateway.",
        null);
  }

  public static GatewayError unknownRoute(String method, String path) {
    return invalid(404, "unknown_url", "Invalid URL (" + method + " " + path + ").", null);
  }

  public static GatewayError methodNotAllowed(String method, String path, Iterable<String> allowed) {
    GatewayError e = invalid(405, "method_not_allowed", "Method " + method + " is not allowed for " + path + ".", null);
    return e.withHeader("Allow", String.join(", ", allowed));
  }

  public static GatewayError bodyTooLarge(long maxBytes) {
    return invalid(413, "request_too_large", "The request body exceeds the limit of " + maxBytes + " bytes.", null);
  }

  /** Every backend of the pool is throttled; the client may retry after {@code retryAfterMillis}. */
  public static GatewayError allBackendsThrottled(String model, long retryAfterMillis) {
    long millis = Math.max(0, retryAfterMillis);
    long seconds = retryAfterSeconds(millis);
    return new GatewayError(
        429,
        "rate_limit_error",
        "rate_limit_exceeded",
        "All backends for model `" + model + "` are at capacity. Please retry after " + seconds + " second"
            + (seconds == 1 ? "" : "s") + ".",
        Optional.empty(),
        retryHeaders(millis));
  }

  /**
   * The PTU capacity of the model is full and the caller may not be served by pay-as-you-go: 429 with the time the
   * PTU is expected to have room, and why PAYG is closed to it (never silently PAYG).
   *
   * @param why a sentence naming the rule, e.g. "team finance has used its PAYG budget for this month (500.00 USD)";
   *     must hold no secret
   */
  public static GatewayError paygNotAllowed(String model, long retryAfterMillis, String why) {
    long millis = Math.max(0, retryAfterMillis);
    long seconds = retryAfterSeconds(millis);
    return new GatewayError(
        429,
        "rate_limit_error",
        "payg_not_allowed",
        "The provisioned (PTU) capacity for model `" + model + "` is full and " + why
            + ", so the request was not sent to pay-as-you-go. Please retry after " + seconds + " second"
            + (seconds == 1 ? "" : "s") + ".",
        Optional.empty(),
        retryHeaders(millis));
  }

  /**
   * No backend of the pool may take a call (their circuit breakers are open) and none is merely
   * throttled: 503, with the time the soonest breaker lets a call through again.
   */
  public static GatewayError allBackendsUnavailable(String model, long retryAfterMillis) {
    long millis = Math.max(0, retryAfterMillis);
    long seconds = retryAfterSeconds(millis);
    return new GatewayError(
        503,
        "api_error",
        "backends_unavailable",
        "No backend for model `" + model + "` is taking calls right now (their circuit breakers are open). "
            + "Please retry after " + seconds + " second" + (seconds == 1 ? "" : "s") + ".",
        Optional.empty(),
        retryHeaders(millis));
  }

  /** Over a consumer's rate (tokens or requests per minute): 429 with the time the window resets. */
  public static GatewayError rateLimited(String limitId, String message, long retryAfterMillis) {
    return new GatewayError(429, "rate_limit_error", "rate_limit_exceeded", message, Optional.of(limitId),
        retryHeaders(Math.max(0, retryAfterMillis)));
  }

  /** Over a consumer's token quota (hour ... year): 403 until the period resets. */
  public static GatewayError quotaExceeded(String limitId, String message) {
    return new GatewayError(403, "insufficient_quota", "insufficient_quota", message, Optional.of(limitId), Map.of());
  }

  /** The consumer limit ({@code rpm}, {@code tpd}, ...) behind a {@link #rateLimited} or {@link #quotaExceeded}. */
  public Optional<String> refusingLimit() {
    return code.equals("rate_limit_exceeded") || code.equals("insufficient_quota") ? param : Optional.empty();
  }

  /**
   * A stored object (a response, a file, a batch) the caller cannot reach: unknown to the gateway, expired from its
   * registry, or another caller's — the three read alike, so that an id tells a caller nothing about others' objects.
   *
   * @param noun what the id names, e.g. {@code Response}
   */
  public static GatewayError objectNotFound(String noun, String id) {
    return invalid(404, "not_found", noun + " with id '" + id + "' not found.", null);
  }

  /** A {@code previous_response_id} the caller cannot reach (see {@link #objectNotFound}). */
  public static GatewayError previousResponseNotFound(String id) {
    return invalid(404, "previous_response_not_found", "Previous response with id '" + id + "' not found.",
        "previous_response_id");
  }

  /**
   * A {@code previous_response_id} created with a model whose backends the request's model does not use: the
   * conversation lives on a backend this request cannot be sent to.
   */
  public static GatewayError previousResponseOtherModel(String id, String createdWith, String asked) {
    return invalid(400, "invalid_value", "Previous response with id '" + id + "' was created with model `" + createdWith
        + "`, whose deployments model `" + asked + "` does not use on this gateway; continue it with model `"
        + createdWith + "`.", "previous_response_id");
  }

  /** The object registry (Redis) cannot be reached: whose object an id is cannot be checked. */
  public static GatewayError objectsUnavailable() {
    return of(503, "api_error", "objects_unavailable",
        "Stored objects cannot be looked up right now (the object registry is unreachable). Please retry shortly.");
  }

  /** The shared response cache (Redis) cannot be reached, so an invalidation could not be carried out. */
  public static GatewayError cacheUnavailable() {
    return of(503, "api_error", "cache_unavailable",
        "The response cache's store cannot be reached right now, so its answers could not be removed. Please retry"
            + " shortly.");
  }

  /** An upload route (audio, image edits) asked for with a body that is not a multipart form. */
  public static GatewayError notMultipart() {
    return invalid(400, "invalid_content_type",
        "This route takes a multipart/form-data body (a file and its fields), with a boundary in its Content-Type.", null);
  }

  /** A multipart body the gateway cannot read as a form; {@code problem} says where (no field values). */
  public static GatewayError invalidMultipart(String problem) {
    return invalid(400, "invalid_multipart", "The multipart/form-data body cannot be read: " + problem + ".", null);
  }

  /** The gateway could not store an upload (its spool directory, its disk): not the client's doing. */
  public static GatewayError uploadUnavailable() {
    return of(503, "api_error", "upload_unavailable",
        "The gateway cannot take uploads right now. Please retry shortly.");
  }

  /** A realtime route asked for without a WebSocket upgrade. */
  public static GatewayError webSocketRequired() {
    return invalid(400, "websocket_required",
        "The realtime API is a WebSocket: connect with an Upgrade: websocket request.", null);
  }

  /** The shared limit store is unreachable and the policy is to fail closed. */
  public static GatewayError limitsUnavailable() {
    return of(503, "api_error", "limits_unavailable",
        "Usage limits cannot be checked right now (the limit store is unreachable). Please retry shortly.");
  }

  public static GatewayError upstreamUnreachable(String model) {
    return of(502, "api_error", "upstream_unreachable", "No backend for model `" + model + "` could be reached.");
  }

  /**
   * The gateway could not obtain its own credential for the model's backends (a token endpoint down, a key file
   * missing): never the client's fault, never the client's key.
   */
  public static GatewayError upstreamAuthFailed(String model) {
    return of(502, "api_error", "upstream_auth_failed", "The gateway could not authenticate to the backend for model `" + model + "`.");
  }

  /**
   * The model's backends refused the gateway's credentials: the request met a 401 that survived a refresh, or every
   * backend that is out is held for such a refusal ({@code routing.authHold}). The same code as {@link
   * #upstreamAuthFailed}; the message names no backend and no key.
   */
  public static GatewayError backendsRefusedCredentials(String model) {
    return of(502, "api_error", "upstream_auth_failed", "The backends for model `" + model
        + "` refused the gateway's credentials; the gateway's operator must fix them.");
  }

  public static GatewayError upstreamTimeout(String model) {
    return of(504, "api_error", "upstream_timeout", "The backend for model `" + model + "` did not answer in time.");
  }

  public static GatewayError upstreamInvalidResponse(String model) {
    return of(502, "api_error", "upstream_invalid_response", "The backend for model `" + model + "` sent an invalid response.");
  }

  /** Sent as a final SSE event when a backend's stream breaks after bytes reached the client. */
  public static GatewayError streamInterrupted(String model) {
    return of(
        502, "api_error", "upstream_stream_interrupted", "The backend for model `" + model + "` ended the stream unexpectedly.");
  }

  /** No {@code api-key} and no bearer credential. */
  public static GatewayError missingCredentials() {
    return new GatewayError(401, "invalid_request_error", "missing_api_key",
        "You didn't provide an API key. Send it as the api-key header or as Authorization: Bearer.",
        Optional.empty(), Map.of("WWW-Authenticate", "Bearer realm=\"spillway\""));
  }

  /** A key or token that is unknown, revoked, expired or not valid: deliberately the same answer for all. */
  public static GatewayError invalidCredentials() {
    return new GatewayError(401, "invalid_request_error", "invalid_api_key",
        "The API key or token you provided is not valid.",
        Optional.empty(), Map.of("WWW-Authenticate", "Bearer realm=\"spillway\", error=\"invalid_token\""));
  }

  /** A valid token that names no configured consumer. */
  public static GatewayError unknownConsumer() {
    return of(403, "invalid_request_error", "consumer_not_allowed",
        "Your token is valid but is not allowed to use this gateway.");
  }

  /** The caller may not use this model; says nothing about whether it exists. */
  public static GatewayError modelNotAllowed(String model) {
    return invalid(403, "model_not_allowed", "You are not allowed to use the model `" + model + "`.", "model");
  }

  public static GatewayError adminForbidden() {
    return of(403, "permission_error", "admin_forbidden", "The admin API answers only on the loopback interface.");
  }

  public static GatewayError metricsForbidden() {
    return of(403, "permission_error", "metrics_forbidden", "Metrics are served to loopback callers only (admin.metricsAccess).");
  }

  public static GatewayError unknownBackend(String id) {
    return invalid(404, "backend_not_found", "There is no backend `" + id + "`.", null);
  }

  /** The client took longer than {@code server.requestTimeout} to send its request. */
  public static GatewayError requestTimeout() {
    return invalid(408, "request_timeout", "The request was not received in time.", null);
  }

  /** The request's headers exceed {@code server.maxHeaderBytes}. */
  public static GatewayError headersTooLarge() {
    return invalid(431, "request_header_fields_too_large", "The request's headers are too large.", null);
  }

  /** The request line (method, URI, version) exceeds the decoder's limit. */
  public static GatewayError uriTooLong() {
    return invalid(414, "uri_too_long", "The request URI is too long.", null);
  }

  /** The request line or framing could not be parsed. */
  public static GatewayError malformedRequest() {
    return invalid(400, "malformed_request", "The HTTP request could not be parsed.", null);
  }

  public static GatewayError unknownConsumer(String id) {
    return invalid(404, "consumer_not_found", "There is no consumer `" + id + "`.", null);
  }

  /** A consumer of the config file cannot be changed through the admin API. */
  public static GatewayError consumerInConfig(String id) {
    return invalid(409, "consumer_in_config", "The consumer `" + id + "` is defined in the config file; change it there.", null);
  }

  public static GatewayError unknownKey(String keyId) {
    return invalid(404, "key_not_found", "There is no active key `" + keyId + "`.", null);
  }

  /** Key management needs {@code auth.keyPepper}. */
  public static GatewayError keysNotConfigured() {
    return invalid(409, "keys_not_configured", "Gateway keys are not configured (auth.keyPepper is not set).", null);
  }

  /** {@code POST /admin/reload} on a gateway that was not started from a config file (one built in code). */
  public static GatewayError reloadNotConfigured() {
    return invalid(409, "reload_not_configured", "The gateway was not started from a config file; there is nothing to reload.", null);
  }

  /** The chargeback report ({@code /admin/usage}) needs {@code ledger.sqlite} or {@code ledger.postgres}. */
  public static GatewayError ledgerNotConfigured() {
    return invalid(409, "ledger_not_configured",
        "The usage ledger is not configured (set ledger.sqlite or ledger.postgres).", null);
  }

  /** The ledger's store could not be read (the details are logged, not shown). */
  public static GatewayError ledgerUnavailable() {
    return of(503, "api_error", "ledger_unavailable", "The usage ledger cannot be read right now.");
  }

  /**
   * An admin write to consumers or gateway keys while their shared store (PostgreSQL, {@code store.postgres}) cannot
   * be reached: nothing was changed, and the same write may be sent again once the store is back.
   */
  public static GatewayError storeUnavailable() {
    return new GatewayError(503, "api_error", "store_unavailable",
        "The shared store of consumers and gateway keys cannot be reached; nothing was changed. Send the request again"
            + " later.",
        Optional.empty(), Map.of("Retry-After", "5"));
  }

  public static GatewayError notReady() {
    return of(503, "api_error", "not_ready", "The gateway is not ready.");
  }

  /**
   * The gateway is stopping and its drain time is over: a request still in flight (or a stream still open) ends with
   * this, so that the client knows to send it again (to another replica).
   */
  public static GatewayError shuttingDown() {
    return of(503, "api_error", "gateway_shutting_down", "The gateway is shutting down; send the request again.");
  }

  /** A bug in the gateway; the message is generic on purpose. */
  public static GatewayError internal() {
    return of(500, "api_error", "internal_error", "The gateway failed to process the request.");
  }

  /** Whole seconds, rounded up, at least 1: what {@code Retry-After} says for {@code millis}. */
  private static long retryAfterSeconds(long millis) {
    return Math.max(1, (millis + 999) / 1000);
  }

  /** {@code Retry-After} (seconds, rounded up) and {@code retry-after-ms}, as Azure OpenAI sends them. */
  private static Map<String, String> retryHeaders(long millis) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Retry-After", Long.toString(retryAfterSeconds(millis)));
    headers.put("retry-after-ms", Long.toString(millis));
    return headers;
  }

  public GatewayError withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new GatewayError(status, type, code, message, param, h, innerError);
  }

  /** The OpenAI-shaped JSON body. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    if (type.isEmpty()) {
      error.putNull("type");
    } else {
      error.put("type", type);
    }
    if (param.isPresent()) {
      error.put("param", param.get());
    } else {
      error.putNull("param");
    }
    error.put("code", code);
    if (innerError.isPresent()) {
      // Azure's shape: the status repeated in the body, and the details under innererror.
      error.put("status", status);
      error.set("innererror", innerError.get());
    }
    return root.toString();
  }
}
