package dev.spillway.gateway.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.ApiRoute;
import dev.spillway.core.config.PriorityClass;
import dev.spillway.core.routing.Pool;
import dev.spillway.gateway.auth.Principal;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the gateway knows about one client request, created once by the edge when it arrives and passed along the
 * whole path: the policies of the pipeline, the terminal stage, the retry loop, the relay and the outcome event.
 *
 * <p>Who sets what (a field is set once, by the stage named, and read by everyone after it):
 *
 * <ul>
 *   <li>the edge: request id, start time, route, the HTTP request, the client address, the body being read, the end
 *       user a configured header names (on the result);
 *   <li>{@code authenticate}: the principal (and with it the priority class);
 *   <li>{@code parse}: the parsed body and its bytes, the logical model, the stream flag, the body's end user (on the
 *       result, unless the header named one);
 *   <li>{@code authorizeModel}: the pool and the session-affinity key;
 *   <li>{@code estimateTokens}: prompt and expected output tokens; a policy that changes the body's output limit
 *       (such as {@code maxTokens}) updates the expected output and marks the body changed;
 *   <li>any policy: its own attributes under its own {@link AttributeKey};
 *   <li>the pipeline and the terminal stage: the result ({@link RequestResult}) the outcome event is built from.
 * </ul>
 *
 * <p>Not thread-safe: confined to the event loop of the client's connection.
 */
public final class RequestContext {
  private final String requestId;
  private final long startNanos;
  private final ApiRoute route;
  private final HttpServerRequest request;
  private final String clientIp;
  private final RequestBody body;
  private Upload upload;

  private Principal principal;
  private ObjectNode json;
  private Buffer rawBody;
  private boolean bodyChanged;
  private String model;
  private boolean stream;
  private Pool pool;
  private Optional<String> affinityKey = Optional.empty();
  private String paygDenied;
  private String boundBackend;
  private long promptTokens;
  private long expectedOutputTokens;
  /** Key, value, key, value, ...: a request has a handful of attributes, compared by identity (no map per request). */
  private Object[] attributes;
  private int attributeCount;
  private final RequestResult result = new RequestResult();

  /**
   * @param body the body being read, {@link RequestBody#NONE} for a route without one
   */
  public RequestContext(String requestId, long startNanos, ApiRoute route, HttpServerRequest request, RequestBody body) {
    this.requestId = Objects.requireNonNull(requestId, "requestId");
    this.startNanos = startNanos;
    this.route = route;
    this.request = request;
    this.clientIp = request == null || request.remoteAddress() == null ? "" : request.remoteAddress().hostAddress();
    this.body = body;
  }

  /** A request whose route did not match: refused at the edge, before any stage. */
  public static RequestContext unrouted(String requestId, long startNanos, HttpServerRequest request) {
    return new RequestContext(requestId, startNanos, null, request, RequestBody.NONE);
  }

  public String requestId() {
    return requestId;
  }

  /** The gateway ticker's reading when the request arrived. */
  public long startNanos() {
    return startNanos;
  }

  /** The matched route; null only for a request refused at the edge ({@link #unrouted}). */
  public ApiRoute route() {
    return route;
  }

  /** The client's request: for the edge and the terminal stage; policies read {@link #headers()}. */
  public HttpServerRequest httpRequest() {
    return request;
  }

  public MultiMap headers() {
    return request.headers();
  }

  public String clientIp() {
    return clientIp;
  }

  /** The body as it arrives (read once, within the size and time limits). */
  public RequestBody body() {
    return body;
  }

  /** A multipart body being spooled to disk, for the routes that take uploads; empty otherwise. */
  public Optional<Upload> upload() {
    return Optional.ofNullable(upload);
  }

  /** Set by the edge, before the pipeline runs. */
  public void upload(Upload value) {
    this.upload = value;
  }

  /** Who is calling; {@link Principal#ANONYMOUS} until {@code authenticate} ran. */
  public Principal principal() {
    return principal == null ? Principal.ANONYMOUS : principal;
  }

  /** True once {@code authenticate} named the caller. */
  public boolean authenticated() {
    return principal != null;
  }

  public void principal(Principal value) {
    this.principal = Objects.requireNonNull(value);
  }

