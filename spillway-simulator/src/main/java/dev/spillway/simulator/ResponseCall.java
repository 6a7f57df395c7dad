package dev.spillway.simulator;

import io.vertx.core.http.HttpMethod;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A call on one stored response of the Responses API, named by the URL {@code responses/{id}...}:
 * these cost no tokens and address no deployment, only the simulator instance that holds the id.
 *
 * @param responseId the {@code resp_...} id from the path, URL-decoded
 * @param target what the call reads or changes
 */
record ResponseCall(String responseId, Target target) {

  /** The part of a stored response a call is about, and the methods it accepts. */
  enum Target {
    /** {@code responses/{id}}: GET retrieves, DELETE deletes. */
    RESPONSE(List.of(HttpMethod.GET, HttpMethod.DELETE)),
    /** {@code responses/{id}/input_items}: GET lists the input items. */
    INPUT_ITEMS(List.of(HttpMethod.GET)),
    /** {@code responses/{id}/cancel}: POST cancels a background response. */
    CANCEL(List.of(HttpMethod.POST));

    private final List<HttpMethod> methods;

    Target(List<HttpMethod> methods) {
      this.methods = methods;
    }
  }

  /** The methods this call accepts, in {@code allow} header order. */
  List<HttpMethod> allowedMethods() {
    return target.methods;
  }

  /** The call for the path after {@code responses/}, e.g. {@code resp_1/input_items}; empty when it is none. */
  static Optional<ResponseCall> parse(String afterResponses) {
    String[] segments = afterResponses.split("/", -1);
    String id = URLDecoder.decode(segments[0], StandardCharsets.UTF_8);
    if (id.isBlank() || segments.length > 2) {
      return Optional.empty();
    }
    if (segments.length == 1) {
      return Optional.of(new ResponseCall(id, Target.RESPONSE));
    }
    return switch (segments[1]) {
      case "input_items" -> Optional.of(new ResponseCall(id, Target.INPUT_ITEMS));
      case "cancel" -> Optional.of(new ResponseCall(id, Target.CANCEL));
      default -> Optional.empty();
    };
  }
}
