package dev.spillway.gateway.forward;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.routing.AttemptCycle;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.core.routing.BackendState;
import dev.spillway.core.routing.RouteDecision;
import dev.spillway.core.time.Scheduler;
import dev.spillway.core.upstream.HeaderRules;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.gateway.forward.dialect.UpstreamBody;
import dev.spillway.gateway.http.ErrorResponder;
import dev.spillway.gateway.http.GatewayHeaders;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.ResponsePhase;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerResponse;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One client request on its way through its pool: ask the router, carry out its decision (an attempt, a PTU wait, or
 * the end), and on a 429, a 5xx, a broken connection or a timeout ask again with the same body. Once the first byte of
 * a response has gone to the client the choice is final; a stream that breaks after that ends with an SSE error
 * event. When the router runs out of backends, the loop answers with the error that says best why.
 *
 * <p>Not thread-safe: every callback runs on the event loop of the client's connection.
 */
final class RetryLoop implements InFlightRequests.Cuttable {
  final ForwardStage.Shared shared;
  final RequestContext ctx;
  final ResponsePhase phase;
  final HttpServerResponse clientResponse;
  final AttemptCycle cycle;
  final UpstreamBody bodies;

  private UpstreamAttempt current;
  private AttemptOutcome pendingOutcome;
  private AttemptResult lastFailure;
  private UpstreamReply lastServerError;
  private boolean finished;
  /** Set first when the client leaves: nothing is tried for a client that is gone. */
  private boolean clientGone;
  private Scheduler.Cancellable waitTimer;
  private long waitStartedNanos;

  RetryLoop(ForwardStage.Shared shared, RequestContext ctx, ResponsePhase phase) {
    this.shared = shared;
    this.ctx = ctx;
    this.phase = phase;
    this.clientResponse = ctx.httpRequest().response();
    long deadline = ctx.startNanos() + shared.router().config().requestDeadline().toNanos();
    this.cycle =
        ctx.pool() == null
            ? null
            : ctx.pool().newCycle(deadline, ctx.estimatedCostTokens(), ctx.affinityKey(), ctx.priorityClass());
    if (cycle != null) {
      ctx.paygDenied().ifPresent(cycle::denyPayg);
      ctx.boundBackend().flatMap(ctx.pool()::backend).ifPresent(cycle::bindTo);
    }
    this.bodies = new UpstreamBody(ctx);
  }

  void start() {
    if (cycle == null) {
      // No policy established a pool: nothing here can be forwarded.
      fail(GatewayError.unknownRoute(ctx.httpRequest().method().name(), ctx.httpRequest().path()));
      return;
    }
    clientResponse.closeHandler(v -> onClientGone());
    shared.inFlight().started(this);
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    if (context != null) {
      // The station wakes a waiting request from whichever thread changed it: hand over to this request's loop.
      cycle.onWake(() -> context.runOnContext(v -> wokenEarly()));
    }
    next();
  }

  /** Asks the router what to do next and does it. */
  void next() {
    if (finished || clientGone) {
      return;
    }
    long now = shared.now();
    RouteDecision decision = shared.router().choose(ctx.pool(), cycle, now, shared.random().get());
    emitPendingAttempt(!(decision instanceof RouteDecision.Exhausted));
    switch (decision) {
      case RouteDecision.Use use -> {
        current = new UpstreamAttempt(this, use.backend(), use.azureSpillover());
        current.begin();
      }
      case RouteDecision.Wait wait -> waitForPtu(wait.nanos(), now);
      case RouteDecision.Exhausted exhausted -> exhausted(exhausted);
    }
  }

  /** Wait for a PTU on a timer (no thread held), then choose again; the station may wake the request sooner. */
  private void waitForPtu(long nanos, long startedNanos) {
    waitStartedNanos = startedNanos;
    waitTimer = shared.scheduler().schedule(nanos, this::waitEnded);
  }

  private void waitEnded() {
    waitTimer = null;
    long now = shared.now();
    ctx.result().addUpstreamNanos(now - waitStartedNanos);
    shared.router().afterWait(ctx.pool(), cycle, now - waitStartedNanos, now);
    next();
  }

