package dev.spillway.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One kept-alive HTTP/1.1 connection driven by the calling thread with blocking reads: the cheapest client there is, so
 * that a round trip measured at low load is the server's and the loopback's, not a client's thread hops. A request is
 * written in one call; the answer is read to its last byte ({@code Content-Length} or chunked). Only what the
 * benchmarks send: POST with a JSON body, answers without trailers.
 */
final class BlockingHttpConnection implements Closeable {
  /** An answer: status, headers (names lower-cased) and body. */
  record Answer(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String hostHeader;

  BlockingHttpConnection(URI base) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
    socket.setSoTimeout(30_000);
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
    out = socket.getOutputStream();
    hostHeader = base.getHost() + ":" + base.getPort();
  }

  /** The request bytes for a JSON POST to {@code path} with {@code headers}: built once, sent many times. */
  byte[] jsonPost(String path, Map<String, String> headers, byte[] body) {
    StringBuilder head = new StringBuilder()
        .append("POST ").append(path).append(" HTTP/1.1\r\n")
        .append("host: ").append(hostHeader).append("\r\n")
        .append("content-type: application/json\r\n")
        .append("content-length: ").append(body.length).append("\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + body.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }

  /** Sends {@code request} (from {@link #jsonPost}) and reads the whole answer. */
  Answer exchange(byte[] request) throws IOException {
    out.write(request);
    out.flush();
    String statusLine = line();
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new TreeMap<>();
    for (String h = line(); !h.isEmpty(); h = line()) {
      int colon = h.indexOf(':');
      if (colon > 0) {
        headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
      }
    }
    byte[] body;
    String length = headers.get("content-length");
    if (length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = chunked();
    } else {
      throw new IOException("an answer with neither content-length nor chunked encoding");
    }
    return new Answer(status, headers, body);
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      int semicolon = size.indexOf(';');
      int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      if (n == 0) {
        line(); // the empty line after the last chunk (no trailers)
        return body.toByteArray();
      }
      body.write(in.readNBytes(n));
      line();
    }
  }

  private String line() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int c = in.read(); ; c = in.read()) {
      if (c < 0) {
        throw new IOException("the connection closed mid-answer");
      }
      if (c == '\n') {
        int end = s.length();
        return end > 0 && s.charAt(end - 1) == '\r' ? s.substring(0, end - 1) : s.toString();
      }
      s.append((char) c);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
