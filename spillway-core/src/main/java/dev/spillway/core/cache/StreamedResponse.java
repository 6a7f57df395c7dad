package dev.spillway.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.usage.TokenUsage;
import java.io.IOException;
import java.util.Optional;

/**
 * Reads a streamed Responses API answer as it passes and keeps the finished response that its last event ({@code
 * response.completed}, or {@code response.incomplete} for {@code max_output_tokens}) carries: the same object the
 * request would have got without {@code stream}. A stream with a {@code response.failed} or {@code error} event, one
 * cut for another reason, one that never finished, or one longer than the bound gives nothing. Not thread-safe: one per stream.
 */
final class StreamedResponse implements StreamAssembler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final int maxBytes;
  private final dev.spillway.core.sse.SseLines lines = new dev.spillway.core.sse.SseLines(this::line, Integer.MAX_VALUE);
  private long seen;
  private byte[] completed;
  private boolean spoiled;

  StreamedResponse(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void feed(byte[] bytes, int offset, int length) {
    if (spoiled) {
      return;
    }
    seen += length;
    if (seen > maxBytes) {
      spoil();
      return;
    }
    lines.feed(bytes, offset, length);
  }

  private void line(byte[] l) {
    if (spoiled || !dev.spillway.core.sse.SseLines.isData(l)) {
      return;
    }
    JsonNode event;
    try {
      event = JSON.readTree(l, 5, l.length - 5);
    } catch (IOException e) {
      spoil();
      return;
    }
    String type = event == null ? "" : event.path("type").asText();
    switch (type) {
      case "response.completed", "response.incomplete" -> {
        JsonNode response = event.get("response");
        if (ResponsesShape.complete(response)) {
          completed = response.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        } else {
          spoil();
        }
      }
      case "response.failed", "error" -> spoil();
      default -> { }
    }
  }

  private void spoil() {
    spoiled = true;
    completed = null;
    lines.reset();
  }

  @Override
  public Optional<byte[]> complete(TokenUsage usage) {
    return spoiled ? Optional.empty() : Optional.ofNullable(completed);
  }
}
