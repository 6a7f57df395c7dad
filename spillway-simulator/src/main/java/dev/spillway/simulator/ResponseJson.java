package dev.spillway.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * Builds the Responses API's {@code response} object for one answer — in progress (as the stream's
 * first events carry it) or finished, {@code completed} or {@code incomplete} when {@code
 * max_output_tokens} or the content filter cut it ({@code incomplete_details.reason} {@code
 * max_output_tokens} or {@code content_filter}) — with one assistant message holding one {@code
 * output_text} part. The field set and order follow OpenAI's. One instance per response; every call
 * returns a new tree.
 */
final class ResponseJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final String messageId;
  private final long createdAt;
  private final String model;
  private final ResponseRequest request;
  private final List<String> pieces;
  private final long inputTokens;
  private final boolean contentFiltered;

  /** A response the content filter let through. */
  ResponseJson(String id, String messageId, long createdAtEpochSeconds, String model, ResponseRequest request,
      List<String> pieces, long inputTokens) {
    this(id, messageId, createdAtEpochSeconds, model, request, pieces, inputTokens, false);
  }

  /**
   * @param id the response id ({@code resp_...})
   * @param messageId the id of the output message ({@code msg_...})
   * @param createdAtEpochSeconds wall-clock creation time in seconds since the epoch
   * @param model the model name to report (the deployment)
   * @param pieces the output text, one token per piece
   * @param inputTokens input tokens billed, including a previous response's conversation
   * @param contentFiltered whether the content filter stopped the output (the pieces are what it let out)
   */
  ResponseJson(String id, String messageId, long createdAtEpochSeconds, String model, ResponseRequest request,
      List<String> pieces, long inputTokens, boolean contentFiltered) {
    this.id = id;
    this.messageId = messageId;
    this.createdAt = createdAtEpochSeconds;
    this.model = model;
    this.request = request;
    this.pieces = List.copyOf(pieces);
    this.inputTokens = inputTokens;
    this.contentFiltered = contentFiltered;
  }

  String id() {
    return id;
  }

  String messageId() {
    return messageId;
  }

  List<String> pieces() {
    return pieces;
  }

  /**
   * Whether the content filter or {@code max_output_tokens} ended the output (the simulator then writes exactly
   * {@code max_output_tokens} tokens, unless the filter stops it first).
   */
  boolean incomplete() {
    return contentFiltered || request.maxOutputTokens().isPresent();
  }

  /** {@code completed}, or {@code incomplete} when cut by {@code max_output_tokens}. */
  String finalStatus() {
    return incomplete() ? "incomplete" : "completed";
  }

  /** The whole output text. */
  String text() {
    return String.join("", pieces);
  }

  /** The response as a stream announces it: {@code in_progress}, no output, no usage. */
  ObjectNode inProgress() {
    return response("in_progress", JSON.createArrayNode(), Optional.empty());
  }

  /** The finished response with its message and usage: what a JSON answer, the last event and a GET return. */
  ObjectNode finished() {
    ArrayNode output = JSON.createArrayNode();
    output.add(message(true));
    return response(finalStatus(), output, Optional.of(usage()));
  }

  /** The output message: in progress and empty, or done with its text. */
  ObjectNode message(boolean done) {
    ObjectNode message = JSON.createObjectNode();
    message.put("id", messageId);
    message.put("type", "message");
    message.put("status", done ? finalStatus() : "in_progress");
    ArrayNode content = message.putArray("content");
    if (done) {
      content.add(outputText(text()));
    }
    message.put("role", "assistant");
    return message;
  }

  /** An {@code output_text} content part. */
  static ObjectNode outputText(String text) {
    ObjectNode part = JSON.createObjectNode();
    part.put("type", "output_text");
    part.put("text", text);
    part.putArray("annotations");
    return part;
  }

  private ObjectNode usage() {
    ObjectNode usage = JSON.createObjectNode();
    usage.put("input_tokens", inputTokens);
    usage.putObject("input_tokens_details").put("cached_tokens", 0);
    usage.put("output_tokens", pieces.size());
    usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
    usage.put("total_tokens", inputTokens + pieces.size());
    return usage;
  }

  private ObjectNode response(String status, ArrayNode output, Optional<ObjectNode> usage) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", id);
    root.put("object", "response");
    root.put("created_at", createdAt);
    root.put("status", status);
    root.put("background", false);
    root.putNull("error");
    if (status.equals("incomplete")) {
      root.putObject("incomplete_details").put("reason", contentFiltered ? "content_filter" : "max_output_tokens");
    } else {
      root.putNull("incomplete_details");
    }
    putOptional(root, "instructions", request.instructions());
    if (request.maxOutputTokens().isPresent()) {
      root.put("max_output_tokens", request.maxOutputTokens().getAsInt());
    } else {
      root.putNull("max_output_tokens");
    }
    root.put("model", model);
    root.set("output", output);
    root.put("parallel_tool_calls", true);
    putOptional(root, "previous_response_id", request.previousResponseId());
    root.putObject("reasoning").putNull("effort").putNull("summary");
    root.put("store", request.store());
    root.put("temperature", request.temperature());
    root.putObject("text").putObject("format").put("type", "text");
    root.put("tool_choice", "auto");
    root.putArray("tools");
    root.put("top_p", request.topP());
    root.put("truncation", "disabled");
    if (usage.isPresent()) {
      root.set("usage", usage.get());
    } else {
      root.putNull("usage");
    }
    root.putNull("user");
    root.set("metadata", request.metadata().deepCopy());
    return root;
  }

  private static void putOptional(ObjectNode root, String field, Optional<String> value) {
    if (value.isPresent()) {
      root.put(field, value.get());
    } else {
      root.putNull(field);
    }
  }
}
