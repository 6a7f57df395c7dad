package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.StringJoiner;

/**
 * The user's text in a prompt, which the simulated content filters look for trigger terms in: for chat, the content
 * of the {@code user} messages (a string, or the {@code text} of its parts); for completions, the prompt string(s);
 * for the Responses API, the text parts of its {@code user} message items (a string input is one). System, developer
 * and assistant text is left out, so that instructions a gateway adds cannot trigger a filter. Pieces are joined by
 * line breaks, so a term never spans two of them. Pure.
 */
final class UserText {
  private UserText() {}

  /** The user text of a chat or text completion body (already validated by {@link CompletionRequest}). */
  static String of(Operation op, JsonNode body) {
    StringJoiner text = new StringJoiner("\n");
    if (op == Operation.CHAT_COMPLETIONS) {
      for (JsonNode message : body.path("messages")) {
        if (message.path("role").asText("").equals("user")) {
          parts(message.get("content"), text);
        }
      }
    } else {
      JsonNode prompt = body.path("prompt");
      if (prompt.isTextual()) {
        text.add(prompt.asText());
      }
      for (JsonNode item : prompt) {
        if (item.isTextual()) {
          text.add(item.asText());
        }
      }
    }
    return text.toString();
  }

  /** The user text of a Responses API request. */
  static String of(ResponseRequest request) {
    StringJoiner text = new StringJoiner("\n");
    for (ObjectNode item : request.input()) {
      if (item.path("type").asText("message").equals("message") && item.path("role").asText("").equals("user")) {
        parts(item.get("content"), text);
      }
    }
    return text.toString();
  }

  private static void parts(JsonNode content, StringJoiner text) {
    if (content == null) {
      return;
    }
    if (content.isTextual()) {
      text.add(content.asText());
    }
    for (JsonNode part : content) {
      if (part.path("text").isTextual()) {
        text.add(part.get("text").asText());
      }
    }
  }
}
