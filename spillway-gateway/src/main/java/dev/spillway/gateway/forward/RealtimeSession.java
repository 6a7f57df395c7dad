package dev.spillway.gateway.forward;

import dev.spillway.core.ledger.UsageRecord;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.routing.AttemptCycle;
import dev.spillway.core.routing.AttemptFeedback;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.RetryAfterParser;
import dev.spillway.core.routing.RouteDecision;
import dev.spillway.core.time.Scheduler;
import dev.spillway.gateway.credentials.CredentialHeader;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.gateway.http.ErrorResponder;
import dev.spillway.gateway.limits.LimitAdmission;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.ResponsePhase;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import java.util.OptionalLong;

/**
 * One realtime session: a client's WebSocket joined to a backend's. The backend is chosen as any request's is — PTU
 * first, PAYG when the PTU is throttled or open, the router's waits — but only while connecting: a backend that
 * refuses the upgrade (429 with its retry headers, 5xx, no connection) is fed back to the router and the next one
 * tried; the client's upgrade is accepted only once a backend's is, so a client never holds a session that has no
 * backend. From then on the session stays where it is (a conversation lives on its backend) and its frames are
 * relayed both ways ({@link FrameBridge}); a close on either side closes the other with the same code. The backend
 * gets the gateway's credential for it, never the client's key; the client's {@code openai-beta} header goes along.
 *
 * <p>Metering: each {@code response.done} is a booked response ({@link RealtimeMeter}); the session itself ends the
 * pipeline's request when it closes (status 200, or 502 {@code interrupted_by: backend} when the backend dropped it).
 * Not thread-safe: every callback runs on the client connection's event loop.
 */
final class RealtimeSession implements InFlightRequests.Cuttable {
  private final ForwardStage.Shared shared;
  private final RequestContext ctx;
  private final ResponsePhase phase;
  private final AttemptCycle cycle;
  private final LimitAdmission limits;
  private boolean clientGone;
  private static final short GOING_AWAY = 1001;
  private boolean finished;
  /** Once joined, the two sockets (for a stop that must end the session). */
  private ServerWebSocket joinedClient;
  private WebSocket joinedUpstream;
  private BackendConfig joinedBackend;
  private Scheduler.Cancellable waitTimer = Scheduler.Cancellable.DONE;

  RealtimeSession(ForwardStage.Shared shared, RequestContext ctx, ResponsePhase phase, LimitAdmission limits) {
    this.shared = shared;
    this.ctx = ctx;
    this.phase = phase;
    this.limits = limits;
    long deadline = ctx.startNanos() + shared.router().config().requestDeadline().toNanos();
    this.cycle = ctx.pool() == null ? null : ctx.pool().newCycle(deadline, 0, ctx.affinityKey(), ctx.priorityClass());
    if (cycle != null) {
      ctx.paygDenied().ifPresent(cycle::denyPayg);
    }
  }

  void start() {
    if (cycle == null) {
      fail(GatewayError.unknownRoute("GET", ctx.httpRequest().path()));
      return;
    }
    if (!ctx.httpRequest().canUpgradeToWebSocket()) {
      fail(GatewayError.webSocketRequired());
      return;
    }
    ctx.httpRequest().response().closeHandler(v -> clientGone = true);
    next();
  }

  private void next() {
    if (finished || clientGone) {
      if (!finished) {
        waitTimer.cancel();
        finish(499, null, "");
      }
      return;
    }
    long now = shared.now();
    RouteDecision decision = shared.router().choose(ctx.pool(), cycle, now, shared.random().get());
    switch (decision) {
      case RouteDecision.Use use -> connect(use.backend());
      case RouteDecision.Wait wait -> waitTimer = shared.scheduler().schedule(wait.nanos(), () -> {
        shared.router().afterWait(ctx.pool(), cycle, wait.nanos(), shared.now());
        next();
      });
      case RouteDecision.Exhausted exhausted -> fail(exhausted.nanosUntilThrottleEnds().isPresent()
          ? GatewayError.allBackendsThrottled(ctx.model().orElse(""),
              RetryLoop.toMillis(exhausted.nanosUntilSoonestFree().getAsLong()))
          : exhausted.onlyAuthHeld() ? GatewayError.backendsRefusedCredentials(ctx.model().orElse(""))
          : GatewayError.upstreamUnreachable(ctx.model().orElse("")));
    }
  }

