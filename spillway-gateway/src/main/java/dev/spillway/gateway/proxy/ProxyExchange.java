package dev.spillway.gateway.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendTimeouts;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.routing.AttemptCycle;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.RetryAfterParser;
import dev.spillway.core.routing.RouteDecision;
import dev.spillway.core.sse.SseUsageScanner;
import dev.spillway.core.sse.UsageChunkFilter;
import dev.spillway.core.upstream.HeaderRules;
import dev.spillway.core.upstream.UpstreamTarget;
import dev.spillway.gateway.credentials.BackendCredential;
import dev.spillway.gateway.credentials.CredentialHeader;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.Json;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.gateway.events.AttemptResult;
import dev.spillway.gateway.events.RequestOutcome;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One client request on its way through the pool: choose a backend, forward, and on a 429, a 5xx,
 * a broken connection or a timeout try the next backend at once with the same buffered body. Once
 * the first byte of a response has gone to the client the choice is final; a stream that breaks
 * after that ends with an SSE error event.
 *
 * <p>Not thread-safe: every callback runs on the event loop of the client's connection.
 */
final class ProxyExchange {
  private static final String EVENT_STREAM = "text/event-stream";

  private final ProxyContext ctx;
  private final ProxiedRequest req;
  private final HttpServerRequest clientRequest;
  private final HttpServerResponse clientResponse;
  private final AttemptCycle cycle;

  private Attempt current;
  private AttemptOutcome pendingOutcome;
  private AttemptResult lastFailure;
  private UpstreamReply lastServerError;
  private Buffer rewrittenBody;
  private String rewrittenFor;
  private boolean finished;
  private long waitTimer = -1;
  /** Time spent in backend attempts and PTU waits so far (the rest of the request is the gateway's own). */
  private long upstreamNanos;

  ProxyExchange(ProxyContext ctx, ProxiedRequest req, HttpServerRequest clientRequest) {
    this.ctx = ctx;
    this.req = req;
    this.clientRequest = clientRequest;
    this.clientResponse = clientRequest.response();
    long deadline = req.startNanos() + ctx.router().config().requestDeadline().toNanos();
    this.cycle = req.pool().newCycle(deadline, req.estimatedCostTokens(), req.affinityKey());
  }

  void start() {
    clientResponse.closeHandler(v -> onClientGone());
    next();
  }

  private void next() {
    if (finished) {
      return;
    }
    long now = ctx.ticker().read();
    RouteDecision decision = ctx.router().choose(req.pool(), cycle, now, ctx.random().get());
    emitPendingAttempt(!(decision instanceof RouteDecision.Exhausted));
    switch (decision) {
      case RouteDecision.Use use -> {
        current = new Attempt(use.backend());
        current.begin();
      }
      case RouteDecision.Wait wait -> waitForPtu(wait.nanos(), now);
      case RouteDecision.Exhausted exhausted -> exhausted(exhausted);
    }
  }

  /** Every PTU is throttled but one frees soon: wait on a timer (no thread held), then choose again. */
  private void waitForPtu(long nanos, long startedNanos) {
    long millis = Math.max(1, (nanos + 999_999) / 1_000_000);
    waitTimer =
        ctx.vertx()
            .setTimer(
                millis,
                id -> {
                  waitTimer = -1;
                  long now = ctx.ticker().read();
                  upstreamNanos += now - startedNanos;
                  ctx.router().afterWait(req.pool(), cycle, now - startedNanos, now);
                  next();
                });
  }

  private void exhausted(RouteDecision.Exhausted exhausted) {
    OptionalLong soonest = exhausted.nanosUntilSoonestFree();
    if (exhausted.nanosUntilThrottleEnds().isPresent()) {
      fail(GatewayError.allBackendsThrottled(req.model(), toMillis(soonest.getAsLong())));
    } else if (lastServerError != null) {
      passThrough(lastServerError);
    } else if (exhausted.deadlinePassed() || lastFailure == AttemptResult.TIMEOUT) {
      fail(GatewayError.upstreamTimeout(req.model()));
    } else if (lastFailure == AttemptResult.INVALID_RESPONSE) {
      fail(GatewayError.upstreamInvalidResponse(req.model()));
    } else if (lastFailure == AttemptResult.UPSTREAM_AUTH_FAILED || lastFailure == AttemptResult.CREDENTIAL_ERROR) {
      fail(GatewayError.upstreamAuthFailed(req.model()));
    } else if (lastFailure == null && soonest.isPresent()) {
      fail(GatewayError.allBackendsUnavailable(req.model(), toMillis(soonest.getAsLong())));
    } else {
      fail(GatewayError.upstreamUnreachable(req.model()));
    }
  }

