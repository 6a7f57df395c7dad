package dev.spillway.gateway.forward;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendTimeouts;
import dev.spillway.core.routing.AttemptFeedback;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.RetryAfterParser;
import dev.spillway.core.time.Scheduler;
import dev.spillway.core.upstream.HeaderRules;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.credentials.BackendCredential;
import dev.spillway.gateway.credentials.CredentialHeader;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.gateway.forward.dialect.Dialect;
import dev.spillway.gateway.pipeline.Upload;
import dev.spillway.gateway.upload.SegmentStream;
import dev.spillway.gateway.upload.SpooledBody;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One call to one backend: get the gateway's credential for it (refreshed once when the backend answers 401), connect,
 * send, and read the answer under the backend's timeouts (connect, first byte, total; a stream's idle timeout is the
 * {@link StreamRelay}'s). What the backend showed goes to its state through {@link AttemptFeedback}; what the client
 * gets goes through the {@link RetryLoop}.
 *
 * <p>Not thread-safe: confined to the request's event loop.
 */
final class UpstreamAttempt {
  private static final String EVENT_STREAM = "text/event-stream";

  final RetryLoop loop;
  final BackendState backend;
  final BackendConfig config;
  /** How this backend is spoken to (URL, body, stream usage). */
  final Dialect dialect;
  final long startNanos;
  private HttpClientRequest upstream;
  private Scheduler.Cancellable totalTimer = Scheduler.Cancellable.DONE;
  private Scheduler.Cancellable firstByteTimer = Scheduler.Cancellable.DONE;
  private StreamRelay relay;
  private boolean timedOut;
  private boolean done;
  private OptionalLong retryAfterMillis = OptionalLong.empty();
  private CredentialHeader sentCredential;
  private boolean credentialRefreshed;

  static final String AZURE_SPILLOVER_FROM = "x-ms-spillover-from-";
  static final String AZURE_SPILLOVER_FROM_DEPLOYMENT = "x-ms-spillover-from-deployment";
  static final String AZURE_SPILLOVER_DEPLOYMENT = "x-ms-spillover-deployment";
  /** The standard deployment this attempt asks Azure to spill to (the router's last resort), if any. */
  private final Optional<String> azureSpilloverTarget;

  UpstreamAttempt(RetryLoop loop, BackendState backend, boolean azureSpillover) {
    this.azureSpilloverTarget = azureSpillover ? backend.config().azureSpillover() : Optional.empty();
    this.loop = loop;
    this.backend = backend;
    this.config = backend.config();
    this.dialect = Dialect.of(config);
    this.startNanos = loop.shared.now();
  }

  void begin() {
    loop.cycle.record(backend);
    backend.callStarted();
    backend.recordSent(loop.cycle.estimatedCostTokens(), loop.shared.now());
    totalTimer = loop.shared.scheduler().schedule(config.timeouts().total().toNanos(), this::totalTimeUp);
    issue();
  }

