package dev.spillway.core.guard.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * The chunks a guarded stream makes itself, in the stream's own likeness: its id, object, created, model, system
 * fingerprint and service tier (and {@code usage: null} when its chunks carry that), taken from its first chunk with
 * choices, and in that chunk's key order. Two kinds: a chunk releasing checked text of one choice, and the last chunk
 * of a choice the guard filtered. Chat chunks carry text in {@code delta.content}; legacy completion chunks in {@code
 * text}. Immutable.
 */
final class ChunkTemplate {
  private static final Set<String> KEPT =
      Set.of("id", "object", "created", "model", "system_fingerprint", "service_tier");

  private final ObjectNode base;

  private ChunkTemplate(ObjectNode base) {
    this.base = base;
  }

  /** The template of the stream whose first chunk with choices is {@code chunk}. */
  static ChunkTemplate of(ObjectNode chunk) {
    ObjectNode base = chunk.objectNode();
    for (Map.Entry<String, JsonNode> field : chunk.properties()) {
      String key = field.getKey();
      if (KEPT.contains(key)) {
        base.set(key, field.getValue().deepCopy());
      } else if (key.equals("choices")) {
        base.putArray("choices");
      } else if (key.equals("usage")) {
        base.putNull("usage");
      }
    }
    return new ChunkTemplate(base);
  }

  /** A chunk releasing {@code text} of choice {@code index}. */
  ObjectNode content(int index, String text, boolean legacy) {
    ObjectNode chunk = chunk(legacy);
    ObjectNode choice = chunk.withArrayProperty("choices").addObject();
    choice.put("index", index);
    if (legacy) {
      choice.put("text", text);
    } else {
      choice.putObject("delta").put("content", text);
    }
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return chunk;
  }

  /** The last chunk of choice {@code index}, filtered by the guard for what {@code results} say. */
  ObjectNode filtered(int index, boolean legacy, ObjectNode results) {
    ObjectNode chunk = chunk(legacy);
    ObjectNode choice = chunk.withArrayProperty("choices").addObject();
    choice.put("index", index);
    if (legacy) {
      choice.put("text", "");
    } else {
      choice.putObject("delta");
    }
    choice.putNull("logprobs");
    choice.put("finish_reason", "content_filter");
    choice.set("content_filter_results", results);
    return chunk;
  }

  private ObjectNode chunk(boolean legacy) {
    ObjectNode chunk = base.deepCopy();
    if (!chunk.has("choices")) {
      chunk.putArray("choices");
    }
    if (!chunk.path("object").isTextual() || chunk.get("object").textValue().isEmpty()) {
      chunk.put("object", legacy ? "text_completion" : "chat.completion.chunk");
    }
    return chunk;
  }
}
