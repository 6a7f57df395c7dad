package dev.spillway.core.sse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.spillway.core.usage.TokenUsage;
import dev.spillway.core.usage.UsageParser;

/**
 * What the parsed events of one stream said, for metering: the usage, the finish reason, the first error, whether
 * generated content has begun, and the id of the object the stream created. {@link SseUsageScanner} splits the bytes
 * and decides which events are worth parsing; this class reads them. Two families of events arrive here:
 *
 * <ul>
 *   <li>Chat and text completion chunks: {@code usage} and {@code error} at the top level, {@code
 *       choices[*].finish_reason}, content in {@code choices[*].delta} (or {@code text}).
 *   <li>Responses API events, told apart by their {@code type}: the response object (with its {@code id}, {@code
 *       status} and, at the end, {@code usage} in input/output tokens) under {@code response} in {@code
 *       response.created}, {@code response.completed}, {@code response.incomplete} and {@code response.failed};
 *       content in {@code *.delta} events; errors as {@code {"type":"error","message":...}} or a failed response's
 *       {@code error}.
 * </ul>
 *
 * <p>Not thread-safe: one per stream, like its scanner.
 */
final class StreamEvents {
  private TokenUsage usage;
  private String finishReason;
  private String errorMessage;
  private String objectId;

  /**
   * Reads one event's JSON.
   *
   * @return true when the event carried generated content (the first one times the first token)
   */
  boolean read(JsonNode chunk) {
    JsonNode type = chunk.get("type");
    if (type != null && type.isTextual()) {
      return readResponsesEvent(type.textValue(), chunk);
    }
    JsonNode error = chunk.get("error");
    if (error != null && error.isObject() && errorMessage == null) {
      errorMessage = errorText(error);
    }
    JsonNode usageNode = chunk.get("usage");
    if (usageNode != null && usageNode.isObject()) {
      UsageParser.fromJson(usageNode).ifPresent(u -> usage = u);
    }
    JsonNode choices = chunk.get("choices");
    if (choices == null || !choices.isArray()) {
      return false;
    }
    boolean generated = false;
    for (JsonNode choice : choices) {
      JsonNode reason = choice.get("finish_reason");
      if (reason != null && reason.isTextual()) {
        finishReason = reason.asText();
      }
      generated |= carriesContent(choice);
    }
    return generated;
  }

  private boolean readResponsesEvent(String type, JsonNode event) {
    if (type.equals("error")) {
      if (errorMessage == null) {
        errorMessage = errorText(event);
      }
      return false;
    }
    JsonNode response = event.get("response");
    if (response != null && response.isObject()) {
      readResponse(response);
      return false;
    }
    return type.endsWith(".delta") && nonEmptyText(event.get("delta"));
  }

  /** A Responses API response object, as {@code response.created} starts and the final event ends the stream. */
  private void readResponse(JsonNode response) {
    JsonNode id = response.get("id");
    if (objectId == null && id != null && id.isTextual() && !id.textValue().isEmpty()) {
      objectId = id.textValue();
    }
    JsonNode usageNode = response.get("usage");
    if (usageNode != null && usageNode.isObject()) {
      UsageParser.fromJson(usageNode).ifPresent(u -> usage = u);
    }
    JsonNode error = response.get("error");
    if (error != null && error.isObject() && errorMessage == null) {
      errorMessage = errorText(error);
    }
    JsonNode status = response.get("status");
    if (status == null || !status.isTextual()) {
      return;
    }
    switch (status.textValue()) {
      case "completed" -> finishReason = "stop";
      case "incomplete" -> {
        String reason = response.path("incomplete_details").path("reason").asText("");
        finishReason = reason.equals("max_output_tokens") ? "length" : reason.isEmpty() ? "incomplete" : reason;
      }
      case "failed", "cancelled" -> finishReason = status.textValue();
      default -> { }
    }
  }

  TokenUsage usage() {
    return usage;
  }

  String finishReason() {
    return finishReason;
  }

  String errorMessage() {
    return errorMessage;
  }

  String objectId() {
    return objectId;
  }

  private static boolean carriesContent(JsonNode choice) {
    JsonNode delta = choice.get("delta");
    if (delta != null && delta.isObject()) {
      if (nonEmptyText(delta.get("content")) || nonEmptyText(delta.get("refusal"))) {
        return true;
      }
      if (present(delta.get("tool_calls")) || present(delta.get("function_call"))) {
        return true;
      }
    }
    return nonEmptyText(choice.get("text"));
  }

  private static String errorText(JsonNode error) {
    JsonNode message = error.get("message");
    if (message != null && message.isTextual()) {
      return message.asText();
    }
    JsonNode code = error.get("code");
    return code != null && code.isTextual() ? code.asText() : "unknown error";
  }

  private static boolean nonEmptyText(JsonNode node) {
    return node != null && node.isTextual() && !node.asText().isEmpty();
  }

  private static boolean present(JsonNode node) {
    return node != null && !node.isNull();
  }
}
