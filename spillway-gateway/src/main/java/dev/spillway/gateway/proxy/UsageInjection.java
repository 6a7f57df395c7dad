package dev.spillway.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.api.Operation;
import dev.spillway.core.config.BackendConfig;
import dev.spillway.core.config.BackendType;

/**
 * Streams are counted exactly by asking the backend for {@code stream_options.include_usage} when
 * the client did not; the extra usage chunk is then removed before the client sees it ({@link
 * dev.spillway.core.sse.UsageChunkFilter}). Azure accepts the option from api-version 2024-09-01
 * on; older api-versions are left alone (their streams are counted by estimate).
 */
final class UsageInjection {
  private static final String FIRST_AZURE_VERSION = "2024-09-01";

  private UsageInjection() {}

  /** True when the gateway adds the option for this request on this backend. */
  static boolean applies(ProxiedRequest req, BackendConfig backend) {
    if (!req.stream()) {
      return false;
    }
    Operation op = req.route().operation();
    if (op != Operation.CHAT_COMPLETIONS && op != Operation.COMPLETIONS) {
      return false;
    }
    if (clientAskedForUsage(req.body())) {
      return false;
    }
    return backend.type() == BackendType.OPENAI || backend.apiVersion().compareTo(FIRST_AZURE_VERSION) >= 0;
  }

  static boolean clientAskedForUsage(JsonNode body) {
    return body.path("stream_options").path("include_usage").asBoolean(false);
  }

  static void addTo(ObjectNode body) {
    JsonNode options = body.get("stream_options");
    ObjectNode o = options instanceof ObjectNode existing ? existing : body.putObject("stream_options");
    o.put("include_usage", true);
  }
}