  private static long toMillis(long nanos) {
    return (nanos + 999_999) / 1_000_000;
  }

  private void fail(GatewayError error) {
    ErrorResponder.send(clientResponse, error, req.requestId());
    complete(error.status(), Optional.empty(), Optional.empty(), OptionalLong.empty());
  }

  private void passThrough(UpstreamReply reply) {
    if (!clientResponse.closed() && !clientResponse.ended()) {
      copyResponseHead(reply.status(), reply.headers(), reply.backendId());
      clientResponse.end(reply.body());
    }
    BackendConfig backend = req.pool().backend(reply.backendId()).map(BackendState::config).orElse(null);
    complete(reply.status(), Optional.ofNullable(backend), Optional.empty(), OptionalLong.empty());
  }

  private void onClientGone() {
    if (finished) {
      return;
    }
    if (waitTimer >= 0) {
      ctx.vertx().cancelTimer(waitTimer);
      waitTimer = -1;
      ctx.router().abandonWait(req.pool());
    } else if (current != null) {
      current.abandon();
    }
    complete(499, Optional.empty(), Optional.empty(), OptionalLong.empty());
  }

  private void complete(
      int status, Optional<BackendConfig> backend, Optional<TokenUsage> usage, OptionalLong ttftNanos) {
    complete(status, backend, usage, ttftNanos, false);
  }

  private void complete(
      int status, Optional<BackendConfig> backend, Optional<TokenUsage> usage, OptionalLong ttftNanos, boolean estimated) {
    if (finished) {
      return;
    }
    finished = true;
    emitPendingAttempt(false);
    // Replace the reservation by what was really used; a failed request used nothing.
    ctx.limits().settle(req.requestId(), req.limits(), usage.map(TokenUsage::totalTokens).orElse(0L));
    ctx.listener()
        .onRequest(
            new RequestOutcome(
                req.requestId(),
                req.route().operation(),
                Optional.of(req.model()),
                backend,
                status,
                req.stream(),
                usage,
                ctx.ticker().read() - req.startNanos(),
                ttftNanos,
                cycle.attempts(),
                estimated,
                new RequestOutcome.Caller(
                    req.principal().consumerId(),
                    req.principal().team(),
                    clientRequest.remoteAddress() == null ? "" : clientRequest.remoteAddress().hostAddress()),
                Optional.empty(),
                upstreamNanos,
                req.startNanos()));
  }

  private void emitPendingAttempt(boolean retried) {
    AttemptOutcome pending = pendingOutcome;
    if (pending == null) {
      return;
    }
    pendingOutcome = null;
    ctx.listener()
        .onAttempt(
            new AttemptOutcome(
                pending.model(), pending.backend(), pending.result(), pending.status(), retried, pending.durationNanos(),
                req.requestId(), pending.startNanos()));
  }

  private void copyResponseHead(int status, MultiMap upstreamHeaders, String backendId) {
    clientResponse.setStatusCode(status);
    for (Map.Entry<String, String> h : upstreamHeaders) {
      if (HeaderRules.returnResponseHeader(h.getKey())) {
        clientResponse.headers().add(h.getKey(), h.getValue());
      }
    }
    LimitAdmission.headers(clientResponse.headers(), req.limits());
    clientResponse.putHeader(ProxyHeaders.REQUEST_ID, req.requestId());
    clientResponse.putHeader(ProxyHeaders.BACKEND, backendId);
    clientResponse.putHeader(ProxyHeaders.ATTEMPTS, Integer.toString(cycle.attempts()));
  }

  /**
   * The body for {@code backend}: the client's bytes unchanged, unless the backend needs its own
   * model name in the body, or the gateway adds {@code stream_options.include_usage} to count a
   * stream's tokens exactly (see {@link UsageInjection}). Built once per backend and kept for retries.
   */
  private Buffer bodyFor(BackendConfig backend) {
    boolean rewriteModel = UpstreamTarget.rewritesBodyModel(backend) && !backend.deployment().equals(req.model());
    boolean addUsage = UsageInjection.applies(req, backend);
    if (!rewriteModel && !addUsage) {
      return req.rawBody();
    }
    String variant = (rewriteModel ? backend.deployment() : "") + "|" + addUsage;
    if (!variant.equals(rewrittenFor)) {
      ObjectNode copy = req.body().deepCopy();
      if (rewriteModel) {
        copy.put("model", backend.deployment());
      }
      if (addUsage) {
        UsageInjection.addTo(copy);
      }
      try {
        rewrittenBody = Buffer.buffer(Json.MAPPER.writeValueAsBytes(copy));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a parsed body must serialize", e);
      }
      rewrittenFor = variant;
    }
    return rewrittenBody;
  }

