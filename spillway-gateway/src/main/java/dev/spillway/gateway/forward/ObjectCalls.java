package dev.spillway.gateway.forward;

import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.gateway.forward.dialect.Dialect;
import dev.spillway.gateway.pipeline.RequestContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The upstream URL of one request: the dialect's, with the object id and, for a call on an object, the client's query
 * parameters (the pagination of {@code input_items}: {@code limit}, {@code after}, {@code order}, {@code include[]}).
 * Parameters are decoded and encoded again, so nothing in them can reach past the query; the client's {@code
 * api-version} is never passed on (the backend's own is).
 */
final class ObjectCalls {
  private ObjectCalls() {}

  static String uri(Dialect dialect, BackendConfig backend, RequestContext ctx) {
    Operation operation = ctx.route().operation();
    if (!operation.onObject()) {
      return dialect.uri(backend, operation);
    }
    String id = ctx.route().pathParam().orElse("");
    String sub = ctx.route().subPath(); // plain names only (the route table checked): passed as they came
    return dialect.uri(backend, operation, encode(id) + (sub.isEmpty() ? "" : "/" + sub), query(ctx));
  }

  private static String query(RequestContext ctx) {
    io.vertx.core.MultiMap params;
    try {
      params = ctx.httpRequest().params();
    } catch (IllegalArgumentException malformed) {
      return ""; // a broken escape: the backend's defaults, rather than a guess at what was meant
    }
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> p : params) {
      if (p.getKey().equalsIgnoreCase("api-version")) {
        continue;
      }
      if (!out.isEmpty()) {
        out.append('&');
      }
      out.append(encode(p.getKey())).append('=').append(encode(p.getValue()));
    }
    return out.toString();
  }

  /** Percent-encoding for a path segment or a query part (a space as {@code %20}, which both read alike). */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
