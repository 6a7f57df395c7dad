package dev.spillway.gateway.security;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a bare loopback socket, for what a well-behaved client library will not send: a
 * forged {@code Host}, an absolute-form target, a body that stops half way, a connection left idle.
 * Every read is bounded by the socket's read timeout, so a test never hangs.
 *
 * <p>Not thread-safe, except that {@link #write} may run on one thread while another reads.
 */
final class RawHttp implements AutoCloseable {
  /** A response as read off the wire; header names are lower case. */
  record Response(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  /** Connects to {@code 127.0.0.1:port}; no read waits longer than {@code readTimeout}. */
  static RawHttp connect(int port, Duration readTimeout) throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    socket.setSoTimeout((int) readTimeout.toMillis());
    socket.setTcpNoDelay(true);
    return new RawHttp(socket);
  }

  /** A complete request with a UTF-8 body (content-length set), {@code Host} as given. */
  static String request(String method, String target, String host, Map<String, String> headers, String body) {
    StringBuilder b = new StringBuilder();
    b.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    b.append("Host: ").append(host).append("\r\n");
    headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
    if (body != null) {
      b.append("Content-Type: application/json\r\n");
      b.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
    }
    b.append("\r\n");
    if (body != null) {
      b.append(body);
    }
    return b.toString();
  }

  void write(String text) throws IOException {
    write(text.getBytes(StandardCharsets.UTF_8));
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Reads one response: status line, headers, then a content-length, chunked or read-to-close body. */
  Response readResponse() throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("the server closed the connection without answering");
    }
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String h = line(); h != null && !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      headers.merge(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim(), (a, b) -> a + ", " + b);
    }
    byte[] body;
    if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
          size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
        chunks.write(in.readNBytes(size));
        line();
      }
      for (String trailer = line(); trailer != null && !trailer.isEmpty(); trailer = line()) {
        // Trailers are not used by the gateway; skip them.
      }
      body = chunks.toByteArray();
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  /**
   * Blocks until the server closes the connection and returns how long that took; anything the
   * server still sends is skipped. Fails when the read timeout passes first.
   */
  Duration awaitClose() throws IOException {
    long start = System.nanoTime();
    try {
      while (in.read() >= 0) {
        // Skip whatever arrives before the close.
      }
    } catch (SocketTimeoutException stillOpen) {
      throw new AssertionError("the server kept the connection open for " + socket.getSoTimeout() + " ms", stillOpen);
    } catch (SocketException reset) {
      // A reset is a close too.
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
