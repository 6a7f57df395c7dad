package dev.spillway.gateway.forward;

import dev.spillway.core.api.Operation;
import dev.spillway.core.routing.Router;
import dev.spillway.core.routing.SharedSessionPins;
import dev.spillway.gateway.http.WebSocketLimits;
import dev.spillway.gateway.limits.LimitAdmission;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import dev.spillway.core.time.Scheduler;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.pipeline.PipelineServices;
import dev.spillway.gateway.pipeline.Policy;
import dev.spillway.gateway.pipeline.StageFactory;
import dev.spillway.gateway.pipeline.RequestContext;
import dev.spillway.gateway.pipeline.ResponsePhase;
import dev.spillway.gateway.pipeline.Terminal;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * {@code forward}, the terminal stage: routes the request through its model's pool and forwards it, PTU first,
 * spilling on 429, 5xx, broken connections and timeouts ({@link RetryLoop}, one {@link UpstreamAttempt} per backend
 * tried, {@link StreamRelay} for streams). A request that names no configured model (a route the gateway does not
 * forward) is answered 404. A realtime upgrade becomes a {@link RealtimeSession}.
 */
public final class ForwardStage implements Policy, Terminal {
  private final Shared shared;

  ForwardStage(Shared shared) {
    this.shared = shared;
  }

  @Override
  public void handle(RequestContext ctx, ResponsePhase response) {
    if (ctx.route().operation() == Operation.REALTIME) {
      new RealtimeSession(shared, ctx, response, shared.limits()).start();
    } else if (MediaUnits.measuresUpload(ctx)) {
      // An audio upload's length is measured first: a transcript without it is booked with the estimate.
      MediaUnits.measureUpload(ctx).onComplete(measured -> forward(ctx, response));
    } else {
      forward(ctx, response);
    }
  }

  /**
   * Routes and forwards: at once, or — for a session of a model with affinity, while pins are shared — once the
   * session's pin has been read from the shared store (bounded by its timeout; see {@code SharedSessionPins}), back on
   * this request's event loop.
   */
  private void forward(RequestContext ctx, ResponsePhase response) {
    if (ctx.pool() == null || ctx.affinityKey().isEmpty() || !shared.sessionPins().shared()) {
      new RetryLoop(shared, ctx, response).start();
      return;
    }
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    shared.sessionPins().recall(ctx.pool(), ctx.affinityKey().get()).whenComplete((v, e) -> {
      if (context == null) {
        new RetryLoop(shared, ctx, response).start();
      } else {
        context.runOnContext(on -> new RetryLoop(shared, ctx, response).start());
      }
    });
  }

  /**
   * What every request's loop shares: one per gateway. Thread-safe.
   *
   * @param router routing decisions
   * @param clients upstream HTTP clients and credentials
   * @param scheduler timers (PTU waits, first-byte, idle and total timeouts) on the ticker
   * @param clock wall-clock time for HTTP-date {@code Retry-After} values
   * @param random weighted picks; a supplier so each event loop can use its own generator
   * @param listener observer of every attempt
   * @param inFlight the requests being forwarded, for a graceful stop
   * @param webSockets the client of realtime sessions' backends
   * @param limits where a realtime session's responses are counted, one by one
   * @param sessionPins where sessions are pinned, shared with other replicas when they share routing state
   */
  record Shared(
      Router router,
      UpstreamClients clients,
      Scheduler scheduler,
      Clock clock,
      Supplier<RandomGenerator> random,
      GatewayListener listener,
      InFlightRequests inFlight,
      WebSocketClient webSockets,
      LimitAdmission limits,
      SharedSessionPins sessionPins) {
    long now() {
      return scheduler.ticker().read();
    }
  }

  /** Registered in {@code META-INF/services}. */
  public static final class Factory extends StageFactory {
    public Factory() {
      super("forward", Placement.TERMINAL, 1000, Set.of("authorizeModel"));
    }

    @Override
    public Policy create(PipelineServices services) {
      return new ForwardStage(
          new Shared(
              services.component(Router.class),
              services.component(UpstreamClients.class),
              services.scheduler(),
              services.clock(),
              services.component(RandomSource.class).supplier(),
              services.listener(),
              services.component(InFlightRequests.class),
              services.vertx().createWebSocketClient(new WebSocketClientOptions()
                  .setMaxMessageSize(WebSocketLimits.MAX_MESSAGE_BYTES)
                  .setSendUnmaskedFrames(false)),
              services.component(LimitAdmission.class),
              services.component(SharedSessionPins.class)));
    }
  }

  /** The weighted-pick random source, as a component. */
  public record RandomSource(Supplier<RandomGenerator> supplier) {}
}
