package dev.spillway.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The facts the simulator needs from a Responses API create body ({@code POST responses}).
 *
 * <p>Input tokens are counted as for chat (see {@link CompletionRequest}), so that the same
 * conversation costs the same on both APIs: {@code instructions} count as one message, each input
 * item as one message ({@value TokenCounter#TOKENS_PER_MESSAGE} plus the {@code o200k_base} tokens
 * of its text), plus {@value TokenCounter#TOKENS_PER_REPLY_PRIMER} for the reply. What a {@code
 * previous_response_id} adds is known only to the simulator that stored it, so it is not counted here.
 *
 * @param input the input items, normalised: a string input becomes one user message, and string
 *     message content becomes one {@code input_text} (or, for the assistant, {@code output_text}) part;
 *     items other than messages are kept as sent. Not to be changed.
 * @param instructions the system instructions, if any
 * @param inputTokens tokens of the instructions and input, without any previous response
 * @param maxOutputTokens {@code max_output_tokens}, if set
 * @param stream whether the client asked for SSE
 * @param store whether the response is kept for retrieval (default true)
 * @param previousResponseId the response this one continues, if any
 * @param metadata the client's key-value pairs, echoed back (empty when none). Not to be changed.
 * @param temperature echoed back (default 1)
 * @param topP echoed back (default 1)
 */
record ResponseRequest(
    List<ObjectNode> input,
    Optional<String> instructions,
    long inputTokens,
    OptionalInt maxOutputTokens,
    boolean stream,
    boolean store,
    Optional<String> previousResponseId,
    ObjectNode metadata,
    double temperature,
    double topP) {

  /** OpenAI's and Azure's lower bound for {@code max_output_tokens}. */
  static final int MIN_OUTPUT_TOKENS = 16;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> ROLES = Set.of("user", "assistant", "system", "developer");
  private static final int MAX_METADATA_PAIRS = 16;

  /** Reads {@code body}; throws {@link InvalidRequestException} for what OpenAI rejects. */
  static ResponseRequest parse(JsonNode body) {
    if (bool(body, "background", false)) {
      throw new InvalidRequestException("The simulator does not support background responses.", "background");
    }
    List<ObjectNode> input = input(body.get("input"));
    Optional<String> instructions = optionalText(body, "instructions");
    long tokens = TokenCounter.TOKENS_PER_REPLY_PRIMER;
    if (instructions.isPresent()) {
      tokens += TokenCounter.TOKENS_PER_MESSAGE + TokenCounter.count(instructions.get());
    }
    for (ObjectNode item : input) {
      tokens += TokenCounter.TOKENS_PER_MESSAGE + textTokens(item);
    }
    return new ResponseRequest(List.copyOf(input), instructions, tokens, maxOutputTokens(body.get("max_output_tokens")),
        bool(body, "stream", false), bool(body, "store", true), optionalText(body, "previous_response_id"),
        metadata(body.get("metadata")), number(body, "temperature"), number(body, "top_p"));
  }

  private static List<ObjectNode> input(JsonNode input) {
    if (input == null || input.isNull()) {
      throw new InvalidRequestException("Missing required parameter: 'input'.", "input");
    }
    if (input.isTextual()) {
      return List.of(message("user", textParts("user", input.asText())));
    }
    if (!input.isArray() || input.isEmpty()) {
      throw new InvalidRequestException("'input' must be a string or a non-empty array of input items.", "input");
    }
    List<ObjectNode> items = new ArrayList<>(input.size());
    for (int i = 0; i < input.size(); i++) {
      items.add(item(input.get(i), "input[" + i + "]"));
    }
    return items;
  }

  private static ObjectNode item(JsonNode node, String where) {
    if (!node.isObject()) {
      throw new InvalidRequestException("Invalid type for '" + where + "': expected an input item object.", where);
    }
    String type = node.path("type").asText("message");
    if (!type.equals("message")) {
      return node.deepCopy(); // function_call_output, item_reference, ...: kept as sent
    }
    String role = node.path("role").asText("");
    if (!ROLES.contains(role)) {
      throw new InvalidRequestException("Invalid value for '" + where + ".role': expected one of 'assistant', "
          + "'system', 'developer' or 'user'.", where + ".role");
    }
    JsonNode content = node.get("content");
    if (content != null && content.isTextual()) {
      return message(role, textParts(role, content.asText()));
    }
    if (content == null || !content.isArray()) {
      throw new InvalidRequestException("Invalid type for '" + where + ".content': expected a string or an "
          + "array of content parts.", where + ".content");
    }
    for (JsonNode part : content) {
      if (!part.isObject() || !part.path("type").isTextual()) {
        throw new InvalidRequestException("Each part of '" + where + ".content' must be an object with a 'type'.",
            where + ".content");
      }
    }
    return message(role, content.deepCopy());
  }

  private static ObjectNode message(String role, ArrayNode content) {
    ObjectNode message = JSON.createObjectNode();
    message.put("type", "message");
    message.put("role", role);
    message.set("content", content);
    return message;
  }

  private static ArrayNode textParts(String role, String text) {
    ArrayNode parts = JSON.createArrayNode();
    parts.addObject().put("type", role.equals("assistant") ? "output_text" : "input_text").put("text", text);
    return parts;
  }

  /** Tokens of an item's text: its content parts' {@code text}, and a tool item's name, arguments and output. */
  private static long textTokens(ObjectNode item) {
    long tokens = 0;
    for (JsonNode part : item.path("content")) {
      if (part.path("text").isTextual()) {
        tokens += TokenCounter.count(part.get("text").asText());
      }
    }
    for (String field : new String[] {"name", "arguments", "output"}) {
      if (item.path(field).isTextual()) {
        tokens += TokenCounter.count(item.get(field).asText());
      }
    }
    return tokens;
  }

  private static OptionalInt maxOutputTokens(JsonNode value) {
    if (value == null || value.isNull()) {
      return OptionalInt.empty();
    }
    if (!value.isIntegralNumber()) {
      throw new InvalidRequestException("Invalid type for 'max_output_tokens': expected an integer.", "max_output_tokens");
    }
    long n = value.asLong();
    if (n < MIN_OUTPUT_TOKENS) {
      throw new InvalidRequestException("Invalid 'max_output_tokens': integer below minimum value. Expected a value >= "
          + MIN_OUTPUT_TOKENS + ", but got " + n + " instead.", "max_output_tokens");
    }
    if (n > CompletionRequest.MAX_OUTPUT_TOKENS) {
      throw new InvalidRequestException("Invalid 'max_output_tokens': integer above maximum value. Expected a value <= "
          + CompletionRequest.MAX_OUTPUT_TOKENS + ", but got " + n + " instead.", "max_output_tokens");
    }
    return OptionalInt.of((int) n);
  }

  private static ObjectNode metadata(JsonNode value) {
    if (value == null || value.isNull()) {
      return JSON.createObjectNode();
    }
    if (!value.isObject() || value.size() > MAX_METADATA_PAIRS) {
      throw new InvalidRequestException("'metadata' must be an object of at most " + MAX_METADATA_PAIRS
          + " string values.", "metadata");
    }
    for (Map.Entry<String, JsonNode> pair : value.properties()) {
      if (!pair.getValue().isTextual()) {
        throw new InvalidRequestException("'metadata' values must be strings.", "metadata");
      }
    }
    return value.deepCopy();
  }

  private static Optional<String> optionalText(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new InvalidRequestException("Invalid type for '" + field + "': expected a string.", field);
    }
    return Optional.of(value.asText());
  }

  private static boolean bool(JsonNode body, String field, boolean absent) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return absent;
    }
    if (!value.isBoolean()) {
      throw new InvalidRequestException("Invalid type for '" + field + "': expected a boolean.", field);
    }
    return value.booleanValue();
  }

  private static double number(JsonNode body, String field) {
    JsonNode value = body.get(field);
    if (value == null || value.isNull()) {
      return 1;
    }
    if (!value.isNumber()) {
      throw new InvalidRequestException("Invalid type for '" + field + "': expected a number.", field);
    }
    return value.asDouble();
  }
}