  /** Sends the request to this backend: first with its credential, again after a 401 refreshed it. */
  private void issue() {
    BackendCredential credential = loop.shared.clients().credential(config);
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
    Operation operation = loop.ctx.route().operation();
    RequestOptions options =
        new RequestOptions()
            .setMethod(operation.onObject() ? loop.ctx.httpRequest().method() : HttpMethod.POST)
            .setConnectTimeout(timeouts.connect().toMillis());
    if (operation.onObject()) {
      options.setAbsoluteURI(ObjectCalls.uri(dialect, config, loop.ctx));
    } else {
      BackendUris.target(options, dialect, config, operation);
    }
    Future<HttpClientRequest> requested;
    try {
      requested = loop.shared.clients().clientFor(config).request(options);
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
    long untilDeadline = Math.max(0, loop.cycle.deadlineNanos() - loop.shared.now());
    long firstByteNanos = Math.max(1_000_000, Math.min(timeouts.firstByte().toNanos(), untilDeadline));
    firstByteTimer = loop.shared.scheduler().schedule(firstByteNanos, this::timeOut);
    Handler<AsyncResult<HttpClientResponse>> answered =
        ar -> {
          firstByteTimer.cancel();
          if (done) {
            return;
          }
          if (ar.failed()) {
            failed(timedOut ? AttemptResult.TIMEOUT : classify(ar.cause()), 0);
          } else {
            onResponse(ar.result());
          }
        };
    Optional<SpooledBody> upload = loop.ctx.upload().flatMap(Upload::body);
    if (upload.isPresent()) {
      sendUpload(request, upload.get(), answered);
      return;
    }
    Buffer body = loop.bodies.forBackend(config, dialect);
    (body == null ? request.send() : request.send(body)).onComplete(answered);
  }

  /**
   * Streams a spooled upload from its file, its {@code model} field set to this backend's name where the backend reads
   * it from the form (the file's bytes are never copied into memory; each attempt reads the file anew).
   */
  private void sendUpload(HttpClientRequest request, SpooledBody upload, Handler<AsyncResult<HttpClientResponse>> answered) {
    upload.open(loop.bodies.formFor(upload.form(), config, dialect)).onComplete(opened -> {
      if (done) {
        if (opened.succeeded()) {
          opened.result().close();
        }
        return;
      }
      if (opened.failed()) {
        failed(AttemptResult.CANCELLED, 0); // the gateway's own disk: no backend's fault
        return;
      }
      SegmentStream stream = opened.result();
      request.putHeader("content-length", Long.toString(stream.length()));
      request.send(stream).onComplete(answered);
    });
  }

  private void copyRequestHeaders(HttpClientRequest request) {
    MultiMap upstream = request.headers();
    // forEach, not an entry iterator: no wrapper object per header
    loop.ctx.headers().forEach((name, value) -> {
      if (HeaderRules.forwardRequestHeader(name)) {
        upstream.add(name, value);
      }
    });
    if (loop.ctx.json() != null && !request.headers().contains("content-type")) {
      request.putHeader("content-type", "application/json");
    }
    if (sentCredential != null) {
      request.putHeader(sentCredential.name(), sentCredential.value());
    }
    azureSpilloverTarget.ifPresent(d -> request.putHeader(AZURE_SPILLOVER_DEPLOYMENT, d));
  }

  private void onResponse(HttpClientResponse resp) {
    int status = resp.statusCode();
    azureSpillover(resp.headers());
    if (status == 429 || status >= 500) {
      retryAfterMillis = RetryAfterParser.delayMillis(resp.headers()::get, loop.shared.clock().millis());
    }
    loop.shared
        .router()
        .feedback(
            loop.ctx.pool(),
            backend,
            AttemptFeedback.ofResponseHead(status, resp.headers()::get, retryAfterMillis, loop.shared.router().config()),
            loop.cycle.estimatedCostTokens(),
            loop.shared.now());
    if (status == 401) {
      discard(resp);
      if (!credentialRefreshed && sentCredential != null) {
        // The backend no longer takes our credential (a rotated key, an expired token): fetch a
        // fresh one once and send again to the same backend.
        credentialRefreshed = true;
        loop.shared.clients().credential(config).invalidate(sentCredential);
        upstream = null;
        issue();
      } else {
        failed(AttemptResult.UPSTREAM_AUTH_FAILED, status);
      }
      return;
    }
    if (status == 429) {
      discard(resp);
      ended(AttemptResult.THROTTLED, status);
      loop.next();
    } else if (status >= 500) {
      BufferedRelay.read(this, resp, body -> {
        ended(AttemptResult.SERVER_ERROR, status);
        loop.serverError(new UpstreamReply(status, resp.headers(), body, config.id()));
      });
    } else if (status >= 200 && status < 300 && loop.ctx.route().operation().answersBytes()) {
      // Audio or a file's bytes, relayed as they come like a stream (back-pressure, idle and total timeouts).
      relay = new StreamRelay(this, resp);
      relay.start();
    } else if (status >= 200 && status < 300 && isEventStream(resp)) {
      if (!loop.ctx.stream()) {
        // A stream the client did not ask for is not what the API promises: the next backend may do better.
        discard(resp);
        failed(AttemptResult.INVALID_RESPONSE, status);
        return;
      }
      relay = new StreamRelay(this, resp);
      relay.start();
    } else {
      BufferedRelay.relay(this, resp);
    }
  }

  boolean done() {
    return done;
  }


  /**
   * The total timeout ran out. A stream the client held back (by not reading, so the backend was paused) gets that time
   * again first: the total timeout measures the backend, not the client.
   */
  private void totalTimeUp() {
    if (done) {
      return;
    }
    long heldBack = relay == null ? 0 : relay.takeHeldBackNanos();
    if (heldBack > 0) {
      totalTimer = loop.shared.scheduler().schedule(heldBack, this::totalTimeUp);
    } else {
      timeOut();
    }
  }

  /** The stream this attempt relays, once its head went to the client; from then on it books the request's end. */
  Optional<StreamRelay> streamToClient() {
    return relay != null && relay.headSent() ? Optional.of(relay) : Optional.empty();
  }

  /** True once the request was handed to the backend (it may be working on it, and bill for it). */
  boolean sent() {
    return upstream != null;
  }

  void timeOut() {
    if (done) {
      return;
    }
    timedOut = true;
    if (upstream != null) {
      upstream.reset();
    }
    // Without a request object the connection is still being made: the connect timeout ends it.
  }

  private static void discard(HttpClientResponse resp) {
    resp.handler(b -> {});
    resp.exceptionHandler(e -> {});
    resp.endHandler(v -> {});
  }

  /** The answer could not be read, or a 2xx was not what the API promises: like any failed attempt. */
  void failedReading(Throwable err, int status) {
    failed(err == null ? AttemptResult.INVALID_RESPONSE : timedOut ? AttemptResult.TIMEOUT : classify(err), status);
  }

  /** Failure before anything reached the client: record it and try the next backend. */
  private void failed(AttemptResult result, int status) {
    if (done) {
      return;
    }
    // Ended before the reset: a reset may complete this attempt's futures at once, and they must find it over.
    ended(result, status);
    if (upstream != null) {
      upstream.reset();
    }
    loop.attemptFailed(result);
  }

  /**
   * Azure's own spillover marks an answer a PTU deployment passed to a standard one with {@code
   * x-ms-spillover-from-deployment: <ptu deployment>} (and {@code x-ms-spillover-error}); a header named {@code
   * x-ms-spillover-from-<ptu deployment>} is read the same way. The tokens are paid as PAYG, and the ledger books them
   * so.
   */
  private void azureSpillover(io.vertx.core.MultiMap headers) {
    String from = headers.get(AZURE_SPILLOVER_FROM_DEPLOYMENT);
    if (from != null && !from.isBlank()) {
      loop.ctx.result().azureSpilloverFrom(from.strip());
      return;
    }
    for (Map.Entry<String, String> header : headers) { // not names(): that builds a set per answer
      String name = header.getKey();
      if (name.regionMatches(true, 0, AZURE_SPILLOVER_FROM, 0, AZURE_SPILLOVER_FROM.length())
          && name.length() > AZURE_SPILLOVER_FROM.length()) {
        loop.ctx.result().azureSpilloverFrom(name.substring(AZURE_SPILLOVER_FROM.length()));
        return;
      }
    }
  }

  /** The attempt is over: free the backend's slot, tell its state how it went, stop the timers. */
  void ended(AttemptResult result, int status) {
    if (done) {
      return;
    }
    done = true;
    long now = loop.shared.now();
    backend.callEnded();
    loop.shared
        .router()
        .feedback(
            loop.ctx.pool(),
            backend,
            AttemptFeedback.ofEnd(result, status, retryAfterMillis, loop.shared.router().config()),
            loop.cycle.estimatedCostTokens(),
            now);
    firstByteTimer.cancel();
    totalTimer.cancel();
    if (relay != null) {
      relay.stopTimers();
    }
    long attemptNanos = now - startNanos;
    loop.ctx.result().addUpstreamNanos(attemptNanos);
    loop.attemptEnded(
        new AttemptOutcome(
            loop.ctx.model().orElse(""), config, result, status, false, attemptNanos, loop.ctx.requestId(), startNanos));
  }

  /** A 2xx reached the client: learn the backend's latency and pin the session to it. */
  void succeeded(long ttftNanos, Optional<TokenUsage> usage) {
    long outputTokens = usage.map(TokenUsage::completionTokens).orElse(0L);
    backend.latency().record(ttftNanos, loop.shared.now() - startNanos, outputTokens);
    loop.cycle.affinityKey().ifPresent(key -> loop.shared.sessionPins().pinned(loop.ctx.pool(), key, backend));
  }

  /**
   * The client went away: the attempt is cancelled (the client's doing, never the backend's failure), then the upstream
   * call is stopped. In that order, so that the reset's own failure callbacks find the attempt over.
   */
  void abandon() {
    if (done) {
      return;
    }
    ended(AttemptResult.CANCELLED, 0);
    if (upstream != null) {
      upstream.reset();
    }
  }

  private static boolean isEventStream(HttpClientResponse resp) {
    String type = resp.getHeader("content-type");
    return type != null && type.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
  }

  static AttemptResult classify(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String name = t.getClass().getSimpleName().toLowerCase(Locale.ROOT);
      if (name.contains("timeout")) {
        return AttemptResult.TIMEOUT;
      }
    }
    return AttemptResult.CONNECT_ERROR;
  }
}
