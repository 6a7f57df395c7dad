package dev.spillway.core.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds server-sent event streams for the SSE fuzz targets from the fuzzer's choices: either raw bytes, or events
 * shaped like a chat/completions stream (content, tool-call and text deltas, finish reasons, usage chunks with odd
 * numbers and spacing, error events, {@code [DONE]}, comments and other fields, several {@code data:} lines in one
 * event), each line ended by LF, CRLF or CR, with fuzz text wherever a value goes. Also cuts a stream into chunks.
 */
final class SseStreams {
  private static final String[] LINE_ENDS = {"\n", "\r\n", "\r", "\n"};
  private static final String[] NUMBERS = {
    "0", "1", "7", "-1", "2.0", "2.5", "1e3", "1E400", "9223372036854775807", "9223372036854775808", "\"12\"", "null",
    "true", "[]", "{}"
  };
  private static final String[] OTHER_LINES = {
    ": keep-alive", "event: message", "id: 42", "retry: 1000", "data", "data:", "database: x", ":", "event:error"
  };

  private SseStreams() {}

  /** A whole stream: raw bytes when the first choice says so, else generated events. */
  static byte[] stream(FuzzedDataProvider data) {
    if (data.consumeInt(0, 4) == 0) {
      return data.consumeBytes(4096);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int events = data.consumeInt(0, 12);
    for (int i = 0; i < events; i++) {
      event(data, out);
    }
    if (data.consumeBoolean()) {
      write(out, data.consumeString(64)); // an unfinished tail
    }
    return out.toByteArray();
  }

  private static void event(FuzzedDataProvider data, ByteArrayOutputStream out) {
    int lines = data.consumeInt(1, 3);
    for (int i = 0; i < lines; i++) {
      String line =
          switch (data.consumeInt(0, 3)) {
            case 0 -> data.pickValue(OTHER_LINES);
            case 1 -> "data: " + data.consumeString(48);
            default -> (data.consumeBoolean() ? "data: " : "data:") + payload(data);
          };
      write(out, line + data.pickValue(LINE_ENDS));
    }
    if (data.consumeInt(0, 7) > 0) {
      write(out, data.pickValue(LINE_ENDS));
    }
  }

  private static String payload(FuzzedDataProvider data) {
    String colon = data.consumeInt(0, 5) == 0 ? " : " : ":";
    return switch (data.consumeInt(0, 7)) {
      case 0 -> "[DONE]";
      case 1 -> "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\""
          + colon + jsonString(data) + "},\"finish_reason\":null}],\"usage\":null}";
      case 2 -> "{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\"" + colon + finishReason(data) + "}]}";
      case 3 -> "{\"id\":\"c\",\"choices\":[],\"usage\"" + colon + "{\"prompt_tokens\":" + data.pickValue(NUMBERS)
          + ",\"completion_tokens\":" + data.pickValue(NUMBERS) + ",\"total_tokens\":" + data.pickValue(NUMBERS)
          + ",\"prompt_tokens_details\":{\"cached_tokens\":" + data.pickValue(NUMBERS) + "}}}";
      case 4 -> "{\"error\"" + colon + "{\"message\":" + jsonString(data) + ",\"code\":" + jsonString(data) + "}}";
      case 5 -> "{\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":"
          + jsonString(data) + "}}]}}]}";
      case 6 -> "{\"choices\":[{\"text\":" + jsonString(data) + ",\"finish_reason\":" + finishReason(data) + "}]}";
      default -> "{" + data.consumeString(40) + "}";
    };
  }

  private static String finishReason(FuzzedDataProvider data) {
    return data.pickValue(new String[] {"null", "\"stop\"", "\"length\"", "\"tool_calls\"", "\"content_filter\"", "1"});
  }

  /** A JSON string literal of fuzz text, escaped as a backend would, or empty. */
  private static String jsonString(FuzzedDataProvider data) {
    return RequestBodyFuzzTest.JsonBodies.string(data.consumeString(24));
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code bytes} cut at up to 16 fuzz-chosen points (sorted, duplicates giving empty chunks). */
  static List<byte[]> chunks(byte[] bytes, FuzzedDataProvider data) {
    int cuts = bytes.length == 0 ? 0 : data.consumeInt(0, 16);
    int[] at = new int[cuts];
    for (int i = 0; i < cuts; i++) {
      at[i] = data.consumeInt(0, bytes.length);
    }
    java.util.Arrays.sort(at);
    List<byte[]> chunks = new ArrayList<>();
    int from = 0;
    for (int cut : at) {
      chunks.add(java.util.Arrays.copyOfRange(bytes, from, cut));
      from = cut;
    }
    chunks.add(java.util.Arrays.copyOfRange(bytes, from, bytes.length));
    return chunks;
  }

  /** {@code bytes} one byte per chunk. */
  static List<byte[]> bytewise(byte[] bytes) {
    List<byte[]> chunks = new ArrayList<>(bytes.length);
    for (byte b : bytes) {
      chunks.add(new byte[] {b});
    }
    return chunks;
  }
}