  /** The caller's class for PTU admission: its consumer's, {@link PriorityClass#STANDARD} for an anonymous caller. */
  public PriorityClass priorityClass() {
    return principal().consumer().map(dev.spillway.core.config.ConsumerConfig::priorityClass).orElse(PriorityClass.STANDARD);
  }

  /** The parsed JSON body; null before {@code parse} and for routes without a body. */
  public ObjectNode json() {
    return json;
  }

  /** The body bytes exactly as received; forwarded unchanged unless a policy {@link #bodyChanged() changed} the body. */
  public Buffer rawBody() {
    return rawBody;
  }

  public void parsedBody(ObjectNode parsed, Buffer raw) {
    this.json = parsed;
    this.rawBody = raw;
  }

  /** True when a policy changed {@link #json()}: the upstream body is then serialized from it. */
  public boolean bodyChanged() {
    return bodyChanged;
  }

  public void markBodyChanged() {
    this.bodyChanged = true;
  }

  /** The logical model; empty before {@code parse} (and for routes that name none). */
  public Optional<String> model() {
    return Optional.ofNullable(model);
  }

  public void model(String value) {
    this.model = value;
  }

  /** True when the client asked for a server-sent event stream (and the operation may stream). */
  public boolean stream() {
    return stream;
  }

  public void stream(boolean value) {
    this.stream = value;
  }

  /** The model's pool; null before {@code authorizeModel}. */
  public Pool pool() {
    return pool;
  }

  public void pool(Pool value) {
    this.pool = value;
  }

  public Optional<String> affinityKey() {
    return affinityKey;
  }

  /**
   * Why pay-as-you-go is closed to this request (a spill-rights rule), when it is; then the request is served by PTU
   * or answered 429, never sent to PAYG.
   */
  public Optional<String> paygDenied() {
    return Optional.ofNullable(paygDenied);
  }

  /**
   * The backend this request must go to, and no other: the one holding the object it names (a stored response it
   * continues or reads). Empty for a request the pool may route freely.
   */
  public Optional<String> boundBackend() {
    return Optional.ofNullable(boundBackend);
  }

  public void boundBackend(String backendId) {
    this.boundBackend = backendId;
  }

  /** Closes PAYG to this request; {@code why} is the reason its 429 gives (no secrets). */
  public void denyPayg(String why) {
    this.paygDenied = Objects.requireNonNull(why, "why");
  }

  public void affinityKey(Optional<String> value) {
    this.affinityKey = Objects.requireNonNull(value);
  }

  /** The prompt's tokens as the gateway counts them. */
  public long promptTokens() {
    return promptTokens;
  }

  /** Output the request may produce: its {@code max_(completion_)tokens} × n, else the configured default. */
  public long expectedOutputTokens() {
    return expectedOutputTokens;
  }

  public void tokenEstimate(long prompt, long expectedOutput) {
    this.promptTokens = prompt;
    this.expectedOutputTokens = expectedOutput;
  }

  /** What limits reserve and routing plans with: prompt plus expected output. */
  public long estimatedCostTokens() {
    return promptTokens + expectedOutputTokens;
  }

  /** A policy's own value, if it set one. */
  public <T> Optional<T> attribute(AttributeKey<T> key) {
    for (int i = 0; i < attributeCount; i++) {
      if (attributes[2 * i] == key) {
        return Optional.of(key.type().cast(attributes[2 * i + 1]));
      }
    }
    return Optional.empty();
  }

  public <T> void attribute(AttributeKey<T> key, T value) {
    Object checked = key.type().cast(Objects.requireNonNull(value));
    for (int i = 0; i < attributeCount; i++) {
      if (attributes[2 * i] == key) {
        attributes[2 * i + 1] = checked;
        return;
      }
    }
    if (attributes == null) {
      attributes = new Object[8];
    } else if (attributes.length == 2 * attributeCount) {
      attributes = java.util.Arrays.copyOf(attributes, attributes.length * 2);
    }
    attributes[2 * attributeCount] = key;
    attributes[2 * attributeCount + 1] = checked;
    attributeCount++;
  }

  /** How the request ended, as far as it got: filled in by the pipeline and the terminal stage. */
  public RequestResult result() {
    return result;
  }
}