  private void connect(BackendState backend) {
    cycle.record(backend);
    backend.callStarted();
    dial(backend, shared.now(), false);
  }

  /** Opens the upstream socket with the backend's credential; {@code refreshed} once a 401 made it fetch a fresh one. */
  private void dial(BackendState backend, long started, boolean refreshed) {
    shared.clients().credential(backend.config()).header().onComplete(cred -> {
      if (cred.failed()) {
        ended(backend, started, AttemptResult.CREDENTIAL_ERROR, 0, OptionalLong.empty());
        next();
        return;
      }
      WebSocketConnectOptions options = new WebSocketConnectOptions()
          .setAbsoluteURI(RealtimeUrls.of(backend.config()))
          .setTimeout(backend.config().timeouts().connect().toMillis());
      cred.result().ifPresent((CredentialHeader h) -> options.addHeader(h.name(), h.value()));
      String beta = ctx.headers().get("openai-beta");
      if (beta != null) {
        options.addHeader("openai-beta", beta);
      }
      // The backend speaks first (session.created), maybe before the client's side is joined: its first frames are
      // kept until then, and it is paused as soon as it is connected.
      java.util.List<WebSocketFrame> early = new java.util.ArrayList<>();
      io.vertx.core.http.ClientWebSocket socket = shared.webSockets().webSocket();
      socket.frameHandler(early::add);
      socket.connect(options).onComplete(ar -> {
        if (ar.succeeded()) {
          ar.result().pause();
          ended(backend, started, AttemptResult.OK, 101, OptionalLong.empty());
          upgradeClient(backend.config(), ar.result(), early);
        } else if (!refreshed && cred.result().isPresent() && refusedCredential(ar.cause())) {
          // As for HTTP calls: a rotated key or an expired token gets one fresh credential, then counts as refused.
          shared.clients().credential(backend.config()).invalidate(cred.result().get());
          dial(backend, started, true);
        } else {
          refused(backend, started, ar.cause());
        }
      });
    });
  }

  private static boolean refusedCredential(Throwable cause) {
    return cause instanceof UpgradeRejectedException rejected
        && (rejected.getStatus() == 401 || rejected.getStatus() == 403);
  }

  /** The backend would not take the session: what it said goes to the router, then the next backend. */
  private void refused(BackendState backend, long started, Throwable cause) {
    if (cause instanceof UpgradeRejectedException rejected) {
      int status = rejected.getStatus();
      OptionalLong retryAfter = RetryAfterParser.delayMillis(rejected.getHeaders()::get, shared.clock().millis());
      shared.router().feedback(ctx.pool(), backend,
          AttemptFeedback.ofResponseHead(status, rejected.getHeaders()::get, retryAfter, shared.router().config()),
          0, shared.now());
      AttemptResult result = status == 429 ? AttemptResult.THROTTLED
          : status >= 500 ? AttemptResult.SERVER_ERROR
          : status == 401 || status == 403 ? AttemptResult.UPSTREAM_AUTH_FAILED : AttemptResult.CLIENT_ERROR;
      ended(backend, started, result, status, retryAfter);
    } else {
      ended(backend, started, AttemptResult.CONNECT_ERROR, 0, OptionalLong.empty());
    }
    next();
  }

