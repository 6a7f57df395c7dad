package dev.spillway.gateway.proxy;

import dev.spillway.core.api.Operation;
import dev.spillway.core.tokens.TokenEstimator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.config.ModelConfig;
import dev.spillway.core.config.SessionAffinity;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import java.util.Optional;

/** Facts about a request that routing needs beyond its model: its rough cost and its session. */
final class RequestFacts {
  private RequestFacts() {}

  /** Prompt tokens counted with the model family's tokenizer. */
  static long promptTokens(TokenEstimator estimator, Operation op, ObjectNode body, String model) {
    return estimator.promptTokens(op, body, model);
  }

  /** Output the request may produce: its {@code max_(completion_)tokens} × n, else {@code limits.defaultMaxTokens}. */
  static long expectedOutputTokens(TokenEstimator estimator, Operation op, ObjectNode body, long defaultMaxTokens) {
    return estimator.expectedOutputTokens(op, body, defaultMaxTokens);
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
