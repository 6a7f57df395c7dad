package dev.spillway.core.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spillway.core.usage.TokenUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Assembles a streamed chat completion, chunk by chunk as it passes to the client, into the {@code chat.completion}
 * object the same request would have got without {@code stream}, so that the cache holds one form and replays it in
 * either. Only a complete answer comes out ({@link #complete}): every choice finished with {@code stop}, {@code length}
 * or {@code tool_calls}, the stream ended with {@code data: [DONE]}, no error event, nothing filtered, and no more than
 * the size bound; a truncated, filtered or failed stream is never stored.
 *
 * <p>Not thread-safe: one per stream.
 */
public final class StreamedAnswer implements StreamAssembler {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> COMPLETE_REASONS = Set.of("stop", "length", "tool_calls", "function_call");
  private static final byte[] DONE = "[DONE]".getBytes(StandardCharsets.US_ASCII);

  private final int maxBytes;
  private final dev.spillway.core.sse.SseLines lines = new dev.spillway.core.sse.SseLines(this::line, Integer.MAX_VALUE);
  private final TreeMap<Integer, Choice> choices = new TreeMap<>();
  private String id;
  private String model;
  private long created;
  private String fingerprint;
  private long seen;
  private boolean done;
  private boolean spoiled;

  /** @param maxBytes the longest stream assembled; a longer one is not stored */
  public StreamedAnswer(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Reads the next bytes of the stream as the client gets them, in any chunking. */
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

  private void spoil() {
    spoiled = true;
    choices.clear();
    lines.reset();
  }

  private void line(byte[] l) {
    if (l.length < 5 || l[0] != 'd' || l[1] != 'a' || l[2] != 't' || l[3] != 'a' || l[4] != ':') {
      return;
    }
    int start = l.length > 5 && l[5] == ' ' ? 6 : 5;
    if (l.length - start == DONE.length && java.util.Arrays.equals(l, start, l.length, DONE, 0, DONE.length)) {
      done = true;
      return;
    }
    if (done) {
      spoil();
      return;
    }
    JsonNode chunk;
    try {
      chunk = JSON.readTree(l, start, l.length - start);
    } catch (IOException e) {
      spoil();
      return;
    }
    if (chunk == null || !chunk.isObject() || chunk.has("error")) {
      spoil();
      return;
    }
    read((ObjectNode) chunk);
  }

  private void read(ObjectNode chunk) {
    if (id == null && chunk.path("id").isTextual()) {
      id = chunk.get("id").textValue();
      model = chunk.path("model").asText("");
      created = chunk.path("created").asLong(0);
    }
    if (fingerprint == null && chunk.path("system_fingerprint").isTextual()) {
      fingerprint = chunk.get("system_fingerprint").textValue();
    }
    for (JsonNode c : chunk.path("choices")) {
      Choice choice = choices.computeIfAbsent(c.path("index").asInt(0), i -> new Choice());
      JsonNode delta = c.path("delta");
      if (delta.path("role").isTextual()) {
        choice.role = delta.get("role").textValue();
      }
      if (delta.path("content").isTextual()) {
        choice.content.append(delta.get("content").textValue());
        choice.hasContent = true;
      }
      if (delta.path("refusal").isTextual()) {
        choice.refusal.append(delta.get("refusal").textValue());
      }
      for (JsonNode call : delta.path("tool_calls")) {
        choice.call(call);
      }
      if (c.path("finish_reason").isTextual()) {
        choice.finishReason = c.get("finish_reason").textValue();
      }
      JsonNode filter = c.get("content_filter_results");
      if (filter != null && filter.toString().contains("\"filtered\":true")) {
        spoil();
        return;
      }
    }
  }

  /**
   * The assembled {@code chat.completion}, with {@code usage} as the request was booked, when the stream was complete
   * (see the class comment); empty otherwise.
   */
  @Override
  public Optional<byte[]> complete(TokenUsage usage) {
    if (spoiled || !done || choices.isEmpty() || id == null) {
      return Optional.empty();
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("id", id).put("object", "chat.completion").put("created", created).put("model", model);
    ArrayNode cs = out.putArray("choices");
    for (var e : choices.entrySet()) {
      Choice c = e.getValue();
      if (c.finishReason == null || !COMPLETE_REASONS.contains(c.finishReason)) {
        return Optional.empty();
      }
      ObjectNode choice = cs.addObject();
      choice.put("index", e.getKey());
      ObjectNode message = choice.putObject("message");
      message.put("role", c.role == null ? "assistant" : c.role);
      if (c.hasContent) {
        message.put("content", c.content.toString());
      } else {
        message.putNull("content");
      }
      if (!c.refusal.isEmpty()) {
        message.put("refusal", c.refusal.toString());
      }
      if (!c.calls.isEmpty()) {
        ArrayNode calls = message.putArray("tool_calls");
        c.calls.values().forEach(calls::add);
      }
      choice.putNull("logprobs");
      choice.put("finish_reason", c.finishReason);
    }
    ObjectNode u = out.putObject("usage");
    u.put("prompt_tokens", usage.promptTokens())
        .put("completion_tokens", usage.completionTokens())
        .put("total_tokens", usage.totalTokens());
    if (fingerprint != null) {
      out.put("system_fingerprint", fingerprint);
    }
    try {
      return Optional.of(JSON.writeValueAsBytes(out));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** One choice as its deltas built it. */
  private static final class Choice {
    String role;
    final StringBuilder content = new StringBuilder();
    boolean hasContent;
    final StringBuilder refusal = new StringBuilder();
    final TreeMap<Integer, ObjectNode> calls = new TreeMap<>();
    String finishReason;

    /** A tool call's delta: the first names it, the rest add to its arguments. */
    void call(JsonNode delta) {
      ObjectNode call = calls.computeIfAbsent(delta.path("index").asInt(0), i -> {
        ObjectNode n = JSON.createObjectNode();
        n.put("id", "").put("type", "function");
        n.putObject("function").put("name", "").put("arguments", "");
        return n;
      });
      if (delta.path("id").isTextual()) {
        call.put("id", delta.get("id").textValue());
      }
      if (delta.path("type").isTextual()) {
        call.put("type", delta.get("type").textValue());
      }
      JsonNode fn = delta.path("function");
      ObjectNode target = (ObjectNode) call.get("function");
      if (fn.path("name").isTextual()) {
        target.put("name", target.get("name").textValue() + fn.get("name").textValue());
      }
      if (fn.path("arguments").isTextual()) {
        target.put("arguments", target.get("arguments").textValue() + fn.get("arguments").textValue());
      }
    }
  }
}
