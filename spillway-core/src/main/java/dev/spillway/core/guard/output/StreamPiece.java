package dev.spillway.core.guard.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * What one entry of a stream chunk's {@code choices} carries, as the {@link StreamGuard} sorts it: the choice's index,
 * its generated text if any ({@code delta.content}, or {@code text} in a legacy completion chunk; empty text counts as
 * none), whether it ends the choice ({@code finish_reason}), and whether it carries anything else that must keep its
 * place after the text before it (a role, tool calls, a refusal, Azure's filter results marked filtered, any field not
 * known to be harmless). An entry with neither is quiet: its text can be held and the entry dropped.
 *
 * @param text the generated text, or null
 * @param legacy whether the entry is a legacy completion's ({@code text} rather than {@code delta})
 * @param finish whether it has a finish reason
 * @param other whether it carries anything besides text and a finish reason
 */
record StreamPiece(int index, String text, boolean legacy, boolean finish, boolean other) {
  /** Top-level keys of a chunk that say nothing of their own. */
  private static final Set<String> QUIET_KEYS =
      Set.of("id", "object", "created", "model", "system_fingerprint", "service_tier", "obfuscation", "choices");

  /** Whether the piece is only text (or nothing): no finish reason, nothing else. */
  boolean quiet() {
    return !finish && !other;
  }

  static StreamPiece of(ObjectNode entry) {
    String text = null;
    boolean legacy = false;
    boolean other = false;
    for (Map.Entry<String, JsonNode> field : entry.properties()) {
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "index", "logprobs", "finish_reason" -> { }
        case "delta" -> {
          if (value instanceof ObjectNode delta) {
            for (Map.Entry<String, JsonNode> d : delta.properties()) {
              if (d.getKey().equals("content") && d.getValue().isTextual()) {
                text = nonEmpty(d.getValue().textValue());
              } else {
                other |= present(d.getValue());
              }
            }
          } else {
            other |= present(value);
          }
        }
        case "text" -> {
          if (value.isTextual()) {
            legacy = true;
            text = nonEmpty(value.textValue());
          } else {
            other |= present(value);
          }
        }
        case "content_filter_results" -> other |= filtered(value);
        default -> other |= present(value);
      }
    }
    return new StreamPiece(entry.path("index").asInt(0), text, legacy, present(entry.get("finish_reason")), other);
  }

  /** Whether a chunk says something at its top level (usage, an error, prompt filter results, ...). */
  static boolean loud(ObjectNode chunk) {
    for (Map.Entry<String, JsonNode> field : chunk.properties()) {
      if (!QUIET_KEYS.contains(field.getKey()) && present(field.getValue())) {
        return true;
      }
    }
    return false;
  }

  /** Takes this piece's text out of {@code entry}, and the log probabilities that spell it. */
  void stripText(ObjectNode entry) {
    if (legacy) {
      entry.put("text", "");
    } else if (entry.get("delta") instanceof ObjectNode delta) {
      delta.remove("content");
    }
    if (present(entry.get("logprobs"))) {
      entry.putNull("logprobs");
    }
  }

  private static String nonEmpty(String s) {
    return s.isEmpty() ? null : s;
  }

  private static boolean present(JsonNode node) {
    return node != null && !node.isNull() && !node.isMissingNode();
  }

  private static boolean filtered(JsonNode results) {
    for (JsonNode f : results.findValues("filtered")) {
      if (f.asBoolean(false)) {
        return true;
      }
    }
    return false;
  }
}