  /** The station wants this request to ask again now; ignored unless it is still waiting. */
  private void wokenEarly() {
    if (waitTimer == null || finished || clientGone) {
      return;
    }
    waitTimer.cancel();
    waitEnded();
  }

  private void exhausted(RouteDecision.Exhausted exhausted) {
    String model = ctx.model().orElse("");
    OptionalLong soonest = exhausted.nanosUntilSoonestFree();
    if (cycle.paygDenied().isPresent() && lastServerError == null && lastFailure == null
        && ctx.pool().backends().stream().anyMatch(b -> b.config().tier() == dev.spillway.core.config.Tier.PAYG)) {
      long retry = Math.max(soonest.orElse(0), Math.max(0, cycle.expectedWaitNanos()));
      fail(GatewayError.paygNotAllowed(model, Math.max(1000, toMillis(retry)), cycle.paygDenied().get()));
    } else if (exhausted.nanosUntilThrottleEnds().isPresent()) {
      fail(GatewayError.allBackendsThrottled(model, toMillis(soonest.getAsLong())));
    } else if (lastServerError != null) {
      passThrough(lastServerError);
    } else if (exhausted.deadlinePassed() || lastFailure == AttemptResult.TIMEOUT) {
      fail(GatewayError.upstreamTimeout(model));
    } else if (lastFailure == AttemptResult.INVALID_RESPONSE) {
      fail(GatewayError.upstreamInvalidResponse(model));
    } else if (lastFailure == AttemptResult.CREDENTIAL_ERROR) {
      fail(GatewayError.upstreamAuthFailed(model)); // the gateway could not obtain its own credential
    } else if (lastFailure == AttemptResult.UPSTREAM_AUTH_FAILED || exhausted.onlyAuthHeld()) {
      // Held for refused credentials (here or on another replica), nothing throttled or tripped: waiting will not help.
      fail(GatewayError.backendsRefusedCredentials(model));
    } else if (lastFailure == null && soonest.isPresent()) {
      fail(GatewayError.allBackendsUnavailable(model, toMillis(soonest.getAsLong())));
    } else {
      fail(GatewayError.upstreamUnreachable(model));
    }
  }

  static long toMillis(long nanos) {
    return (nanos + 999_999) / 1_000_000;
  }

  private void fail(GatewayError error) {
    complete(error.status(), null, Optional.empty(), OptionalLong.empty(), false,
        () -> ErrorResponder.send(clientResponse, error, ctx.requestId()));
  }

  private void passThrough(UpstreamReply reply) {
    boolean open = !clientResponse.closed() && !clientResponse.ended();
    if (open) {
      writeHead(reply.status(), reply.headers(), reply.backendId());
    }
    BackendConfig backend = ctx.pool().backend(reply.backendId()).map(BackendState::config).orElse(null);
    complete(reply.status(), backend, Optional.empty(), OptionalLong.empty(), false, () -> {
      if (open) {
        endIfOpen(reply.body());
      }
    });
  }

  /** Ends the client's response with {@code last} unless it was closed meanwhile. */
  void endIfOpen(io.vertx.core.buffer.Buffer last) {
    if (!clientResponse.closed() && !clientResponse.ended()) {
      clientResponse.end(last);
    }
  }

  private void onClientGone() {
    if (finished) {
      return;
    }
    clientGone = true;
    if (!stopWaiting() && current != null && !current.done()) {
      Optional<StreamRelay> stream = current.streamToClient();
      if (stream.isPresent()) {
        // Mid-stream: the relay books what the backend produced so far.
        stream.get().clientLeft();
        return;
      }
      UpstreamAttempt left = current;
      left.abandon();
      if (left.sent()) {
        // The backend had the request and may bill its prompt: booked against it, estimated, with no completion seen.
        complete(499, left.config, Optional.of(TokenUsage.of(ctx.promptTokens(), 0)), OptionalLong.empty(), true);
        return;
      }
    }
    complete(499, null, Optional.empty(), OptionalLong.empty(), false);
  }

