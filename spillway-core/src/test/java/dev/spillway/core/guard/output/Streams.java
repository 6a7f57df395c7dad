package dev.spillway.core.guard.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** Builds chat and text completion streams as Azure OpenAI sends them, feeds them to a guard, and reads the result. */
final class Streams {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String DONE = "data: [DONE]\n\n";

  private Streams() {}

  private static ObjectNode chunk(boolean legacy) {
    ObjectNode c = JSON.createObjectNode();
    c.put("id", "chatcmpl-9").put("object", legacy ? "text_completion" : "chat.completion.chunk").put("created", 17)
        .put("model", "gpt-4o").put("system_fingerprint", "fp_1");
    return c;
  }

  static String event(JsonNode json) {
    return "data: " + json + "\n\n";
  }

  /** Azure's first event: prompt filter results, no choices. */
  static String promptFilter() {
    return "data: {\"choices\":[],\"created\":0,\"id\":\"\",\"model\":\"\",\"object\":\"\",\"prompt_filter_results\":"
        + "[{\"prompt_index\":0,\"content_filter_results\":{\"hate\":{\"filtered\":false,"
        + "\"severity\":\"safe\"}}}]}\n\n";
  }

  static String role(int index) {
    ObjectNode c = chunk(false);
    ObjectNode e = c.putArray("choices").addObject().put("index", index);
    e.putObject("content_filter_results");
    e.putObject("delta").put("role", "assistant").put("content", "").putNull("refusal");
    e.putNull("finish_reason");
    return event(c);
  }

  /** A content delta with Azure's per-chunk annotations and logprobs. */
  static String content(int index, String text) {
    ObjectNode c = chunk(false);
    ObjectNode e = c.putArray("choices").addObject().put("index", index);
    e.putObject("content_filter_results").putObject("hate").put("filtered", false).put("severity", "safe");
    e.putObject("delta").put("content", text);
    e.putObject("logprobs").putArray("content").addObject().put("token", text).put("logprob", -0.1);
    e.putNull("finish_reason");
    return event(c);
  }

  static String text(int index, String text) {
    ObjectNode c = chunk(true);
    c.putArray("choices").addObject().put("text", text).put("index", index).putNull("logprobs")
        .putNull("finish_reason");
    return event(c);
  }

  static String finish(int index, String reason, boolean legacy) {
    ObjectNode c = chunk(legacy);
    ObjectNode e = c.putArray("choices").addObject().put("index", index);
    if (legacy) {
      e.put("text", "");
    } else {
      e.putObject("delta");
    }
    e.put("finish_reason", reason);
    return event(c);
  }

  static String usage() {
    ObjectNode c = chunk(false);
    c.putArray("choices");
    c.putObject("usage").put("prompt_tokens", 5).put("completion_tokens", 8).put("total_tokens", 13);
    return event(c);
  }

  /** A chat stream of {@code pieces} for choice 0: Azure's prompt filter event, role, pieces, stop, usage, done. */
  static String chat(List<String> pieces) {
    StringBuilder s = new StringBuilder(promptFilter()).append(role(0));
    pieces.forEach(p -> s.append(content(0, p)));
    return s.append(finish(0, "stop", false)).append(usage()).append(DONE).toString();
  }

  /** {@code text} cut into pieces of 1 to {@code max} characters, never inside a surrogate pair. */
  static List<String> pieces(String text, int max, Random random) {
    List<String> pieces = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      int end = Math.min(text.length(), i + 1 + random.nextInt(max));
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end++;
      }
      pieces.add(text.substring(i, end));
      i = end;
    }
    return pieces;
  }

  /** Everything the guard sends for {@code stream}, fed in pieces of 1 to {@code max} bytes (0: all at once). */
  static byte[] feed(TextStreamGuard guard, String stream, int max, Random random) {
    byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < bytes.length) {
      int n = max == 0 ? bytes.length : Math.min(bytes.length - i, 1 + random.nextInt(max));
      out.writeBytes(guard.feed(bytes, i, n));
      i += n;
    }
    out.writeBytes(guard.finish());
    return out.toByteArray();
  }

  static byte[] feed(TextStreamGuard guard, String stream) {
    return feed(guard, stream, 0, new Random(0));
  }

  /** The data of each event sent, in order. */
  static List<String> data(byte[] sent) {
    List<String> data = new ArrayList<>();
    String text = new String(sent, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n');
    for (String event : text.split("\n\n")) {
      StringBuilder d = null;
      for (String line : event.split("\n")) {
        if (line.startsWith("data:")) {
          String payload = line.substring(line.startsWith("data: ") ? 6 : 5);
          d = d == null ? new StringBuilder(payload) : d.append('\n').append(payload);
        }
      }
      if (d != null) {
        data.add(d.toString());
      }
    }
    return data;
  }

  /** The data of each event sent, parsed; {@code [DONE]} and what is not JSON as text nodes. */
  static List<JsonNode> events(byte[] sent) {
    List<JsonNode> events = new ArrayList<>();
    for (String d : data(sent)) {
      try {
        events.add(JSON.readTree(d));
      } catch (Exception e) {
        events.add(JSON.getNodeFactory().textNode(d));
      }
    }
    return events;
  }

  /** Each choice's text as the client would put it together. */
  static TreeMap<Integer, String> texts(byte[] sent) {
    TreeMap<Integer, String> texts = new TreeMap<>();
    for (JsonNode e : events(sent)) {
      for (JsonNode c : e.path("choices")) {
        JsonNode t = c.path("delta").has("content") ? c.path("delta").path("content") : c.path("text");
        if (t.isTextual()) {
          texts.merge(c.path("index").asInt(), t.textValue(), String::concat);
        }
      }
    }
    return texts;
  }

  /** Each choice's finish reasons, in order. */
  static TreeMap<Integer, List<String>> finishes(byte[] sent) {
    TreeMap<Integer, List<String>> finishes = new TreeMap<>();
    for (JsonNode e : events(sent)) {
      for (JsonNode c : e.path("choices")) {
        if (c.path("finish_reason").isTextual()) {
          finishes.computeIfAbsent(c.path("index").asInt(), i -> new ArrayList<>())
              .add(c.path("finish_reason").textValue());
        }
      }
    }
    return finishes;
  }
}
