package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;

/**
 * The facts the simulator needs from a {@code chat/completions} or {@code completions} body.
 *
 * <p>Prompt tokens are counted with {@code o200k_base}: for chat, the text of every message's
 * content (string or text parts) and name, plus {@value TokenCounter#TOKENS_PER_MESSAGE} per
 * message and {@value TokenCounter#TOKENS_PER_REPLY_PRIMER} for the reply; for completions, the
 * prompt string(s) or token arrays.
 *
 * @param operation chat or text completions
 * @param promptTokens tokens in the prompt
 * @param maxTokens {@code max_completion_tokens}, else {@code max_tokens}, if set
 * @param stream whether the client asked for SSE
 * @param includeUsage whether {@code stream_options.include_usage} is true
 */
record CompletionRequest(
    Operation operation, int promptTokens, OptionalInt maxTokens, boolean stream, boolean includeUsage) {

  /** The largest output a request may ask for, as for GPT-4o. */
  static final int MAX_OUTPUT_TOKENS = 16_384;

  /** Reads {@code body}; throws {@link InvalidRequestException} for what a real service rejects. */
  static CompletionRequest parse(Operation operation, JsonNode body) {
    int prompt = operation == Operation.CHAT_COMPLETIONS ? chatPromptTokens(body) : textPromptTokens(body);
    OptionalInt max = maxTokens(body, "max_completion_tokens");
    if (max.isEmpty()) {
      max = maxTokens(body, "max_tokens");
    }
    boolean stream = bool(body, "stream");
    JsonNode options = body.get("stream_options");
    boolean includeUsage = false;
    if (options != null && !options.isNull()) {
      if (!stream) {
        throw new InvalidRequestException(
            "The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options");
      }
      includeUsage = bool(options, "include_usage");
    }
    return new CompletionRequest(operation, prompt, max, stream, includeUsage);
  }

  private static int chatPromptTokens(JsonNode body) {
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw new InvalidRequestException("'messages' must be a non-empty array.", "messages");
    }
    int tokens = TokenCounter.TOKENS_PER_REPLY_PRIMER;
    for (JsonNode message : messages) {
      if (!message.isObject() || !message.path("role").isTextual()) {
        throw new InvalidRequestException("Each message must be an object with a 'role'.", "messages");
      }
      tokens += TokenCounter.TOKENS_PER_MESSAGE + contentTokens(message.get("content"));
      if (message.path("name").isTextual()) {
        tokens += TokenCounter.count(message.get("name").asText());
      }
    }
    return tokens;
  }

  private static int contentTokens(JsonNode content) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return TokenCounter.count(content.asText());
    }
    if (content.isArray()) {
      int tokens = 0;
      for (JsonNode part : content) {
        if (part.path("text").isTextual()) {
          tokens += TokenCounter.count(part.get("text").asText());
        }
      }
      return tokens;
    }
    throw new InvalidRequestException("A message 'content' must be a string or an array of parts.", "messages");
  }

  private static int textPromptTokens(JsonNode body) {
    JsonNode prompt = body.get("prompt");
    if (prompt == null || prompt.isNull()) {
      throw new InvalidRequestException("'prompt' is a required property.", "prompt");
    }
    if (prompt.isTextual()) {
      return TokenCounter.count(prompt.asText());
    }
    if (prompt.isArray()) {
      int tokens = 0;
      for (JsonNode item : prompt) {
        if (item.isTextual()) {
          tokens += TokenCounter.count(item.asText());
        } else if (item.isInt()) {
          tokens += 1;
        } else if (item.isArray()) {
          tokens += item.size();
        } else {
          throw new InvalidRequestException("'prompt' must be a string, strings or token arrays.", "prompt");
        }
      }
      return tokens;
    }
    throw new InvalidRequestException("'prompt' must be a string, strings or token arrays.", "prompt");
  }

  private static OptionalInt maxTokens(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return OptionalInt.empty();
    }
    if (!value.isIntegralNumber() || value.asLong() < 1 || value.asLong() > MAX_OUTPUT_TOKENS) {
      throw new InvalidRequestException(
          "'" + field + "' must be an integer between 1 and " + MAX_OUTPUT_TOKENS + ".", field);
    }
    return OptionalInt.of(value.asInt());
  }

  private static boolean bool(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new InvalidRequestException("'" + field + "' must be a boolean.", field);
    }
    return value.booleanValue();
  }
}