  /**
   * The gateway's drain time is over and this request is still going: a stream ends with an SSE error event, a
   * request still waiting for its answer gets {@code 503 gateway_shutting_down}; neither counts against a backend.
   */
  @Override
  public void shutdownCut() {
    if (finished) {
      return;
    }
    if (!stopWaiting() && current != null && !current.done()) {
      Optional<StreamRelay> stream = current.streamToClient();
      if (stream.isPresent()) {
        stream.get().shutdownCut();
        return;
      }
      current.abandon();
    }
    if (clientResponse.headWritten()) {
      // A buffered answer already going out: nothing to add to it.
      return;
    }
    ctx.result().interruptedBy(dev.spillway.core.ledger.UsageRecord.INTERRUPTED_BY_SHUTDOWN);
    fail(GatewayError.shuttingDown());
  }

  /** Leaves the PTU station's queue if the request is waiting in it; true when it was. */
  private boolean stopWaiting() {
    if (waitTimer == null) {
      return false;
    }
    waitTimer.cancel();
    waitTimer = null;
    shared.router().abandonWait(ctx.pool(), cycle);
    return true;
  }

  /** An attempt failed before anything reached the client: remember why, then try the next backend. */
  void attemptFailed(AttemptResult result) {
    lastFailure = result;
    next();
  }

  /** A 5xx worth passing on if no other backend does better. */
  void serverError(UpstreamReply reply) {
    lastServerError = reply;
    next();
  }

  /** The request is over with no answer to end (the client left): records its result and finishes it. Idempotent. */
  void complete(int status, BackendConfig backend, Optional<TokenUsage> usage, OptionalLong ttftNanos, boolean estimated) {
    complete(status, backend, usage, ttftNanos, estimated, null);
  }

  /**
   * The request is over but for the end of its answer: records its result, lets the pipeline finish it, and runs
   * {@code endAnswer} when the pipeline lets the answer end ({@link ResponsePhase#finishThenEnd}). Idempotent.
   */
  void complete(int status, BackendConfig backend, Optional<TokenUsage> usage, OptionalLong ttftNanos, boolean estimated,
      Runnable endAnswer) {
    if (finished) {
      return;
    }
    finished = true;
    shared.inFlight().finished(this);
    emitPendingAttempt(false);
    ctx.result()
        .status(status)
        .backend(backend)
        .usage(usage.orElse(null), estimated)
        .timeToFirstTokenNanos(ttftNanos)
        .attempts(cycle == null ? 0 : cycle.attempts());
    if (endAnswer == null) {
      phase.finish();
    } else {
      phase.finishThenEnd(endAnswer);
    }
  }

  boolean finished() {
    return finished;
  }

  /** The attempt that just ended; its event goes out once it is known whether the loop went on ({@code retried}). */
  void attemptEnded(AttemptOutcome outcome) {
    pendingOutcome = outcome;
  }

  private void emitPendingAttempt(boolean retried) {
    AttemptOutcome pending = pendingOutcome;
    if (pending == null) {
      return;
    }
    pendingOutcome = null;
    shared.listener()
        .onAttempt(
            new AttemptOutcome(
                pending.model(), pending.backend(), pending.result(), pending.status(), retried, pending.durationNanos(),
                pending.requestId(), pending.startNanos()));
  }

  /** Writes the response head: the backend's returnable headers, the gateway's own, then the policies' say. */
  void writeHead(int status, MultiMap upstreamHeaders, String backendId) {
    clientResponse.setStatusCode(status);
    for (Map.Entry<String, String> h : upstreamHeaders) {
      if (HeaderRules.returnResponseHeader(h.getKey())) {
        clientResponse.headers().add(h.getKey(), h.getValue());
      }
    }
    clientResponse.putHeader(GatewayHeaders.REQUEST_ID, ctx.requestId());
    clientResponse.putHeader(GatewayHeaders.BACKEND, backendId);
    clientResponse.putHeader(GatewayHeaders.ATTEMPTS, Integer.toString(cycle.attempts()));
    phase.responseStart(status, clientResponse.headers());
  }
}
