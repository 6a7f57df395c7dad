package dev.spillway.gateway.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.SessionAffinity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/** Facts about a request that routing needs beyond its model: its rough cost and its session. */
final class RequestFacts {
  /** A rough bytes-per-token ratio for English JSON; exact counting comes with the token accounting work. */
  private static final int BYTES_PER_TOKEN = 4;

  private RequestFacts() {}

  /** Prompt size guessed from the body length, plus the output the client allows. */
  static long estimatedCostTokens(ObjectNode body, int bodyBytes) {
    long output = 0;
    for (String field : new String[] {"max_completion_tokens", "max_tokens"}) {
      JsonNode n = body.get(field);
      if (n != null && n.canConvertToLong() && n.asLong() > 0) {
        output = n.asLong();
        break;
      }
    }
    return bodyBytes / BYTES_PER_TOKEN + output;
  }

  /** The session key from the configured header or cookie, when the model has session affinity. */
  static Optional<String> affinityKey(HttpServerRequest request, ModelConfig model) {
    if (model.affinity().isEmpty()) {
      return Optional.empty();
    }
    SessionAffinity affinity = model.affinity().get();
    String value =
        switch (affinity.source()) {
          case HEADER -> request.getHeader(affinity.name());
          case COOKIE -> {
            Cookie cookie = request.getCookie(affinity.name());
            yield cookie == null ? null : cookie.getValue();
          }
        };
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }
}
