package dev.spillway.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * Chat completions in the cache: a request asking the backend to {@code store} it is let through; the semantic layer
 * reads the request as it is; a stream is assembled by {@link StreamedAnswer} and a kept answer replayed by {@link
 * AnswerReplay}; an answer is complete when every choice finished ({@code stop}, {@code length}, {@code tool_calls})
 * and none was filtered.
 */
public final class ChatShape implements AnswerShape {
  static final ChatShape INSTANCE = new ChatShape();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> COMPLETE = Set.of("stop", "length", "tool_calls", "function_call");

  private ChatShape() {}

  @Override
  public String api() {
    return "chat";
  }

  @Override
  public Optional<String> bypassReason(JsonNode body) {
    return body.path("store").asBoolean(false) ? Optional.of("store: true") : Optional.empty();
  }

  @Override
  public Optional<JsonNode> semanticView(JsonNode body) {
    return Optional.of(body);
  }

  @Override
  public StreamAssembler assembler(int maxBytes) {
    return new StreamedAnswer(maxBytes);
  }

  @Override
  public Optional<byte[]> completeJson(byte[] answer) {
    JsonNode n;
    try {
      n = JSON.readTree(answer);
    } catch (IOException e) {
      return Optional.empty();
    }
    JsonNode choices = n == null ? null : n.get("choices");
    if (choices == null || !choices.isArray() || choices.isEmpty() || n.has("error")) {
      return Optional.empty();
    }
    for (JsonNode c : choices) {
      if (!COMPLETE.contains(c.path("finish_reason").asText(""))) {
        return Optional.empty();
      }
      JsonNode filter = c.get("content_filter_results");
      if (filter != null && filter.toString().contains("\"filtered\":true")) {
        return Optional.empty();
      }
    }
    return Optional.of(answer);
  }

  @Override
  public byte[] replay(byte[] answer, JsonNode request) {
    return AnswerReplay.asStream(answer, request.path("stream_options").path("include_usage").asBoolean(false));
  }
}
