package dev.spillway.core.sse;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Removes the usage chunk from a server-sent event stream: the event whose {@code data:} JSON has
 * {@code "choices":[]} and a {@code "usage"} object, which the backend sends last when asked for
 * {@code stream_options.include_usage}. The gateway asks for it on the client's behalf to count
 * tokens exactly, and must then hand the client the stream it would have got without it.
 *
 * <p>Bytes of every other event pass unchanged. Since an event can only be judged once it is
 * complete, bytes are released per complete event (up to and including its blank line); an
 * incomplete tail is held until the next feed or {@link #finish()}.
 *
 * <p>Not thread-safe: one per response, fed from one thread.
 */
public final class UsageChunkFilter {
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

  /** Feeds bytes as they arrived; returns the bytes to send on now (possibly empty). */
  public byte[] feed(byte[] bytes, int offset, int length) {
    pending.write(bytes, offset, length);
    byte[] all = pending.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream(all.length);
    int start = 0;
    int end;
    while ((end = eventEnd(all, start)) > 0) {
      if (!isUsageChunk(all, start, end)) {
        out.write(all, start, end - start);
      }
      start = end;
    }
    pending.reset();
    pending.write(all, start, all.length - start);
    return out.toByteArray();
  }

  /** The stream ended: whatever is held (an unterminated last event) goes out as it is. */
  public byte[] finish() {
    byte[] rest = pending.toByteArray();
    pending.reset();
    return rest;
  }

  /** Index just past the blank line ending the event that starts at {@code from}, or -1. */
  private static int eventEnd(byte[] b, int from) {
    for (int i = from; i < b.length; i++) {
      if (b[i] != '\n') {
        continue;
      }
      // "\n\n" or "\n\r\n" ends the event.
      if (i + 1 < b.length && b[i + 1] == '\n') {
        return i + 2;
      }
      if (i + 2 < b.length && b[i + 1] == '\r' && b[i + 2] == '\n') {
        return i + 3;
      }
    }
    return -1;
  }

  private static boolean isUsageChunk(byte[] b, int start, int end) {
    String event = new String(b, start, end - start, StandardCharsets.UTF_8);
    if (!event.contains("\"usage\"")) {
      return false;
    }
    String compact = event.replace(" ", "");
    return compact.contains("\"choices\":[]") && compact.matches("(?s).*\"usage\":\\{.*");
  }
}
