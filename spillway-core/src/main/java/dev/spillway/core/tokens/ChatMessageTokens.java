package dev.spillway.core.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.api.Encoding;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Prompt tokens of a chat {@code messages} array, by the rule of the OpenAI cookbook "How to count
 * tokens with tiktoken" ({@code num_tokens_from_messages}, for gpt-3.5-turbo-0613 and later, gpt-4
 * and gpt-4o): 3 tokens per message, the tokens of every string field of the message (role,
 * content, name, ...), 1 more per {@code name}, and 3 for the priming of the reply ({@code
 * <|start|>assistant<|message|>}). The cookbook prints the API's own count next to it: 129 on
 * gpt-4 / gpt-3.5-turbo and 124 on gpt-4o / gpt-4o-mini for its example, both matched.
 *
 * <p>Beyond the cookbook, which only knows string fields: content given as an array of parts counts
 * its {@code text} (and {@code refusal}) parts as text and its {@code image_url} parts by {@link
 * ImageTokens}; audio and file parts count 0 (their cost is not derivable from the request). The
 * {@code tool_calls} of an assistant message, and a legacy {@code function_call}, count the tokens
 * of each function name plus its arguments JSON string, with no per-call overhead (an
 * approximation: OpenAI does not document how calls are rendered).
 *
 * <p>A Responses API {@code input} array reads the same way: its message items are messages (parts {@code
 * input_text}, {@code output_text}, {@code input_image}), and its other items ({@code function_call}, {@code
 * function_call_output}, ...) count their string fields, as a message does.
 */
final class ChatMessageTokens {
  static final int TOKENS_PER_MESSAGE = 3;
  static final int TOKENS_PER_NAME = 1;
  static final int REPLY_PRIMING = 3;

  private ChatMessageTokens() {}

  /** 0 when {@code messages} is absent or not an array. */
  static long count(JsonNode messages, Encoding encoding, ImageTokens.Rates imageRates) {
    if (messages == null || !messages.isArray()) {
      return 0;
    }
    long total = REPLY_PRIMING;
    for (JsonNode message : messages) {
      total += TOKENS_PER_MESSAGE;
      if (!message.isObject()) {
        continue;
      }
      for (Map.Entry<String, JsonNode> field : message.properties()) {
        total += field(field.getKey(), field.getValue(), encoding, imageRates);
      }
    }
    return total;
  }

  private static long field(String key, JsonNode value, Encoding encoding, ImageTokens.Rates imageRates) {
    switch (key) {
      case "content":
        return content(value, encoding, imageRates);
      case "tool_calls":
        long calls = 0;
        if (value.isArray()) {
          for (JsonNode call : value) {
            calls += functionCall(call.get("function"), encoding);
          }
        }
        return calls;
      case "function_call":
        return functionCall(value, encoding);
      default:
        if (!value.isTextual()) {
          return 0;
        }
        if ("role".equals(key)) {
          return roleTokens(value.textValue(), encoding);
        }
        long tokens = encoding.countTokensOrdinary(value.textValue());
        return "name".equals(key) ? tokens + TOKENS_PER_NAME : tokens;
    }
  }

  /** The roles messages name, counted once per encoding: every message has one, and tokenizing it allocates. */
  private static final List<String> ROLES = List.of("system", "user", "assistant", "tool", "developer", "function");

  private static final Map<Encoding, int[]> ROLE_TOKENS = new ConcurrentHashMap<>();

  private static long roleTokens(String role, Encoding encoding) {
    int i = ROLES.indexOf(role);
    if (i < 0) {
      return encoding.countTokensOrdinary(role);
    }
    int[] known = ROLE_TOKENS.get(encoding);
    if (known != null) {
      return known[i];
    }
    return ROLE_TOKENS.computeIfAbsent(encoding, e -> {
      int[] counts = new int[ROLES.size()];
      for (int r = 0; r < counts.length; r++) {
        counts[r] = e.countTokensOrdinary(ROLES.get(r));
      }
      return counts;
    })[i];
  }

  private static long content(JsonNode content, Encoding encoding, ImageTokens.Rates imageRates) {
    if (content.isTextual()) {
      return encoding.countTokensOrdinary(content.textValue());
    }
    if (!content.isArray()) {
      return 0;
    }
    long total = 0;
    for (JsonNode part : content) {
      if (part.isTextual()) {
        total += encoding.countTokensOrdinary(part.textValue());
        continue;
      }
      JsonNode type = part.get("type");
      String partType = type != null && type.isTextual() ? type.textValue() : "";
      switch (partType) {
        case "image_url" -> total += ImageTokens.forImageUrl(part.get("image_url"), imageRates);
        case "input_image" -> total += "low".equalsIgnoreCase(part.path("detail").asText(""))
            ? imageRates.baseTokens()
            : ImageTokens.forImageUrl(part.get("image_url"), imageRates); // Responses API: the URL is a string
        case "input_file" -> {}
        case "refusal" -> total += textOf(part.get("refusal"), encoding);
        case "input_audio", "file" -> {}
        default -> total += textOf(part.get("text"), encoding);
      }
    }
    return total;
  }

  private static long functionCall(JsonNode function, Encoding encoding) {
    if (function == null || !function.isObject()) {
      return 0;
    }
    return textOf(function.get("name"), encoding) + textOf(function.get("arguments"), encoding);
  }

  private static long textOf(JsonNode node, Encoding encoding) {
    return node != null && node.isTextual() ? encoding.countTokensOrdinary(node.textValue()) : 0;
  }
}