  private void ended(BackendState backend, long started, AttemptResult result, int status, OptionalLong retryAfter) {
    long now = shared.now();
    backend.callEnded();
    shared.router().feedback(ctx.pool(), backend,
        AttemptFeedback.ofEnd(result, status, retryAfter, shared.router().config()), 0, now);
    ctx.result().addUpstreamNanos(now - started);
    shared.listener().onAttempt(new AttemptOutcome(ctx.model().orElse(""), backend.config(), result, status,
        result != AttemptResult.OK, now - started, ctx.requestId(), started));
  }

  private void upgradeClient(BackendConfig backend, WebSocket upstream, java.util.List<WebSocketFrame> early) {
    if (clientGone) {
      upstream.close(FrameBridge.NORMAL, "client left");
      finish(499, backend, "");
      return;
    }
    io.vertx.core.Future<ServerWebSocket> upgraded;
    try {
      upgraded = ctx.httpRequest().toWebSocket();
    } catch (IllegalStateException gone) {
      upgraded = io.vertx.core.Future.failedFuture(gone);
    }
    upgraded.onComplete(ar -> {
      if (ar.failed()) {
        upstream.close(FrameBridge.NORMAL, "client left");
        finish(499, backend, "");
        return;
      }
      join(backend, ar.result(), upstream, early);
    });
  }

  private void join(BackendConfig backend, ServerWebSocket client, WebSocket upstream, java.util.List<WebSocketFrame> early) {
    RealtimeMeter meter = new RealtimeMeter(shared, ctx, backend, limits);
    for (WebSocketFrame frame : early) {
      if (meter.fromBackend(frame)) {
        client.writeFrame(frame);
      }
    }
    joinedClient = client;
    joinedUpstream = upstream;
    joinedBackend = backend;
    shared.inFlight().started(this);
    FrameBridge.relay(upstream, client, meter::fromBackend);
    FrameBridge.relay(client, upstream, frame -> meter.fromClient(frame, client::writeTextMessage));
    upstream.closeHandler(v -> {
      if (finished) {
        return; // the stop closed it
      }
      Short code = upstream.closeStatusCode();
      if (!client.isClosed()) {
        client.close(FrameBridge.codeFor(code), upstream.closeReason());
      }
      boolean dropped = !FrameBridge.orderly(code);
      finish(dropped ? 502 : 200, backend, dropped ? "backend" : "");
    });
    client.closeHandler(v -> {
      if (!upstream.isClosed()) {
        upstream.close(FrameBridge.codeFor(client.closeStatusCode()), client.closeReason());
      }
      finish(200, backend, "");
    });
    upstream.exceptionHandler(err -> upstream.close());
    client.exceptionHandler(err -> client.close());
    upstream.resume();
  }

  /** The session is over: the pipeline's request ends with it (its responses were booked one by one). */
  private void finish(int status, BackendConfig backend, String interruptedBy) {
    if (finished) {
      return;
    }
    finished = true;
    shared.inFlight().finished(this);
    ctx.result().status(status).backend(backend).attempts(cycle.attempts()).interruptedBy(interruptedBy);
    phase.finish();
  }

  /**
   * The gateway's drain time is over and the session still runs: the client is told the server is going away (1001)
   * and the backend's side closed normally; booked as interrupted by the shutdown, no backend blamed.
   */
  @Override
  public void shutdownCut() {
    if (finished || joinedClient == null) {
      return;
    }
    BackendConfig backend = joinedBackend;
    finish(503, backend, UsageRecord.INTERRUPTED_BY_SHUTDOWN);
    joinedUpstream.close(FrameBridge.NORMAL, "the gateway is stopping");
    joinedClient.close(GOING_AWAY, "the gateway is stopping");
  }

  private void fail(GatewayError error) {
    if (finished) {
      return;
    }
    finished = true;
    ctx.result().status(error.status()).attempts(cycle == null ? 0 : cycle.attempts());
    phase.finishThenEnd(() -> {
      ctx.httpRequest().resume(); // no upgrade after all: let the request end as any other does
      ErrorResponder.send(ctx.httpRequest().response(), error, ctx.requestId());
    });
  }
}
