package dev.spillway.gateway.forward;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.limits.LimitCheck;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.core.usage.UsageParser;
import dev.spillway.gateway.events.RequestOutcome;
import dev.spillway.gateway.http.Json;
import dev.spillway.gateway.limits.LimitAdmission;
import dev.spillway.gateway.pipeline.RequestContext;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The metering of one realtime session. The backend reports each response's usage in its {@code response.done} event;
 * each becomes a {@link Operation#REALTIME_RESPONSE} outcome (request id {@code <session>.<n>}) for the ledger, the
 * metrics and the dashboard, and is counted against the caller's limits. A caller whose token limit is spent can finish
 * the response under way, but its next {@code response.create} is answered by the gateway with an {@code error} event
 * and never reaches the backend.
 *
 * <p>Only the backend's text messages that mention {@code response.done} are parsed; fragments are put together up to
 * {@link #MAX_PARSED_BYTES}. Not thread-safe: used on the session's event loop.
 */
final class RealtimeMeter {
  /** A message longer than this is passed on unparsed: a response.done that large goes unmetered. */
  static final int MAX_PARSED_BYTES = 4 * 1024 * 1024;
  private static final byte[] DONE = "\"response.done\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CREATE = "\"response.create\"".getBytes(StandardCharsets.US_ASCII);

  private final ForwardStage.Shared shared;
  private final RequestContext ctx;
  private final BackendConfig backend;
  private final LimitAdmission limits;
  private final Clock clock;
  private final List<LimitCheck> checks;
  private Buffer message;
  private boolean skipping;
  private int responses;
  private long sinceNanos;
  private GatewayError spent;

  RealtimeMeter(ForwardStage.Shared shared, RequestContext ctx, BackendConfig backend, LimitAdmission limits) {
    this.shared = shared;
    this.ctx = ctx;
    this.backend = backend;
    this.limits = limits;
    this.clock = shared.clock();
    this.checks = LimitAdmission.checks(ctx.principal(), ctx.headers(), ctx.clientIp(), ctx.model().orElse(""));
    this.sinceNanos = shared.now();
  }

  /** Responses metered so far. */
  int responses() {
    return responses;
  }

  /** A frame from the backend on its way to the client: always passed on. */
  boolean fromBackend(WebSocketFrame frame) {
    if (frame.isText() || (frame.isContinuation() && message != null)) {
      if (frame.isText()) {
        message = Buffer.buffer();
        skipping = false;
      }
      if (!skipping) {
        if (message.length() + frame.binaryData().length() > MAX_PARSED_BYTES) {
          skipping = true;
          message = Buffer.buffer();
        } else {
          message.appendBuffer(frame.binaryData());
        }
      }
      if (frame.isFinal()) {
        if (!skipping) {
          onMessage(message.getBytes());
        }
        message = null;
      }
    }
    return true;
  }

  /**
   * A frame from the client on its way to the backend: dropped, and answered with an {@code error} event, when it asks
   * for a response the caller's spent limit no longer allows.
   */
  boolean fromClient(WebSocketFrame frame, java.util.function.Consumer<String> answer) {
    if (spent == null || !frame.isText() || !frame.isFinal() || indexOf(frame.binaryData().getBytes(), CREATE) < 0) {
      return true;
    }
    com.fasterxml.jackson.databind.node.ObjectNode event = Json.MAPPER.createObjectNode().put("type", "error");
    event.putObject("error").put("type", spent.type()).put("code", spent.code()).put("message", spent.message());
    answer.accept(event.toString());
    return false;
  }

  private void onMessage(byte[] bytes) {
    if (indexOf(bytes, DONE) < 0) {
      return;
    }
    JsonNode event;
    try {
      event = Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      return;
    }
    if (event == null || !"response.done".equals(event.path("type").asText())) {
      return;
    }
    Optional<TokenUsage> usage = UsageParser.fromJson(event.path("response").path("usage"));
    long now = shared.now();
    responses++;
    String id = ctx.requestId() + "." + responses;
    RequestOutcome outcome = RequestOutcome.builder(id, 200)
        .operation(Operation.REALTIME_RESPONSE)
        .model(ctx.model())
        .backend(backend)
        .stream(true)
        .usage(usage, false)
        .timing(sinceNanos, now - sinceNanos)
        .attempts(1)
        .caller(new RequestOutcome.Caller(ctx.principal().consumerId(), ctx.principal().team(), ctx.clientIp()))
        .endUser(ctx.result().endUser())
        .build();
    sinceNanos = now;
    shared.listener().onRequest(outcome);
    usage.ifPresent(u -> charge(id, u.totalTokens()));
  }

  /** Counts the response against the caller's limits (one request, its tokens); a refusal closes the next ones. */
  private void charge(String id, long tokens) {
    if (checks.isEmpty()) {
      return;
    }
    long now = clock.millis();
    limits.reserve(id, checks, 0, now).onSuccess(decision -> {
      switch (decision) {
        case LimitAdmission.Decision.Admitted admitted -> limits.settle(id, admitted.ticket(), tokens, now);
        case LimitAdmission.Decision.Refused refused -> spent = refused.error();
      }
    });
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
