package dev.spillway.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * The Responses API in the cache. A response is stored by the backend unless the request says {@code store: false}
 * (and then its id can be fetched, chained and deleted there: an answer from the cache would hand out an id the
 * backend never made), so only {@code store: false} requests are cached; so are neither background runs nor requests
 * that read state kept elsewhere ({@code conversation}, a stored {@code prompt}). A {@code previous_response_id} is
 * kept in the exact key (the turn it names never changes) but keeps the request out of the semantic layer.
 *
 * <p>The semantic layer reads {@code instructions} as a system message and {@code input} (a string, or message items
 * of text parts) as the dialog; any other item (a function call's output, an image, a file) leaves the request to the
 * exact layer. A streamed answer is the {@code response.completed} event's response ({@link StreamedResponse}); a kept
 * answer is replayed as the Responses event stream ({@link ResponseReplay}). Complete means {@code status:
 * completed}, or {@code incomplete} for {@code max_output_tokens} alone, with no error and nothing filtered.
 */
public final class ResponsesShape implements AnswerShape {
  static final ResponsesShape INSTANCE = new ResponsesShape();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TEXT_PARTS = Set.of("input_text", "output_text", "text");

  private ResponsesShape() {}

  @Override
  public String api() {
    return "responses";
  }

  @Override
  public Optional<String> bypassReason(JsonNode body) {
    JsonNode store = body.get("store");
    if (store == null || !store.isBoolean() || store.booleanValue()) {
      return Optional.of("stored by the backend (store is not false)");
    }
    if (body.path("background").asBoolean(false)) {
      return Optional.of("background");
    }
    for (String stateful : new String[] {"conversation", "prompt"}) {
      JsonNode v = body.get(stateful);
      if (v != null && !v.isNull()) {
        return Optional.of(stateful + " kept by the backend");
      }
    }
    return Optional.empty();
  }

  @Override
  public Optional<JsonNode> semanticView(JsonNode body) {
    JsonNode previous = body.get("previous_response_id");
    if (previous != null && !previous.isNull()) {
      return Optional.empty();
    }
    ObjectNode view = JSON.createObjectNode();
    body.properties().forEach(e -> {
      if (!e.getKey().equals("input") && !e.getKey().equals("instructions")) {
        view.set(e.getKey(), e.getValue());
      }
    });
    ArrayNode messages = view.putArray("messages");
    JsonNode instructions = body.get("instructions");
    if (instructions != null && instructions.isTextual()) {
      messages.addObject().put("role", "system").put("content", instructions.textValue());
    }
    JsonNode input = body.get("input");
    if (input != null && input.isTextual()) {
      messages.addObject().put("role", "user").put("content", input.textValue());
      return Optional.of(view);
    }
    if (input == null || !input.isArray()) {
      return Optional.empty();
    }
    for (JsonNode item : input) {
      String type = item.path("type").asText("message");
      String text = textOf(item.get("content"));
      if (!type.equals("message") || !item.path("role").isTextual() || text == null) {
        return Optional.empty();
      }
      messages.addObject().put("role", item.get("role").textValue()).put("content", text);
    }
    return Optional.of(view);
  }

  /** A message item's text: a string, or its text parts joined; null when it has any other part. */
  private static String textOf(JsonNode content) {
    if (content != null && content.isTextual()) {
      return content.textValue();
    }
    if (content == null || !content.isArray() || content.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (!TEXT_PARTS.contains(part.path("type").asText()) || !part.path("text").isTextual()) {
        return null;
      }
      sb.append(sb.isEmpty() ? "" : "\n").append(part.get("text").textValue());
    }
    return sb.toString();
  }

  @Override
  public StreamAssembler assembler(int maxBytes) {
    return new StreamedResponse(maxBytes);
  }

  @Override
  public Optional<byte[]> completeJson(byte[] answer) {
    try {
      JsonNode n = JSON.readTree(answer);
      return complete(n) ? Optional.of(answer) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether {@code response} finished: {@code status: completed}, or {@code incomplete} only because it reached {@code
   * max_output_tokens} (as a chat completion's {@code length}, the same request is cut at the same place); no error,
   * nothing filtered.
   */
  static boolean complete(JsonNode response) {
    if (response == null || !"response".equals(response.path("object").asText())) {
      return false;
    }
    String status = response.path("status").asText();
    JsonNode incomplete = response.get("incomplete_details");
    boolean finished = status.equals("completed") && (incomplete == null || incomplete.isNull())
        || status.equals("incomplete") && incomplete != null
            && "max_output_tokens".equals(incomplete.path("reason").asText());
    JsonNode error = response.get("error");
    return finished && (error == null || error.isNull()) && !response.toString().contains("\"filtered\":true");
  }

  @Override
  public byte[] replay(byte[] answer, JsonNode request) {
    return ResponseReplay.asStream(answer);
  }
}
