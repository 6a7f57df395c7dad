package dev.spillway.core.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.api.Operation;
import java.util.Map;

/**
 * The beginning of a request's prompt as one text, in the order a provider reads it, for the ledger's prompt prefix
 * hash: what matters is that two prompts that begin alike render alike, and that a change early in a prompt changes
 * the rendering early. Providers do not document their rendering; this one is an approximation that keeps the order:
 *
 * <ul>
 *   <li>chat completions: the {@code tools} (and legacy {@code functions}) as JSON, then each message: its role, its
 *       string fields (name, tool call id), its content (text parts as text, other parts by their URL or data), its
 *       tool calls' names and arguments;
 *   <li>completions: the prompt (strings as they are, token arrays as their numbers);
 *   <li>responses: the {@code instructions}, the tools as JSON, then the {@code input} (a string, or items read as
 *       chat messages; other items as their JSON).
 * </ul>
 *
 * <p>The work is bounded: rendering stops after {@code maxChars} characters, however long the prompt (the caller asks
 * for about as many characters as the tokens it needs can span). Stateless; never throws on client input.
 */
public final class PromptText {
  private PromptText() {}

  /** The operations whose prompt is rendered; any other renders as the empty string. */
  public static boolean renders(Operation operation) {
    return operation == Operation.CHAT_COMPLETIONS || operation == Operation.COMPLETIONS
        || operation == Operation.RESPONSES;
  }

  /** The first {@code maxChars} characters (at most) of the rendered prompt of {@code body}. */
  public static String render(Operation operation, JsonNode body, int maxChars) {
    Bounded out = new Bounded(maxChars);
    if (body == null || !body.isObject()) {
      return "";
    }
    switch (operation) {
      case CHAT_COMPLETIONS -> {
        json(body.get("tools"), out);
        json(body.get("functions"), out);
        messages(body.get("messages"), out);
      }
      case COMPLETIONS -> prompt(body.get("prompt"), out);
      case RESPONSES -> {
        text(body.get("instructions"), out);
        json(body.get("tools"), out);
        JsonNode input = body.get("input");
        if (input != null && input.isTextual()) {
          out.line(input.textValue());
        } else {
          messages(input, out);
        }
      }
      default -> {}
    }
    return out.toString();
  }

  private static void messages(JsonNode messages, Bounded out) {
    if (messages == null || !messages.isArray()) {
      return;
    }
    for (JsonNode message : messages) {
      if (out.full()) {
        return;
      }
      if (!message.isObject()) {
        continue;
      }
      text(message.get("role"), out);
      for (Map.Entry<String, JsonNode> field : message.properties()) {
        switch (field.getKey()) {
          case "role" -> {}
          case "content" -> content(field.getValue(), out);
          case "tool_calls" -> {
            for (JsonNode call : field.getValue()) {
              function(call.get("function"), out);
            }
          }
          case "function_call" -> function(field.getValue(), out);
          default -> {
            if (field.getValue().isTextual()) {
              out.line(field.getValue().textValue());
            } else if (!field.getValue().isNull()) {
              json(field.getValue(), out); // a Responses item's fields: a call's arguments, an output
            }
          }
        }
      }
    }
  }

  private static void content(JsonNode content, Bounded out) {
    if (content.isTextual()) {
      out.line(content.textValue());
      return;
    }
    if (!content.isArray()) {
      return;
    }
    for (JsonNode part : content) {
      if (part.isTextual()) {
        out.line(part.textValue());
      } else if (part.path("text").isTextual()) {
        out.line(part.get("text").textValue());
      } else if (part.path("refusal").isTextual()) {
        out.line(part.get("refusal").textValue());
      } else if (part.path("image_url").isTextual()) {
        out.line(part.get("image_url").textValue()); // Responses: input_image
      } else if (part.path("image_url").path("url").isTextual()) {
        out.line(part.get("image_url").get("url").textValue());
      } else {
        json(part, out); // audio, files: their data stands for them
      }
    }
  }

  private static void function(JsonNode function, Bounded out) {
    if (function != null && function.isObject()) {
      text(function.get("name"), out);
      text(function.get("arguments"), out);
    }
  }

  private static void prompt(JsonNode prompt, Bounded out) {
    if (prompt == null) {
      return;
    }
    if (prompt.isTextual()) {
      out.line(prompt.textValue());
    } else if (prompt.isNumber()) {
      out.append(prompt.asText()).append(" ");
    } else if (prompt.isArray()) {
      for (JsonNode item : prompt) {
        if (out.full()) {
          return;
        }
        prompt(item, out);
      }
    }
  }

  private static void text(JsonNode node, Bounded out) {
    if (node != null && node.isTextual()) {
      out.line(node.textValue());
    }
  }

  private static void json(JsonNode node, Bounded out) {
    if (node != null && !node.isNull() && !node.isMissingNode() && !out.full()) {
      out.line(node.toString());
    }
  }

  /** A string builder that keeps at most its capacity. */
  private static final class Bounded {
    private final StringBuilder text = new StringBuilder();
    private final int capacity;

    Bounded(int capacity) {
      this.capacity = capacity;
    }

    boolean full() {
      return text.length() >= capacity;
    }

    Bounded append(String s) {
      int room = capacity - text.length();
      if (room > 0) {
        text.append(s, 0, Math.min(room, s.length()));
      }
      return this;
    }

    void line(String s) {
      append(s).append("\n");
    }

    @Override
    public String toString() {
      return text.toString();
    }
  }
}
