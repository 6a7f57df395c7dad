package dev.spillway.gateway.telemetry;

import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.time.Ticker;
import dev.spillway.gateway.events.AttemptOutcome;
import dev.spillway.core.routing.AttemptResult;
import dev.spillway.gateway.events.GatewayListener;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.metrics.GatewayMetrics;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One span per finished request ({@code SERVER}, named "{operation} {model}" as the OpenTelemetry GenAI conventions
 * do) with one child span per backend attempt ({@code CLIENT}). Spans are built when the request ends, from the
 * gateway ticker's readings, so nothing is held open on the hot path; attempts wait in a bounded map until their
 * request ends. Ticker readings become wall-clock times through one offset taken at start, so a child always lies
 * inside its parent. Attributes carry ids, tokens and statuses, never a credential or a prompt.
 */
public final class RequestTracer implements GatewayListener {
  /** Attempts of at most this many requests are held at once; beyond it attempts are not traced. */
  static final int MAX_PENDING_REQUESTS = 10_000;

  private final Tracer tracer;
  private final Ticker ticker;
  /** Wall-clock epoch nanoseconds minus the ticker's reading, taken once. */
  private final long epochOffsetNanos;
  private final Map<String, List<AttemptOutcome>> pending = new ConcurrentHashMap<>();

  RequestTracer(Tracer tracer, Ticker ticker, Clock clock) {
    this.tracer = tracer;
    this.ticker = ticker;
    Instant now = clock.instant();
    this.epochOffsetNanos = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano() - ticker.read();
  }

  @Override
  public void onAttempt(AttemptOutcome attempt) {
    if (attempt.requestId().isEmpty() || (pending.size() >= MAX_PENDING_REQUESTS && !pending.containsKey(attempt.requestId()))) {
      return;
    }
    long now = ticker.read();
    AttemptOutcome timed = attempt.startNanos() != 0 ? attempt : withStart(attempt, now - attempt.durationNanos());
    pending.compute(attempt.requestId(), (id, list) -> {
      List<AttemptOutcome> attempts = list == null ? new ArrayList<>(2) : list;
      attempts.add(timed);
      return attempts;
    });
  }

  @Override
  public void onRequest(RequestOutcome request) {
    List<AttemptOutcome> attempts = pending.remove(request.requestId());
    long startTicks = request.startNanos() != 0 ? request.startNanos() : ticker.read() - request.durationNanos();
    long start = epochOffsetNanos + startTicks;
    long end = start + request.durationNanos();
    String operation = GatewayMetrics.operationName(request.operation());
    String model = request.model().orElse("");
    Span span = tracer.spanBuilder(model.isEmpty() ? operation : operation + " " + model)
        .setNoParent()
        .setSpanKind(SpanKind.SERVER)
        .setStartTimestamp(start, TimeUnit.NANOSECONDS)
        .setAttribute("gen_ai.operation.name", operation)
        .setAttribute("gen_ai.request.model", model)
        .setAttribute("http.response.status_code", request.status())
        .setAttribute("spillway.request_id", request.requestId())
        .setAttribute("spillway.attempts", request.attempts())
        .setAttribute("spillway.stream", request.stream())
        .setAttribute("spillway.consumer", request.caller().consumer())
        .setAttribute("spillway.team", request.caller().team())
        .startSpan();
    request.backend().ifPresent(b -> span.setAttribute("spillway.backend", b.id()).setAttribute("spillway.tier", b.tier().id()));
    request.usage().ifPresent(u -> span.setAttribute("gen_ai.usage.input_tokens", u.promptTokens())
        .setAttribute("gen_ai.usage.output_tokens", u.completionTokens()));
    request.refusal().ifPresent(r -> span.setAttribute("spillway.refusal", r.code()));
    if (request.status() >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
    if (attempts != null) {
      Context parent = Context.root().with(span);
      for (AttemptOutcome a : attempts) {
        child(parent, a);
      }
    }
    span.end(end, TimeUnit.NANOSECONDS);
  }

  private void child(Context parent, AttemptOutcome a) {
    BackendConfig b = a.backend();
    long start = epochOffsetNanos + a.startNanos();
    Span attempt = tracer.spanBuilder("attempt " + b.id())
        .setParent(parent)
        .setSpanKind(SpanKind.CLIENT)
        .setStartTimestamp(start, TimeUnit.NANOSECONDS)
        .setAttribute("spillway.backend", b.id())
        .setAttribute("spillway.tier", b.tier().id())
        .setAttribute("spillway.region", b.region())
        .setAttribute("spillway.attempt.result", a.result().name().toLowerCase(Locale.ROOT))
        .setAttribute("spillway.attempt.retried", a.retried())
        .setAttribute("http.response.status_code", a.status())
        .startSpan();
    if (a.result() != AttemptResult.OK) {
      attempt.setStatus(StatusCode.ERROR, a.result().name().toLowerCase(Locale.ROOT));
    }
    attempt.end(start + a.durationNanos(), TimeUnit.NANOSECONDS);
  }

  private static AttemptOutcome withStart(AttemptOutcome a, long startNanos) {
    return new AttemptOutcome(
        a.model(), a.backend(), a.result(), a.status(), a.retried(), a.durationNanos(), a.requestId(), startNanos);
  }
}
