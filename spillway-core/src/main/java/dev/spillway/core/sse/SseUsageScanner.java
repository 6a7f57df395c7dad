package dev.spillway.core.sse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.spillway.core.time.Ticker;
import dev.spillway.core.usage.TokenUsage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Watches a chat/completions or Responses API SSE stream as its bytes pass through the gateway,
 * without changing or holding them, and records what metering needs: the {@code usage} chunk (or
 * the final response's usage), the finish reason, time to first token, {@code [DONE]}, error events
 * and the id of the response a Responses stream created. What the events mean is {@link
 * StreamEvents}' part; this class splits bytes and chooses what to parse.
 *
 * <p>Design: bytes are split into lines on LF, CRLF or CR (a CRLF split across two feeds counts
 * once). A complete line that lies inside one fed array is read in place; only the unfinished tail
 * of a feed is copied into a small line buffer, which is capped ({@link #DEFAULT_MAX_LINE_BYTES}):
 * a longer line is skipped, never buffered without bound. Until the first generated content is seen
 * every {@code data:} JSON is parsed (the first few chunks only); after that a line is parsed only
 * when a byte search finds a {@code "usage"}, {@code "error"} or {@code "response"} key followed by
 * an object, a {@code "finish_reason"} key followed by a string, or a Responses {@code error} event
 * — so the common content chunk costs one scan and no allocation. Each {@code data:} line is read as one JSON document (OpenAI and Azure never
 * split a chunk over several {@code data:} lines).
 *
 * <p>Not thread-safe: one instance per response, fed from one thread (the connection's event
 * loop).
 */
public final class SseUsageScanner {
  /** Lines longer than this (1 MiB) are skipped. */
  public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final byte[] EMPTY = new byte[0];
  private static final byte[] DATA = ascii("data");
  private static final byte[] DONE = ascii("[DONE]");
  private static final byte[] USAGE_KEY = ascii("\"usage\"");
  private static final byte[] ERROR_KEY = ascii("\"error\"");
  private static final byte[] FINISH_KEY = ascii("\"finish_reason\"");
  private static final byte[] RESPONSE_KEY = ascii("\"response\"");
  private static final byte[] ERROR_TYPE = ascii("\"type\":\"error\"");
  /** A line buffer larger than this is dropped after use, so idle streams stay small. */
  private static final int RETAINED_BUFFER_BYTES = 4096;

  private final Ticker ticker;
  private final long requestStartNanos;
  private final int maxLineBytes;

  private byte[] line = EMPTY;
  private int lineLength;
  private boolean skippingLine;
  private boolean lastWasCr;
  private boolean inDataEvent;

  private final StreamEvents events = new StreamEvents();
  private long timeToFirstTokenNanos = -1;
  private boolean sawDone;
  private int dataEvents;
  private int skippedLines;
  private int contentEvents;

  /**
   * @param ticker the clock that times the first token
   * @param requestStartNanos the ticker reading when the request was sent (or received); time to
   *     first token is measured from it
   */
  public SseUsageScanner(Ticker ticker, long requestStartNanos) {
    this(ticker, requestStartNanos, DEFAULT_MAX_LINE_BYTES);
  }

  /** As {@link #SseUsageScanner(Ticker, long)} with a different cap on one line's length. */
  public SseUsageScanner(Ticker ticker, long requestStartNanos, int maxLineBytes) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.requestStartNanos = requestStartNanos;
    if (maxLineBytes < 1) {
      throw new IllegalArgumentException("maxLineBytes must be positive, was " + maxLineBytes);
    }
    this.maxLineBytes = maxLineBytes;
  }

  /** Reads the next bytes of the stream, in any chunking. The array is not kept or changed. */
  public void feed(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    int end = offset + length;
    int lineStart = offset;
    for (int i = offset; i < end; i++) {
      byte b = bytes[i];
      if (b == '\n' || b == '\r') {
        boolean secondHalfOfCrLf = b == '\n' && lastWasCr; // its line ended at the '\r'
        lastWasCr = b == '\r';
        if (!secondHalfOfCrLf) {
          completeLine(bytes, lineStart, i);
        }
        lineStart = i + 1;
      } else {
        lastWasCr = false;
      }
    }
    if (lineStart < end) {
      append(bytes, lineStart, end);
    }
  }

  /**
   * Events that carried generated text (a non-empty {@code content}, {@code text} or tool-call
   * {@code arguments} delta). Backends send about one token per such event, so this is the
   * estimate of completion tokens when a stream ends without {@code usage}.
   */
  public int contentEvents() {
    return contentEvents;
  }

  /** The last {@code usage} object seen, if any chunk carried a non-null one. */
  public Optional<TokenUsage> usage() {
    return Optional.ofNullable(events.usage());
  }

  /**
   * The last non-null {@code choices[*].finish_reason}, for example {@code stop}, {@code length}; for a Responses API
   * stream, from its final response: {@code stop} when completed, {@code length} when cut at {@code
   * max_output_tokens}, else its status or incomplete reason.
   */
  public Optional<String> finishReason() {
    return Optional.ofNullable(events.finishReason());
  }

  /**
   * The id of the object a Responses API stream created (its {@code response.created} event's {@code response.id}):
   * what the gateway records as the caller's. Empty for chat streams.
   */
  public Optional<String> objectId() {
    return Optional.ofNullable(events.objectId());
  }

  /**
   * Nanoseconds from {@code requestStartNanos} to the line that carried the first generated
   * content (non-empty {@code delta.content} / {@code delta.refusal}, any {@code delta.tool_calls}
   * / {@code delta.function_call}, or non-empty completions {@code text}); empty until then.
   */
  public OptionalLong timeToFirstTokenNanos() {
    return timeToFirstTokenNanos < 0 ? OptionalLong.empty() : OptionalLong.of(timeToFirstTokenNanos);
  }

  /** Whether {@code data: [DONE]} was seen. */
  public boolean sawDone() {
    return sawDone;
  }

  /** How many events with at least one {@code data:} line were seen, {@code [DONE]} included. */
  public int dataEvents() {
    return dataEvents;
  }

  /**
   * The message of the first event whose JSON had a top-level {@code error} object (a Responses API stream: an {@code
   * error} event, or a failed response's {@code error}).
   */
  public Optional<String> errorMessage() {
    return Optional.ofNullable(events.errorMessage());
  }

  /** How many lines were skipped for exceeding the line cap. */
  public int skippedLines() {
    return skippedLines;
  }

  // ---- line splitting ----

  private void completeLine(byte[] bytes, int from, int to) {
    if (lineLength == 0 && !skippingLine) {
      if (to - from > maxLineBytes) {
        skippedLines++;
      } else {
        processLine(bytes, from, to - from);
      }
      return;
    }
    append(bytes, from, to);
    if (skippingLine) {
      skippingLine = false;
      return;
    }
    processLine(line, 0, lineLength);
    lineLength = 0;
    if (line.length > RETAINED_BUFFER_BYTES) {
      line = EMPTY;
    }
  }

  private void append(byte[] bytes, int from, int to) {
    if (skippingLine) {
      return;
    }
    int needed = lineLength + (to - from);
    if (needed > maxLineBytes) {
      skippingLine = true;
      skippedLines++;
      lineLength = 0;
      line = EMPTY;
      return;
    }
    if (needed > line.length) {
      byte[] bigger = new byte[Math.min(maxLineBytes, Math.max(needed, Math.max(256, line.length * 2)))];
      System.arraycopy(line, 0, bigger, 0, lineLength);
      line = bigger;
    }
    System.arraycopy(bytes, from, line, lineLength, to - from);
    lineLength = needed;
  }

  // ---- SSE fields ----

  private void processLine(byte[] buf, int off, int len) {
    if (len == 0) {
      inDataEvent = false;
      return;
    }
    if (!startsWith(buf, off, len, DATA)) {
      return; // comment (":"), event:, id:, retry: or another field
    }
    int p = off + DATA.length;
    int end = off + len;
    if (p < end) {
      if (buf[p] != ':') {
        return; // a field that only starts with "data", such as "database:"
      }
      p++;
      if (p < end && buf[p] == ' ') {
        p++;
      }
    }
    if (!inDataEvent) {
      inDataEvent = true;
      dataEvents++;
    }
    onData(buf, p, end - p);
  }

  private void onData(byte[] buf, int off, int len) {
    int start = off;
    int end = off + len;
    while (start < end && isBlank(buf[start])) {
      start++;
    }
    while (end > start && isBlank(buf[end - 1])) {
      end--;
    }
    if (end - start == DONE.length && startsWith(buf, start, end - start, DONE)) {
      sawDone = true;
      return;
    }
    if (start == end || buf[start] != '{') {
      return;
    }
    if (carriesGeneratedText(buf, start, end)) {
      contentEvents++;
    }
    if (timeToFirstTokenNanos >= 0 && !mayCarryMetering(buf, start, end)) {
      return;
    }
    JsonNode chunk;
    try {
      chunk = JSON.readTree(buf, start, end - start);
    } catch (IOException e) {
      return; // not JSON: it passes through anyway; there is just nothing to meter
    }
    if (chunk != null && chunk.isObject()) {
      onChunk(chunk);
    }
  }

  private void onChunk(JsonNode chunk) {
    if (events.read(chunk) && timeToFirstTokenNanos < 0) {
      timeToFirstTokenNanos = ticker.read() - requestStartNanos;
    }
  }

  // ---- cheap byte checks ----

  /**
   * Whether the line may hold usage, a finish reason or an error: a {@code "usage"}, {@code
   * "error"} or {@code "response"} (a Responses API response object) key whose value starts an
   * object, a {@code "finish_reason"} key whose value is a string, or {@code "type":"error"}.
   * Chunks that say {@code "usage":null} and {@code "finish_reason":null} do not qualify.
   */
  private static boolean mayCarryMetering(byte[] buf, int from, int to) {
    return keyFollowedBy(buf, from, to, USAGE_KEY, (byte) '{')
        || keyFollowedBy(buf, from, to, FINISH_KEY, (byte) '"')
        || keyFollowedBy(buf, from, to, ERROR_KEY, (byte) '{')
        || keyFollowedBy(buf, from, to, RESPONSE_KEY, (byte) '{')
        || indexOf(buf, from, to, ERROR_TYPE) >= 0;
  }

  private static boolean keyFollowedBy(byte[] buf, int from, int to, byte[] key, byte valueStart) {
    int at = from;
    while ((at = indexOf(buf, at, to, key)) >= 0) {
      int p = at + key.length;
      while (p < to && isBlank(buf[p])) {
        p++;
      }
      if (p < to && buf[p] == ':') {
        p++;
        while (p < to && isBlank(buf[p])) {
          p++;
        }
        if (p < to && buf[p] == valueStart) {
          return true;
        }
      }
      at += key.length;
    }
    return false;
  }

  private static final byte[][] TEXT_KEYS = {
    "\"content\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
    "\"text\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
    "\"arguments\":\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII)
  };
  private static final byte[][] RESPONSES_TEXT_KEYS = {ascii("\"delta\":\"")};
  /** How a Responses API event begins: its type first. Only its deltas are generated text (the rest repeat it). */
  private static final byte[] TYPED_EVENT = ascii("{\"type\":\"");

  /** A byte search, no parsing: some text key followed by a non-empty string value. */
  private static boolean carriesGeneratedText(byte[] buf, int from, int to) {
    byte[][] keys = startsWith(buf, from, to - from, TYPED_EVENT) ? RESPONSES_TEXT_KEYS : TEXT_KEYS;
    for (byte[] key : keys) {
      int at = indexOf(buf, from, to, key);
      if (at >= 0 && at + key.length < to && buf[at + key.length] != '"') {
        return true;
      }
    }
    return false;
  }

  private static int indexOf(byte[] buf, int from, int to, byte[] key) {
    byte first = key[0];
    int last = to - key.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (buf[i] != first) {
        continue;
      }
      for (int k = 1; k < key.length; k++) {
        if (buf[i + k] != key[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean startsWith(byte[] buf, int off, int len, byte[] prefix) {
    if (len < prefix.length) {
      return false;
    }
    for (int k = 0; k < prefix.length; k++) {
      if (buf[off + k] != prefix[k]) {
        return false;
      }
    }
    return true;
  }

  private static boolean isBlank(byte b) {
    return b == ' ' || b == '\t';
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
