package dev.spillway.gateway.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 client that writes exactly the bytes it is given, on a fresh loopback connection, and reads the answer
 * until the server closes it; then the check every fuzzed request must pass. A JDK or Vert.x client would refuse or
 * repair much of what a fuzzer sends, which is the point of sending it.
 */
final class RawHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int READ_TIMEOUT_MILLIS = 15_000;

  /** The first final (non-1xx) answer. */
  record Answer(int status, Map<String, String> headers, byte[] body) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {}

  /** Sends {@code request} to 127.0.0.1:{@code port} and reads the whole answer. */
  static Answer exchange(int port, byte[] request) throws IOException {
    byte[] received;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
      } catch (IOException e) {
        // The server may answer and close before reading everything (413, 431); what it said is still readable.
      }
      received = readAll(socket.getInputStream());
      return parse(received, startsWith(request, "HEAD "));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nfor the request: " + shown(request), e);
    }
  }

  /**
   * What the gateway owes any client input: an answer (not silence, not a hang), below 500, and for an error of its
   * own the OpenAI shape {@code {"error":{"message","type","param","code"}}} as JSON, with no stack trace in it. A
   * backend's refusal (marked by {@code x-spillway-backend}) is passed on in the backend's shape: only its JSON error
   * object with a message is checked.
   */
  static void assertSound(Answer answer, byte[] request) throws IOException {
    String shown = shown(request) + "\n  answered " + answer.status() + " " + answer.headers() + " "
        + new String(answer.body(), 0, Math.min(400, answer.body().length), StandardCharsets.UTF_8);
    assertThat(answer.status()).as("status for %s", shown).isBetween(100, 499);
    if (answer.status() < 400 || answer.body().length == 0 && answer.headers().containsKey("x-head")) {
      return;
    }
    assertThat(answer.headers().getOrDefault("content-type", "")).as("content type for %s", shown)
        .startsWith("application/json");
    JsonNode error = JSON.readTree(answer.body()).path("error");
    assertThat(error.isObject()).as("error object in %s for %s", answer.bodyText(), shown).isTrue();
    assertThat(error.path("message").asText()).as("message for %s", shown).isNotBlank();
    if (answer.headers().containsKey("x-spillway-backend")) {
      return; // the backend's own refusal, passed on as it wrote it (Azure's has no type or param)
    }
    assertThat(error.path("type").isTextual()).as("type for %s", shown).isTrue();
    assertThat(error.has("param")).as("param for %s", shown).isTrue();
    assertThat(error.has("code")).as("code for %s", shown).isTrue();
    assertThat(answer.bodyText()).as("no stack trace for %s", shown).doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no complete answer within " + READ_TIMEOUT_MILLIS + " ms; got: "
          + new String(out.toByteArray(), StandardCharsets.ISO_8859_1));
    } catch (IOException e) {
      // A reset after the answer (the server closed with our unread bytes pending): keep what arrived.
    }
    return out.toByteArray();
  }

  static Answer parse(byte[] bytes, boolean head) {
    int at = 0;
    while (true) {
      int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), at);
      if (end < 0) {
        throw new AssertionError("the connection closed without a complete answer; got: "
            + new String(bytes, StandardCharsets.ISO_8859_1));
      }
      String[] lines = new String(bytes, at, end - at, StandardCharsets.ISO_8859_1).split("\r\n");
      String[] statusLine = lines[0].split(" ", 3);
      int status = Integer.parseInt(statusLine[1]);
      Map<String, String> headers = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      at = end + 4;
      if (status < 200) {
        continue;
      }
      if (head) {
        headers.put("x-head", "true");
        return new Answer(status, headers, new byte[0]);
      }
      byte[] rest = Arrays.copyOfRange(bytes, at, bytes.length);
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        return new Answer(status, headers, dechunk(rest));
      }
      String length = headers.get("content-length");
      int n = length == null ? rest.length : Math.min(rest.length, Integer.parseInt(length));
      return new Answer(status, headers, Arrays.copyOf(rest, n));
    }
  }

  private static byte[] dechunk(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < bytes.length) {
      int lineEnd = indexOf(bytes, "\r\n".getBytes(StandardCharsets.US_ASCII), at);
      if (lineEnd < 0) {
        break;
      }
      String size = new String(bytes, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
      int n = Integer.parseInt(size, 16);
      if (n == 0) {
        break;
      }
      out.write(bytes, lineEnd + 2, Math.min(n, bytes.length - lineEnd - 2));
      at = lineEnd + 2 + n + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] bytes, byte[] needle, int from) {
    outer:
    for (int i = from; i <= bytes.length - needle.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (bytes[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean startsWith(byte[] bytes, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    return bytes.length >= p.length && Arrays.equals(bytes, 0, p.length, p, 0, p.length);
  }

  /** The request as Java string text, control bytes escaped, cut to 600 characters: enough to reproduce by hand. */
  static String shown(byte[] request) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < request.length && s.length() < 600; i++) {
      int b = request[i] & 0xFF;
      s.append(b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b));
    }
    return s.toString();
  }
}
