package dev.spillway.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A kept Responses API answer as the event stream the API sends: {@code response.created} and {@code
 * response.in_progress} (the response in progress, no output yet), then per output item {@code
 * response.output_item.added}, its content (for a message: per part {@code response.content_part.added}, the text as
 * one {@code response.output_text.delta} — or {@code response.refusal.delta} — its {@code .done}, {@code
 * response.content_part.done}; for a function call: its arguments as one {@code
 * response.function_call_arguments.delta} and {@code .done}), {@code response.output_item.done}, and last {@code
 * response.completed} (or {@code response.incomplete} for a response cut at its output limit) with the whole response
 * and its usage. Each event is {@code event: <type>} and {@code data:
 * <json>} with a {@code sequence_number} counting from 0. Pure.
 */
final class ResponseReplay {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream out;
  private int sequence;

  private ResponseReplay(int size) {
    out = new ByteArrayOutputStream(size);
  }

  static byte[] asStream(byte[] answer) {
    JsonNode response;
    try {
      response = JSON.readTree(answer);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a stored response", e);
    }
    ResponseReplay r = new ResponseReplay(answer.length * 3 + 512);
    ObjectNode inProgress = ((ObjectNode) response).deepCopy();
    inProgress.put("status", "in_progress");
    inProgress.putArray("output");
    inProgress.putNull("usage");
    r.emit(r.event("response.created").set("response", inProgress));
    r.emit(r.event("response.in_progress").set("response", inProgress));
    int index = 0;
    for (JsonNode item : response.path("output")) {
      r.item(index++, item);
    }
    String last = response.path("status").asText().equals("incomplete") ? "response.incomplete" : "response.completed";
    r.emit(r.event(last).set("response", response));
    return r.out.toByteArray();
  }

  private void item(int index, JsonNode item) {
    String type = item.path("type").asText();
    String id = item.path("id").asText("");
    ObjectNode added = item.deepCopy();
    added.put("status", "in_progress");
    if (type.equals("message")) {
      added.putArray("content");
    } else if (type.equals("function_call")) {
      added.put("arguments", "");
    }
    emit(event("response.output_item.added").put("output_index", index).set("item", added));
    if (type.equals("message")) {
      int part = 0;
      for (JsonNode p : item.path("content")) {
        content(id, index, part++, p);
      }
    } else if (type.equals("function_call")) {
      String arguments = item.path("arguments").asText("");
      emit(event("response.function_call_arguments.delta").put("item_id", id).put("output_index", index)
          .put("delta", arguments));
      emit(event("response.function_call_arguments.done").put("item_id", id).put("output_index", index)
          .put("arguments", arguments));
    }
    emit(event("response.output_item.done").put("output_index", index).set("item", item));
  }

  private void content(String itemId, int index, int part, JsonNode p) {
    boolean refusal = p.path("type").asText().equals("refusal");
    String field = refusal ? "refusal" : "text";
    String text = p.path(field).asText("");
    ObjectNode empty = p.deepCopy();
    empty.put(field, "");
    emit(inContent("response.content_part.added", itemId, index, part).set("part", empty));
    String kind = refusal ? "response.refusal" : "response.output_text";
    if (!text.isEmpty()) {
      emit(inContent(kind + ".delta", itemId, index, part).put("delta", text));
    }
    emit(inContent(kind + ".done", itemId, index, part).put(field, text));
    emit(inContent("response.content_part.done", itemId, index, part).set("part", p));
  }

  private ObjectNode inContent(String type, String itemId, int index, int part) {
    return event(type).put("item_id", itemId).put("output_index", index).put("content_index", part);
  }

  private ObjectNode event(String type) {
    ObjectNode e = JSON.createObjectNode();
    e.put("type", type);
    e.put("sequence_number", sequence++);
    return e;
  }

  private void emit(JsonNode event) {
    out.writeBytes(("event: " + event.get("type").asText() + "\ndata: " + event + "\n\n")
        .getBytes(StandardCharsets.UTF_8));
  }
}