  private static boolean isEventStream(HttpClientResponse resp) {
    String type = resp.getHeader("content-type");
    return type != null && type.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
  }

  private static AttemptResult classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
      if (name.contains("timeout")) {
        return AttemptResult.TIMEOUT;
      }
    }
    return AttemptResult.CONNECT_ERROR;
  }

  /** One call to one backend, with its timers. */
  private final class Attempt {
    private final BackendState backend;
    private final BackendConfig config;
    private final long startNanos;
    private HttpClientRequest upstream;
    private long totalTimer = -1;
    private long waitTimer = -1;
    private boolean idleTimerSet;
    private long lastActivityNanos;
    private boolean timedOut;
    private boolean done;
    private OptionalLong retryAfterMillis = OptionalLong.empty();
    private CredentialHeader sentCredential;
    private boolean credentialRefreshed;

    Attempt(BackendState backend) {
      this.backend = backend;
      this.config = backend.config();
      this.startNanos = ctx.ticker().read();
    }

    void begin() {
      cycle.record(backend);
      backend.callStarted();
      backend.recordSent(cycle.estimatedCostTokens(), ctx.ticker().read());
      totalTimer = ctx.vertx().setTimer(config.timeouts().total().toMillis(), id -> timeOut());
      issue();
    }

    /** Sends the request to this backend: first with its credential, again after a 401 refreshed it. */
    private void issue() {
      BackendCredential credential = ctx.credentials().apply(config);
      credential
          .header()
          .onComplete(
              cred -> {
                if (done) {
                  return;
                }
                if (cred.failed()) {
                  // The gateway could not get its own credential for this backend (token endpoint
                  // down, secret file missing): not the backend's fault, try the next one.
                  failed(AttemptResult.CREDENTIAL_ERROR, 0);
                  return;
                }
                sentCredential = cred.result().orElse(null);
                connect();
              });
    }

    private void connect() {
      BackendTimeouts timeouts = config.timeouts();
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.POST)
              .setAbsoluteURI(UpstreamTarget.uri(config, req.route().operation()))
              .setConnectTimeout(timeouts.connect().toMillis());
      io.vertx.core.Future<HttpClientRequest> requested;
      try {
        requested = ctx.clientFor(config).request(options);
      } catch (RuntimeException closed) {
        // The client is closed: the gateway is shutting down.
        failed(AttemptResult.CONNECT_ERROR, 0);
        return;
      }
      requested.onComplete(
          ar -> {
            if (done) {
              if (ar.succeeded()) {
                ar.result().reset();
              }
            } else if (ar.failed()) {
              failed(timedOut ? AttemptResult.TIMEOUT : classify(ar.cause()), 0);
            } else {
              send(ar.result(), timeouts);
            }
          });
    }

    private void send(HttpClientRequest request, BackendTimeouts timeouts) {
      upstream = request;
      copyRequestHeaders(request);
      long untilDeadline = toMillis(Math.max(0, cycle.deadlineNanos() - ctx.ticker().read()));
      long firstByteMillis = Math.max(1, Math.min(timeouts.firstByte().toMillis(), untilDeadline));
      waitTimer = ctx.vertx().setTimer(firstByteMillis, id -> timeOut());
      request
          .send(bodyFor(config))
          .onComplete(
              ar -> {
                cancelWaitTimer();
                if (done) {
                  return;
                }
                if (ar.failed()) {
                  failed(timedOut ? AttemptResult.TIMEOUT : classify(ar.cause()), 0);
                } else {
                  onResponse(ar.result());
                }
              });
    }

    private void copyRequestHeaders(HttpClientRequest request) {
      for (Map.Entry<String, String> h : clientRequest.headers()) {
        if (HeaderRules.forwardRequestHeader(h.getKey())) {
          request.headers().add(h.getKey(), h.getValue());
        }
      }
      if (!request.headers().contains("content-type")) {
        request.putHeader("content-type", "application/json");
      }
      if (sentCredential != null) {
        request.putHeader(sentCredential.name(), sentCredential.value());
      }
    }

    private void onResponse(HttpClientResponse resp) {
      int status = resp.statusCode();
      BackendFeedback.reportedLoad(backend, resp.headers(), ctx.ticker().read());
      if (status == 429 || status >= 500) {
        retryAfterMillis = RetryAfterParser.delayMillis(resp.headers()::get, System.currentTimeMillis());
      }
      if (status == 401) {
        discard(resp);
        if (!credentialRefreshed && sentCredential != null) {
          // The backend no longer takes our credential (a rotated key, an expired token): fetch a
          // fresh one once and send again to the same backend.
          credentialRefreshed = true;
          ctx.credentials().apply(config).invalidate(sentCredential);
          upstream = null;
          issue();
        } else {
          failed(AttemptResult.UPSTREAM_AUTH_FAILED, status);
        }
        return;
      }
      if (status == 429) {
        ctx.router().onThrottled(backend, retryAfterMillis, ctx.ticker().read());
        discard(resp);
        ended(AttemptResult.THROTTLED, status);
        next();
      } else if (status >= 500) {
        resp.body()
            .onComplete(
                ar -> {
                  if (done) {
                    return;
                  }
                  Buffer body = ar.succeeded() ? ar.result() : Buffer.buffer();
                  lastServerError = new UpstreamReply(status, resp.headers(), body, config.id());
                  ended(AttemptResult.SERVER_ERROR, status);
                  next();
                });
      } else if (status >= 200 && status < 300 && isEventStream(resp)) {
        stream(resp);
      } else {
        buffered(resp);
      }
    }

    private void buffered(HttpClientResponse resp) {
      int status = resp.statusCode();
      resp.body()
          .onComplete(
              ar -> {
                if (done) {
                  return;
                }
                if (ar.failed()) {
                  failed(timedOut ? AttemptResult.TIMEOUT : classify(ar.cause()), status);
                  return;
                }
                Buffer body = ar.result();
                ResponseBodies.Scan scan = ResponseBodies.scan(body.getBytes());
                boolean success = status >= 200 && status < 300;
                if (success && !scan.validJson()) {
                  failed(AttemptResult.INVALID_RESPONSE, status);
                  return;
                }
                copyResponseHead(status, resp.headers(), config.id());
                scan.usage().ifPresent(u -> clientResponse.putHeader(ProxyHeaders.TOKENS_CONSUMED, Long.toString(u.totalTokens())));
                clientResponse.end(body);
                ended(success ? AttemptResult.OK : AttemptResult.CLIENT_ERROR, status);
                if (success) {
                  succeeded(-1, scan.usage());
                }
                complete(status, Optional.of(config), scan.usage(), OptionalLong.empty());
              });
    }

    private void stream(HttpClientResponse resp) {
      SseUsageScanner scanner = new SseUsageScanner(ctx.ticker(), req.startNanos());
      UsageChunkFilter filter = UsageInjection.applies(req, config) ? new UsageChunkFilter() : null;
      long idleMillis = config.timeouts().idle().toMillis();
      armIdle(idleMillis);
      resp.handler(
          chunk -> {
            if (done) {
              return;
            }
            armIdle(idleMillis);
            if (!clientResponse.headWritten()) {
              copyResponseHead(resp.statusCode(), resp.headers(), config.id());
              clientResponse.setChunked(true);
            }
            byte[] bytes = chunk.getBytes();
            scanner.feed(bytes, 0, bytes.length);
            if (filter == null) {
              clientResponse.write(chunk);
            } else {
              byte[] out = filter.feed(bytes, 0, bytes.length);
              if (out.length > 0) {
                clientResponse.write(Buffer.buffer(out));
              }
            }
            if (clientResponse.writeQueueFull()) {
              resp.pause();
              clientResponse.drainHandler(v -> resp.resume());
            }
          });
      resp.exceptionHandler(
          err -> {
            if (done) {
              return;
            }
            if (!clientResponse.headWritten()) {
              failed(timedOut ? AttemptResult.TIMEOUT : classify(err), resp.statusCode());
            } else {
              interrupted(scanner);
            }
          });
      resp.endHandler(
          v -> {
            if (done) {
              return;
            }
            if (!clientResponse.headWritten()) {
              copyResponseHead(resp.statusCode(), resp.headers(), config.id());
            }
            byte[] tail = filter == null ? new byte[0] : filter.finish();
            if (tail.length > 0) {
              clientResponse.end(Buffer.buffer(tail));
            } else {
              clientResponse.end();
            }
            ended(AttemptResult.OK, resp.statusCode());
            OptionalLong ttft = scanner.timeToFirstTokenNanos();
            succeeded(ttft.isPresent() ? req.startNanos() + ttft.getAsLong() - startNanos : -1, scanner.usage());
            completeStream(resp.statusCode(), scanner);
          });
    }

    private void interrupted(SseUsageScanner scanner) {
      ended(AttemptResult.STREAM_INTERRUPTED, 200);
      String event =
          "data: "
              + GatewayError.streamInterrupted(req.model()).toJson()
              + "\n\n";
      if (!clientResponse.closed() && !clientResponse.ended()) {
        clientResponse.end(event);
      }
      completeStream(200, scanner);
    }

    /** A stream's usage: as reported, or estimated from the prompt and the streamed events. */
    private void completeStream(int status, SseUsageScanner scanner) {
      if (scanner.usage().isPresent()) {
        complete(status, Optional.of(config), scanner.usage(), scanner.timeToFirstTokenNanos());
      } else {
        TokenUsage estimate = TokenUsage.of(req.estimatedPromptTokens(), scanner.contentEvents());
        complete(status, Optional.of(config), Optional.of(estimate), scanner.timeToFirstTokenNanos(), true);
      }
    }

    /**
     * Notes activity on the stream. The idle timer is not moved on every chunk (a cancel and a new timer per chunk,
     * tens of thousands a second with many streams): it fires after {@code idleMillis} and, if a chunk came since,
     * sets itself again for the rest of the quiet period. Real time, like the timer itself.
     */
    private void armIdle(long idleMillis) {
      lastActivityNanos = System.nanoTime();
      if (!idleTimerSet) {
        cancelWaitTimer();
        idleTimerSet = true;
        idleCheckIn(idleMillis, idleMillis);
      }
    }

    private void idleCheckIn(long idleMillis, long delayMillis) {
      waitTimer =
          ctx.vertx()
              .setTimer(
                  Math.max(1, delayMillis),
                  id -> {
                    waitTimer = -1;
                    long quietMillis = (System.nanoTime() - lastActivityNanos) / 1_000_000;
                    if (quietMillis >= idleMillis) {
                      idleTimerSet = false;
                      timeOut();
                    } else {
                      idleCheckIn(idleMillis, idleMillis - quietMillis);
                    }
                  });
    }

    private void cancelWaitTimer() {
      idleTimerSet = false;
      if (waitTimer >= 0) {
        ctx.vertx().cancelTimer(waitTimer);
        waitTimer = -1;
      }
    }

    private void timeOut() {
      if (done) {
        return;
      }
      timedOut = true;
      if (upstream != null) {
        upstream.reset();
      }
      // Without a request object the connection is still being made: the connect timeout ends it.
    }

    private void discard(HttpClientResponse resp) {
      resp.handler(b -> {});
      resp.exceptionHandler(e -> {});
      resp.endHandler(v -> {});
    }

    /** Failure before anything reached the client: record it and try the next backend. */
    private void failed(AttemptResult result, int status) {
      if (done) {
        return;
      }
      lastFailure = result;
      if (upstream != null) {
        upstream.reset();
      }
      ended(result, status);
      next();
    }

    private void ended(AttemptResult result, int status) {
      if (done) {
        return;
      }
      done = true;
      backend.callEnded();
      BackendFeedback.outcome(
          backend, ctx.router().config(), result, status, retryAfterMillis, ctx.ticker().read());
      cancelWaitTimer();
      if (totalTimer >= 0) {
        ctx.vertx().cancelTimer(totalTimer);
      }
      long attemptNanos = ctx.ticker().read() - startNanos;
      upstreamNanos += attemptNanos;
      pendingOutcome =
          new AttemptOutcome(req.model(), config, result, status, false, attemptNanos, req.requestId(), startNanos);
    }

    /** A 2xx reached the client: learn the backend's latency and pin the session to it. */
    private void succeeded(long ttftNanos, Optional<TokenUsage> usage) {
      long outputTokens = usage.map(TokenUsage::completionTokens).orElse(0L);
      backend.latency().record(ttftNanos, ctx.ticker().read() - startNanos, outputTokens);
      cycle.affinityKey().ifPresent(key -> req.pool().pin(key, backend));
    }

    /** The client went away: stop the upstream call and free the backend slot. */
    void abandon() {
      if (done) {
        return;
      }
      if (upstream != null) {
        upstream.reset();
      }
      ended(AttemptResult.CANCELLED, 0);
    }
  }
}
