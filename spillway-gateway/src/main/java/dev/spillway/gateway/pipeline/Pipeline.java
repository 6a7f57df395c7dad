package dev.spillway.gateway.pipeline;

import dev.spillway.core.error.GatewayError;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.http.Answer;
import dev.spillway.gateway.http.ErrorResponder;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The request pipeline as configured: policies in order, the terminal stage, and the response-only stages after it.
 * {@link #run} takes a request through it.
 *
 * <p>How a request goes: each policy's {@link Policy#onRequest} in order while it says {@link Verdict.Continue}; a
 * {@link Verdict.Refuse} is answered as the OpenAI-shaped error and a {@link Verdict.Respond} as the gateway's answer,
 * right here (the one place a verdict becomes HTTP); when every policy let it through, the {@link Terminal} produces
 * the response. However it ends, {@link ResponsePhase#finishThenEnd} builds the {@link RequestOutcome} once (the one
 * place that does) and gives it to every stage's {@link Policy#completeBeforeAnswer}, in order, before the answer's
 * last bytes go out: a stage may hold them until its record of the request is safe (the usage ledger while its
 * database is down), so that a client that has its answer can count on the request being on record.
 *
 * <p>Futures that are already complete are followed without a callback, so a pipeline of pass-through policies costs a
 * loop, not a chain of listeners. Thread-safe: immutable; each run is confined to its request's event loop.
 */
public final class Pipeline {
  private static final Logger LOG = System.getLogger("spillway.pipeline");

  private final List<Policy> requestPolicies;
  private final Terminal terminal;
  private final List<Policy> all;
  private final List<Policy> chunkTaps;
  private final List<Policy> answerTaps;
  private final Ticker ticker;

  /**
   * @param requestPolicies the policies before the terminal stage
   * @param terminal the stage that produces the response
   * @param afterTerminal response-only stages (such as {@code metering})
   */
  public Pipeline(List<Policy> requestPolicies, Terminal terminal, List<Policy> afterTerminal, Ticker ticker) {
    this.requestPolicies = List.copyOf(requestPolicies);
    this.terminal = terminal;
    List<Policy> every = new ArrayList<>(requestPolicies);
    if (terminal instanceof Policy p) {
      every.add(p);
    }
    every.addAll(afterTerminal);
    this.all = List.copyOf(every);
    this.chunkTaps = every.stream().filter(Policy::tapsChunks).toList();
    this.answerTaps = every.stream().filter(Policy::tapsAnswers).toList();
    this.ticker = ticker;
  }

  /** Takes {@code ctx} through the pipeline; returns at once, the rest happens on the event loop. */
  public void run(RequestContext ctx) {
    new Run(ctx).from(0);
  }

  /** Refuses a request before any policy (the edge: an unknown route, a wrong method); it is metered like any other. */
  public void refuse(RequestContext ctx, GatewayError error) {
    new Run(ctx).refuse(error);
  }

  /** One request's way through the pipeline. */
  private final class Run implements ResponsePhase {
    private final RequestContext ctx;
    private boolean finished;

    Run(RequestContext ctx) {
      this.ctx = ctx;
    }

    void from(int start) {
      for (int i = start; i < requestPolicies.size(); i++) {
        Future<Verdict> verdict;
        try {
          verdict = requestPolicies.get(i).onRequest(ctx);
        } catch (RuntimeException bug) {
          verdict = Future.failedFuture(bug);
        }
        if (!verdict.isComplete()) {
          int next = i + 1;
          verdict.onComplete(ar -> {
            if (decide(ar)) {
              from(next);
            }
          });
          return;
        }
        if (!decide(verdict)) {
          return;
        }
      }
      terminal.handle(ctx, this);
    }

    /** True to go on; otherwise the request has been answered. */
    private boolean decide(AsyncResult<Verdict> ar) {
      if (ar.failed()) {
        LOG.log(Level.ERROR, "a policy failed on request " + ctx.requestId() + ": " + ar.cause().getClass().getName());
        refuse(GatewayError.internal());
        return false;
      }
      return switch (ar.result()) {
        case Verdict.Continue c -> true;
        case Verdict.Refuse r -> {
          refuse(r.error());
          yield false;
        }
        case Verdict.Respond r -> {
          respond(r.answer());
          yield false;
        }
        case Verdict.ClientGone g -> {
          ctx.result().status(499);
          finish();
          yield false;
        }
      };
    }

    private void refuse(GatewayError error) {
      ctx.body().discard();
      ctx.upload().ifPresent(Upload::discard);
      ctx.result().status(error.status()).refusal(new RequestOutcome.Refusal(error.code(), error.refusingLimit()));
      finishThenEnd(() -> {
        if (ctx.httpRequest() != null) {
          ErrorResponder.send(ctx.httpRequest().response(), error, ctx.requestId());
        }
      });
    }

    private void respond(Answer answer) {
      ctx.body().discard();
      HttpServerResponse response = ctx.httpRequest().response();
      boolean open = !response.ended() && !response.closed();
      if (open) {
        answer.writeHead(response, ctx.requestId(), headers -> responseStart(answer.status(), headers));
      }
      ctx.result().status(answer.status());
      finishThenEnd(() -> {
        if (open && !response.ended() && !response.closed()) {
          response.end(answer.body());
        }
      });
    }

    @Override
    public void responseStart(int status, MultiMap headers) {
      for (Policy p : all) {
        p.onResponseStart(ctx, status, headers);
      }
    }

    @Override
    public boolean tapsChunks() {
      return !chunkTaps.isEmpty();
    }

    @Override
    public Buffer chunk(Buffer chunk) {
      Buffer out = chunk;
      for (Policy p : chunkTaps) {
        out = p.onChunk(ctx, out);
      }
      return out;
    }

    @Override
    public void backendError(int status, Buffer body) {
      for (Policy p : answerTaps) {
        p.onBackendError(ctx, status, body);
      }
    }

    @Override
    public Buffer answer(Buffer body) {
      Buffer out = body;
      for (Policy p : answerTaps) {
        out = p.onAnswer(ctx, out);
      }
      return out;
    }

    @Override
    public void finish() {
      complete();
    }

    @Override
    public void finishThenEnd(Runnable endAnswer) {
      if (finished) {
        return;
      }
      Future<Void> hold = complete();
      if (hold.isComplete()) {
        endAnswer.run();
      } else {
        hold.onComplete(done -> endAnswer.run());
      }
    }

    /** Builds the outcome once and completes every stage; the future says when the answer may end. */
    private Future<Void> complete() {
      if (finished) {
        return Future.succeededFuture();
      }
      finished = true;
      ctx.upload().ifPresent(Upload::release);
      RequestOutcome outcome = outcomeOf(ctx, ticker.read());
      List<Future<Void>> holds = null;
      for (Policy p : all) {
        try {
          Future<Void> hold = p.completeBeforeAnswer(ctx, outcome);
          if (!hold.isComplete()) {
            if (holds == null) {
              holds = new ArrayList<>(1);
            }
            holds.add(hold);
          }
        } catch (RuntimeException bug) {
          LOG.log(Level.ERROR, "a policy failed completing request " + ctx.requestId() + ": " + bug.getClass().getName());
        }
      }
      if (holds == null) {
        return Future.succeededFuture();
      }
      return holds.size() == 1 ? holds.get(0) : Future.join(holds).transform(ar -> Future.succeededFuture());
    }
  }

  /**
   * The outcome event of a finished request. A refusal names the caller when authentication already did and the model
   * when one was established; it never counts as a stream.
   */
  static RequestOutcome outcomeOf(RequestContext ctx, long nowNanos) {
    RequestResult r = ctx.result();
    boolean refused = r.refusal().isPresent();
    RequestOutcome.Caller caller =
        ctx.authenticated()
            ? new RequestOutcome.Caller(ctx.principal().consumerId(), ctx.principal().team(), ctx.clientIp())
            : new RequestOutcome.Caller("", "", ctx.clientIp());
    return RequestOutcome.builder(ctx.requestId(), r.status())
        .operation(ctx.route() == null ? null : ctx.route().operation())
        .model(ctx.model())
        .backend(r.backend())
        .stream(!refused && ctx.stream())
        .usage(r.usage(), r.usageEstimated())
        .timing(ctx.startNanos(), nowNanos - ctx.startNanos())
        .timeToFirstTokenNanos(r.timeToFirstTokenNanos())
        .attempts(r.attempts())
        .caller(caller)
        .refusal(r.refusal())
        .upstreamNanos(r.upstreamNanos())
        .azureSpilloverFrom(r.azureSpilloverFrom())
        .interruptedBy(r.interruptedBy())
        .units(r.units())
        .cache(r.cache())
        .promptPrefixHash(r.promptPrefixHash())
        .endUser(r.endUser())
        .safety(r.safety())
        .build();
  }
}
