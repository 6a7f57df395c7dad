package dev.spillway.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * A cached {@code chat.completion} in the shape the caller asked for: as it is, or as the server-sent event stream the
 * API would have sent (a role chunk, the content, the finish chunk per choice, a usage chunk only when the caller
 * asked for one with {@code stream_options.include_usage}, then {@code data: [DONE]}). Pure.
 */
public final class AnswerReplay {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AnswerReplay() {}

  /** The stream a caller gets for {@code completion}; {@code includeUsage} as its request's stream options said. */
  public static byte[] asStream(byte[] completion, boolean includeUsage) {
    JsonNode c;
    try {
      c = JSON.readTree(completion);
    } catch (IOException e) {
      throw new IllegalArgumentException("not a stored completion", e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(completion.length * 2 + 256);
    for (JsonNode choice : c.path("choices")) {
      int index = choice.path("index").asInt(0);
      JsonNode message = choice.path("message");
      ObjectNode first = chunk(c, includeUsage);
      ObjectNode delta = delta(first, index);
      delta.put("role", message.path("role").asText("assistant"));
      delta.put("content", "");
      event(out, first);
      if (message.path("content").isTextual() && !message.get("content").textValue().isEmpty()) {
        ObjectNode content = chunk(c, includeUsage);
        delta(content, index).put("content", message.get("content").textValue());
        event(out, content);
      }
      if (message.path("refusal").isTextual()) {
        ObjectNode refusal = chunk(c, includeUsage);
        delta(refusal, index).put("refusal", message.get("refusal").textValue());
        event(out, refusal);
      }
      JsonNode calls = message.path("tool_calls");
      if (calls.isArray() && !calls.isEmpty()) {
        ObjectNode chunk = chunk(c, includeUsage);
        ArrayNode deltas = delta(chunk, index).putArray("tool_calls");
        int i = 0;
        for (JsonNode call : calls) {
          ObjectNode d = deltas.addObject();
          d.put("index", i++);
          d.set("id", call.path("id"));
          d.put("type", call.path("type").asText("function"));
          d.set("function", call.path("function"));
        }
        event(out, chunk);
      }
      ObjectNode last = chunk(c, includeUsage);
      delta(last, index);
      ((ObjectNode) last.withArray("choices").get(0)).put("finish_reason", choice.path("finish_reason").asText("stop"));
      event(out, last);
    }
    if (includeUsage && c.has("usage")) {
      ObjectNode usage = chunk(c, false);
      usage.putArray("choices");
      usage.set("usage", c.get("usage"));
      event(out, usage);
    }
    out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static ObjectNode chunk(JsonNode completion, boolean usageNull) {
    ObjectNode n = JSON.createObjectNode();
    n.set("id", completion.path("id"));
    n.put("object", "chat.completion.chunk");
    n.set("created", completion.path("created"));
    n.set("model", completion.path("model"));
    if (completion.has("system_fingerprint")) {
      n.set("system_fingerprint", completion.get("system_fingerprint"));
    }
    if (usageNull) {
      n.putNull("usage");
    }
    return n;
  }

  private static ObjectNode delta(ObjectNode chunk, int index) {
    ObjectNode choice = chunk.putArray("choices").addObject();
    choice.put("index", index);
    ObjectNode delta = choice.putObject("delta");
    choice.putNull("logprobs");
    choice.putNull("finish_reason");
    return delta;
  }

  private static void event(ByteArrayOutputStream out, ObjectNode chunk) {
    try {
      out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
      out.writeBytes(JSON.writeValueAsBytes(chunk));
      out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
