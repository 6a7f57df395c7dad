package dev.spillway.gateway.forward.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.Operation;
import dev.spillway.gateway.pipeline.RequestContext;

/**
 * Streams are counted exactly by asking the backend for {@code stream_options.include_usage} when the client did not;
 * the extra usage chunk is then removed before the client sees it ({@link dev.spillway.core.sse.UsageChunkFilter}).
 * Whether a backend understands the option is its {@link Dialect}'s call.
 */
final class UsageInjection {
  private UsageInjection() {}

  /** A streamed chat or text completion whose client did not ask for usage itself. */
  static boolean wanted(RequestContext ctx) {
    if (!ctx.stream()) {
      return false;
    }
    Operation op = ctx.route().operation();
    if (op != Operation.CHAT_COMPLETIONS && op != Operation.COMPLETIONS) {
      return false;
    }
    return !ctx.json().path("stream_options").path("include_usage").asBoolean(false);
  }

  static void addTo(ObjectNode body) {
    JsonNode options = body.get("stream_options");
    ObjectNode o = options instanceof ObjectNode existing ? existing : body.putObject("stream_options");
    o.put("include_usage", true);
  }
}
