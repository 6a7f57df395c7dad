package dev.spillway.simulator.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one {@link UpstreamFault}'s answer on a connection whose request has been read. The well-formed parts (a
 * completion, its stream) are Azure-shaped enough for the gateway to meter them. Not thread-safe: one per connection.
 */
final class FaultyAnswers {
  static final String COMPLETION =
      "{\"id\":\"chatcmpl-faulty\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello from a faulty upstream.\"},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":6,\"total_tokens\":18}}";
  static final String EVENT =
      "data: {\"id\":\"chatcmpl-faulty\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok \"},\"finish_reason\":null}]}\n\n";
  static final String LAST_EVENTS =
      "data: {\"id\":\"chatcmpl-faulty\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o\","
          + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n"
          + "data: {\"id\":\"chatcmpl-faulty\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"gpt-4o\","
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":3,\"total_tokens\":15}}\n\n"
          + "data: [DONE]\n\n";
  static final String STREAM = EVENT + EVENT + EVENT + LAST_EVENTS;

  static final java.time.Duration MID_ANSWER_PAUSE = java.time.Duration.ofMillis(100);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final FaultyUpstream.Settings settings;
  private final AtomicLong bytesSent;

  FaultyAnswers(Socket socket, InputStream in, FaultyUpstream.Settings settings, AtomicLong bytesSent) throws IOException {
    this.socket = socket;
    this.in = in;
    this.out = socket.getOutputStream();
    this.settings = settings;
    this.bytesSent = bytesSent;
  }

  /**
   * Answers with {@code fault}, in a stream's shape when {@code stream}.
   *
   * @return false when the peer closed the connection while this side was still holding or writing it
   */
  boolean answer(UpstreamFault fault, boolean stream) throws IOException {
    try {
      switch (fault) {
        case RATE_LIMITED -> complete(429, "application/json",
            "{\"error\":{\"code\":\"429\",\"message\":\"Requests have exceeded the rate limit. Retry after "
                + settings.retryAfterMillis() + " ms.\"}}",
            "retry-after-ms: " + settings.retryAfterMillis() + "\r\nretry-after: " + (settings.retryAfterMillis() + 999) / 1000 + "\r\n");
        case SERVER_ERROR -> complete(500, "application/json",
            "{\"error\":{\"code\":\"InternalServerError\",\"message\":\"The server had an error.\"}}", "");
        case REFUSED, RESET_BEFORE_HEADERS -> reset();
        case RESET_MID_BODY -> {
          String body = stream ? STREAM : COMPLETION;
          write(head(200, type(stream), "content-length: " + bytes(body).length + "\r\n"));
          write(body.substring(0, body.length() / 2));
          resetAfterPause();
        }
        case RESET_MID_STREAM -> {
          startChunked(stream);
          resetAfterPause();
        }
        case HANG_BEFORE_HEADERS -> {
          return holdUntilPeerCloses();
        }
        case HANG_MID_STREAM -> {
          startChunked(stream);
          return holdUntilPeerCloses();
        }
        case GARBAGE -> write("\u0000\u0001\u00ff garbage, not HTTP at all \u0007\r\n\r\n");
        case NOT_JSON -> complete(200, type(stream),
            stream ? "data: this is not json\n\ndata: {oops\n\ndata: [DONE]\n\n" : "this is not json {", "");
        case SSE_ANSWER -> complete(200, "text/event-stream", STREAM, "");
        case HTML -> complete(200, "text/html; charset=utf-8",
            "<!DOCTYPE html><html><body><h1>Please sign in</h1></body></html>", "");
        case ENORMOUS -> {
          return stream ? endlessStream() : enormousObject();
        }
        case SLOW_DRIP -> {
          String body = stream ? STREAM : COMPLETION;
          write(head(200, type(stream), "content-length: " + bytes(body).length + "\r\nconnection: close\r\n"));
          for (byte b : bytes(body)) {
            pause();
            out.write(b);
            out.flush();
            bytesSent.incrementAndGet();
          }
        }
      }
      return true;
    } catch (IOException peerGone) {
      return false;
    }
  }

  private static String type(boolean stream) {
    return stream ? "text/event-stream" : "application/json";
  }

  private void complete(int status, String type, String body, String extraHeaders) throws IOException {
    write(head(status, type, extraHeaders + "content-length: " + bytes(body).length + "\r\nconnection: close\r\n"));
    write(body);
  }

  /** A chunked {@code 200}: three SSE events for a stream, the first half of a completion otherwise. */
  private void startChunked(boolean stream) throws IOException {
    write(head(200, type(stream), "transfer-encoding: chunked\r\n"));
    if (stream) {
      for (int i = 0; i < 3; i++) {
        chunk(bytes(EVENT));
      }
    } else {
      chunk(bytes(COMPLETION.substring(0, COMPLETION.length() / 2)));
    }
  }

  /** One JSON object of {@code enormousBytes}, written as fast as the peer reads it. */
  private boolean enormousObject() throws IOException {
    long size = settings.enormousBytes();
    write(head(200, "application/json", "content-length: " + size + "\r\nconnection: close\r\n"));
    byte[] open = bytes("{\"pad\":\"");
    byte[] close = bytes("\"}");
    writeBytes(open);
    byte[] pad = new byte[64 * 1024];
    Arrays.fill(pad, (byte) 'x');
    for (long left = size - open.length - close.length; left > 0; left -= pad.length) {
      writeBytes(left >= pad.length ? pad : Arrays.copyOf(pad, (int) left));
    }
    writeBytes(close);
    return true;
  }

  /** Content events until the peer closes the connection. */
  private boolean endlessStream() throws IOException {
    write(head(200, "text/event-stream", "transfer-encoding: chunked\r\n"));
    byte[] events = bytes(EVENT.repeat(64));
    while (true) {
      try {
        chunk(events);
      } catch (IOException peerGone) {
        return false;
      }
    }
  }

  /** Reads (and drops) until the peer closes; the connection's reads never time out. */
  private boolean holdUntilPeerCloses() {
    try {
      byte[] sink = new byte[4096];
      while (in.read(sink) >= 0) {
        // Whatever the peer still sends is dropped.
      }
    } catch (IOException e) {
      // A reset is a close too.
    }
    return false;
  }

  private void pause() {
    try {
      Thread.sleep(settings.dripInterval());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Resets a connection that has carried part of an answer, after {@link #MID_ANSWER_PAUSE}: a reset that follows the
   * bytes at once may overtake them in the peer's kernel (Linux drops unread data when a reset arrives), and the point
   * of the fault is an answer that breaks after it began, not one that never arrived.
   */
  private void resetAfterPause() throws IOException {
    try {
      Thread.sleep(MID_ANSWER_PAUSE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reset();
  }

  /** Closes with a TCP reset (linger 0) instead of an orderly FIN. */
  private void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  private static String head(int status, String type, String headers) {
    return "HTTP/1.1 " + status + " " + reason(status) + "\r\ncontent-type: " + type + "\r\n" + headers + "\r\n";
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 429 -> "Too Many Requests";
      default -> "Internal Server Error";
    };
  }

  private void chunk(byte[] data) throws IOException {
    writeBytes(bytes(Integer.toHexString(data.length) + "\r\n"));
    writeBytes(data);
    writeBytes(bytes("\r\n"));
  }

  private void write(String text) throws IOException {
    writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  private void writeBytes(byte[] data) throws IOException {
    out.write(data);
    out.flush();
    bytesSent.addAndGet(data.length);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
