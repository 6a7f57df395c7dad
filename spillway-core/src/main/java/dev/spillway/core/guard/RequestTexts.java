package dev.spillway.core.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.spillway.core.api.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The texts of a request that the input guard reads, and where each sits in the body so a masked text can be put back:
 * what the caller's end user and tools wrote, not the application's own instructions.
 *
 * <ul>
 *   <li>chat completions: the content of {@code user}, {@code tool} and {@code function} messages (a string, or each
 *       {@code text} part);
 *   <li>completions: {@code prompt} (a string or each string of an array);
 *   <li>embeddings: {@code input} (a string or each string of an array; token arrays are not text);
 *   <li>Responses: {@code input} (a string; or each user message item's content, string or {@code input_text} parts;
 *       and each {@code function_call_output}'s output).
 * </ul>
 *
 * System and developer messages, {@code instructions} and assistant turns are the application's and are not read.
 * Not thread-safe: one per request; {@link #replace} changes the body it was made from.
 */
public final class RequestTexts {
  private static final Set<String> CALLER_ROLES = Set.of("user", "tool", "function");

  /** Where one text sits: a field of an object, or an element of an array. */
  private record Slot(JsonNode container, String field, int index, String text) {}

  private final List<Slot> slots = new ArrayList<>();

  private RequestTexts() {}

  /** The texts of {@code body}, a request of {@code operation}; none for an operation that carries no prompt text. */
  public static RequestTexts of(Operation operation, JsonNode body) {
    RequestTexts t = new RequestTexts();
    if (body == null || !body.isObject()) {
      return t;
    }
    switch (operation) {
      case CHAT_COMPLETIONS -> {
        for (JsonNode m : body.path("messages")) {
          if (CALLER_ROLES.contains(m.path("role").asText())) {
            t.content(m);
          }
        }
      }
      case COMPLETIONS -> t.stringOrStrings(body, "prompt");
      case EMBEDDINGS -> t.stringOrStrings(body, "input");
      case RESPONSES -> t.responsesInput(body);
      default -> { }
    }
    return t;
  }

  private void responsesInput(JsonNode body) {
    JsonNode input = body.get("input");
    if (input != null && input.isTextual()) {
      slots.add(new Slot(body, "input", -1, input.textValue()));
      return;
    }
    for (JsonNode item : body.path("input")) {
      String type = item.path("type").asText("message");
      if (type.equals("message") && item.path("role").asText().equals("user")) {
        content(item);
      } else if (type.equals("function_call_output") && item.path("output").isTextual()) {
        slots.add(new Slot(item, "output", -1, item.get("output").textValue()));
      }
    }
  }

  /** A message's content: a string, or the text of each text part. */
  private void content(JsonNode message) {
    JsonNode content = message.get("content");
    if (content == null) {
      return;
    }
    if (content.isTextual()) {
      slots.add(new Slot(message, "content", -1, content.textValue()));
      return;
    }
    for (JsonNode part : content) {
      String type = part.path("type").asText();
      if ((type.equals("text") || type.equals("input_text")) && part.path("text").isTextual()) {
        slots.add(new Slot(part, "text", -1, part.get("text").textValue()));
      }
    }
  }

  private void stringOrStrings(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null) {
      return;
    }
    if (v.isTextual()) {
      slots.add(new Slot(body, field, -1, v.textValue()));
      return;
    }
    if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        if (v.get(i).isTextual()) {
          slots.add(new Slot(v, null, i, v.get(i).textValue()));
        }
      }
    }
  }

  /** How many texts. */
  public int size() {
    return slots.size();
  }

  /** The {@code i}-th text. */
  public String text(int i) {
    return slots.get(i).text();
  }

  /** Every text, in body order. */
  public List<String> texts() {
    return slots.stream().map(Slot::text).toList();
  }

  /** Puts {@code text} in the place of the {@code i}-th text, in the body. */
  public void replace(int i, String text) {
    Slot s = slots.get(i);
    if (s.field() != null) {
      ((ObjectNode) s.container()).set(s.field(), TextNode.valueOf(text));
    } else {
      ((ArrayNode) s.container()).set(s.index(), TextNode.valueOf(text));
    }
    slots.set(i, new Slot(s.container(), s.field(), s.index(), text));
  }
}
