package dev.spillway.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client on a plain socket, for what an HTTP client library hides: reading slowly (a small receive buffer, reading
 * nothing for a while), leaving mid-answer, and seeing exactly how an answer ended.
 */
final class RawClient implements AutoCloseable {
  final Socket socket;
  private final InputStream in;

  private RawClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** Connects to the gateway with a 4 KiB receive buffer (a slow reader's buffer fills soon). */
  static RawClient connect(int port) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.setSoTimeout(10_000);
    return new RawClient(socket);
  }

  /** Sends a chat completion request for {@code gpt-4o}. */
  RawClient chat(boolean stream) throws IOException {
    String body = Http.chat("gpt-4o", stream);
    String request = "POST /v1/chat/completions HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n"
        + "content-length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads until {@code chunks} completion chunks have arrived. */
  void readChunks(int chunks) throws IOException {
    StringBuilder seen = new StringBuilder();
    byte[] buf = new byte[8192];
    while (seen.toString().split("chat.completion.chunk", -1).length - 1 < chunks) {
      int n = in.read(buf);
      assertThat(n).as("the stream is open").isPositive();
      seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
    }
  }

  /**
   * Reads until the answer is complete (the chunked body's last chunk, or {@code content-length} bytes of body) or the
   * gateway closes the connection; returns the last 64 KiB or so read.
   */
  String readToEnd() throws IOException {
    StringBuilder tail = new StringBuilder();
    byte[] buf = new byte[64 * 1024];
    while (true) {
      int n = in.read(buf);
      if (n < 0) {
        break;
      }
      tail.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      if (tail.length() > 128 * 1024) {
        tail.delete(0, tail.length() - 64 * 1024);
      }
      if (tail.indexOf("\r\n0\r\n\r\n") >= 0 || completeFixedLength(tail)) {
        break;
      }
    }
    return tail.toString();
  }

  private static boolean completeFixedLength(StringBuilder answer) {
    int headEnd = answer.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      return false;
    }
    String head = answer.substring(0, headEnd).toLowerCase(java.util.Locale.ROOT);
    int at = head.indexOf("content-length:");
    if (at < 0) {
      return false;
    }
    int lineEnd = head.indexOf("\r\n", at);
    long length = Long.parseLong(head.substring(at + 15, lineEnd < 0 ? head.length() : lineEnd).strip());
    return answer.length() - headEnd - 4 >= length;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
