package dev.spillway.gateway.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.ApiRoute;
import dev.spillway.core.api.Operation;
import dev.spillway.core.api.RouteMatch;
import dev.spillway.core.api.RouteShape;
import dev.spillway.core.api.RouteTable;
import dev.spillway.core.error.GatewayError;
import dev.spillway.core.routing.Pool;
import dev.spillway.gateway.Json;
import dev.spillway.gateway.events.RequestOutcome;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BooleanSupplier;

/**
 * The edge: matches the route, answers what the gateway owns (probes, model list), reads and
 * parses a proxied request's body exactly once, and hands it to a {@link ProxyExchange}. Every
 * refusal goes out through {@link ErrorResponder}.
 */
public final class InboundHandler implements Handler<HttpServerRequest> {
  /** How much of a refused oversized body is read and dropped before the connection is closed. */
  private static final long MAX_DISCARD_BYTES = 64L * 1024 * 1024;

  private final ProxyContext ctx;
  private final Map<String, Pool> pools;
  private final long maxBodyBytes;
  private final BooleanSupplier ready;
  private final ModelsResponder models;
  private final dev.spillway.gateway.admin.AdminHandler admin;

  public InboundHandler(ProxyContext ctx, Map<String, Pool> pools, long maxBodyBytes, BooleanSupplier ready) {
    this.ctx = ctx;
    this.pools = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(pools));
    this.maxBodyBytes = maxBodyBytes;
    this.ready = ready;
    this.models = new ModelsResponder(pools.keySet());
    this.admin = new dev.spillway.gateway.admin.AdminHandler(this.pools, ctx.ticker());
  }

  @Override
  public void handle(HttpServerRequest request) {
    long startNanos = ctx.ticker().read();
    String requestId = RequestIds.next();
    String method = request.method().name();
    String path = request.path();
    RouteMatch match = RouteTable.match(method, path);
    switch (match) {
      case RouteMatch.NotFound nf -> refuse(request, requestId, startNanos, null, GatewayError.unknownRoute(method, path));
      case RouteMatch.WrongMethod wm ->
          refuse(request, requestId, startNanos, null, GatewayError.methodNotAllowed(method, path, wm.allowed()));
      case RouteMatch.Found found -> dispatch(request, requestId, startNanos, found.route());
    }
  }

  private void dispatch(HttpServerRequest request, String requestId, long startNanos, ApiRoute route) {
    switch (route.operation()) {
      case HEALTHZ -> answer(request, requestId, 200, "{\"status\":\"ok\"}");
      case READYZ -> {
        if (ready.getAsBoolean()) {
          answer(request, requestId, 200, "{\"status\":\"ready\"}");
        } else {
          ErrorResponder.send(request.response(), GatewayError.notReady(), requestId);
        }
      }
      case LIST_MODELS -> answer(request, requestId, 200, models.list());
      case GET_MODEL -> {
        String id = route.pathParam().orElseThrow();
        Optional<String> body = models.get(id);
        if (body.isPresent()) {
          answer(request, requestId, 200, body.get());
        } else {
          refuse(request, requestId, startNanos, route, GatewayError.unknownModel(id));
        }
      }
      case CHAT_COMPLETIONS, COMPLETIONS, EMBEDDINGS -> readBody(request, requestId, startNanos, route);
      case ADMIN_BACKENDS, ADMIN_FORCE_OPEN, ADMIN_DISABLE, ADMIN_RESET -> admin.handle(request, requestId, route);
    }
  }

  private void readBody(HttpServerRequest request, String requestId, long startNanos, ApiRoute route) {
    String declared = request.getHeader("content-length");
    boolean declaredTooLarge = declared != null && parseLength(declared) > maxBodyBytes;
    Buffer body = Buffer.buffer();
    long[] received = {0};
    boolean[] refused = {false};
    if (declaredTooLarge) {
      refused[0] = true;
      tooLarge(request, requestId, startNanos, route);
    }
    request.handler(
        chunk -> {
          received[0] += chunk.length();
          if (refused[0]) {
            // Already answered 413: read and drop the rest so the client sees the answer, up to a bound.
            if (received[0] > maxBodyBytes + MAX_DISCARD_BYTES) {
              request.connection().close();
            }
            return;
          }
          if (received[0] > maxBodyBytes) {
            refused[0] = true;
            tooLarge(request, requestId, startNanos, route);
            return;
          }
          body.appendBuffer(chunk);
        });
    request.exceptionHandler(err -> refused[0] = true);
    request.endHandler(
        v -> {
          if (!refused[0]) {
            onBody(request, requestId, startNanos, route, body);
          }
        });
  }

  private void tooLarge(HttpServerRequest request, String requestId, long startNanos, ApiRoute route) {
    refuse(request, requestId, startNanos, route, GatewayError.bodyTooLarge(maxBodyBytes));
  }

  private void onBody(HttpServerRequest request, String requestId, long startNanos, ApiRoute route, Buffer raw) {
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(raw.getBytes());
    } catch (JsonProcessingException e) {
      refuse(request, requestId, startNanos, route, GatewayError.invalidJson(e.getOriginalMessage()));
      return;
    } catch (IOException e) {
      refuse(request, requestId, startNanos, route, GatewayError.invalidJson("unreadable body"));
      return;
    }
    if (parsed == null || parsed.isMissingNode()) {
      refuse(request, requestId, startNanos, route, GatewayError.invalidJson("the body is empty"));
      return;
    }
    if (!(parsed instanceof ObjectNode body)) {
      refuse(request, requestId, startNanos, route, GatewayError.bodyNotObject());
      return;
    }
    String model;
    if (route.shape() == RouteShape.AZURE_CLASSIC) {
      model = route.pathParam().orElseThrow();
    } else {
      JsonNode m = body.get("model");
      if (m == null || m.isNull() || (m.isTextual() && m.asText().isEmpty())) {
        refuse(request, requestId, startNanos, route, GatewayError.missingModel());
        return;
      }
      if (!m.isTextual()) {
        refuse(request, requestId, startNanos, route, GatewayError.invalidParameter("model", "model must be a string."));
        return;
      }
      model = m.asText();
    }
    JsonNode streamFlag = body.get("stream");
    if (streamFlag != null && !streamFlag.isNull() && !streamFlag.isBoolean()) {
      refuse(request, requestId, startNanos, route, GatewayError.invalidParameter("stream", "stream must be a boolean."));
      return;
    }
    boolean stream = streamFlag != null && streamFlag.asBoolean(false) && route.operation().mayStream();
    Pool pool = pools.get(model);
    if (pool == null) {
      GatewayError error =
          route.shape() == RouteShape.AZURE_CLASSIC
              ? GatewayError.unknownDeployment(model)
              : GatewayError.unknownModel(model);
      refuse(request, requestId, startNanos, route, error);
      return;
    }
    ProxiedRequest proxied =
        new ProxiedRequest(
            requestId,
            route,
            model,
            pool,
            body,
            raw,
            stream,
            startNanos,
            RequestFacts.estimatedCostTokens(body, raw.length()),
            RequestFacts.affinityKey(request, pool.model()));
    new ProxyExchange(ctx, proxied, request).start();
  }

  private void answer(HttpServerRequest request, String requestId, int status, String json) {
    request
        .response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader(ProxyHeaders.REQUEST_ID, requestId)
        .end(json);
  }

  private void refuse(
      HttpServerRequest request, String requestId, long startNanos, ApiRoute route, GatewayError error) {
    ErrorResponder.send(request.response(), error, requestId);
    Operation op = route == null ? null : route.operation();
    ctx.listener()
        .onRequest(
            new RequestOutcome(
                requestId,
                op,
                Optional.empty(),
                Optional.empty(),
                error.status(),
                false,
                Optional.empty(),
                ctx.ticker().read() - startNanos,
                OptionalLong.empty(),
                0));
  }

  private static long parseLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
