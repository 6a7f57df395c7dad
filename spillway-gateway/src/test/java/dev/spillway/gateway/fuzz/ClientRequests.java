package dev.spillway.gateway.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * What a client can send, as bytes on the wire: a method, a URL (the gateway's routes in their three families, broken
 * percent escapes, queries, or any text), headers (the ones the gateway reads — credentials, session key, content
 * type, cookies — with odd values, and any others) and a body (request-shaped JSON with odd values, or any bytes),
 * framed by a correct {@code content-length} or by chunked encoding. Framing is kept honest on purpose: a body shorter
 * than declared is a slow client, which the reliability suite's client-fault tests cover, not a parser's input.
 */
final class ClientRequests {
  /** The gateway under test refuses bodies above this ({@code server.maxBodyBytes}). */
  static final int MAX_BODY_BYTES = 4096;

  private static final String[] METHODS = {"POST", "POST", "POST", "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"};
  private static final String[] MODELS = {"gpt-4o", "gpt-4o", "text-embedding-3-small", "gpt-9", "", "GPT-4O"};
  private static final String[] NAMES = {"gpt-4o", "text-embedding-3-small", "nope", "%", "%zz", "%C3%A9", "a%2Fb", ".."};
  private static final String[] OPERATIONS = {"chat/completions", "completions", "embeddings"};
  private static final String[] NUMBERS = {
    "0", "1", "2", "16", "64", "-1", "2.0", "2.5", "1e3", "1E400", "-0", "9223372036854775807", "9223372036854775808",
    "1e-400", "100000000000000000000000000000000", "\"8\"", "null", "true"
  };
  private static final String[] BODY_KEYS = {
    "model", "messages", "stream", "stream_options", "max_tokens", "max_completion_tokens", "n", "best_of", "prompt",
    "suffix", "input", "tools", "functions", "temperature", "user", "dimensions", "encoding_format"
  };
  private static final String[] HEADER_NAMES = {
    "content-type", "authorization", "api-key", "x-session-id", "cookie", "x-user", "accept", "if-none-match",
    "x-forwarded-for", "user-agent", "accept-encoding", "expect", "x-ms-client-request-id"
  };
  private static final String[] HEADER_VALUES = {
    "application/json", "application/json; charset=utf-16", "text/plain", "text/event-stream", "Bearer ",
    "Bearer a.b.c", "Basic Zm9vOmJhcg==", "session=abc; session=def", "gzip", "100-continue", "*/*", ""
  };

  private ClientRequests() {}

  /**
   * One request, complete with {@code Connection: close}, as the bytes to write. Half start from a request a backend
   * would serve and change a little of it (method, URL, body, an odd field, odd headers), so that the fixed random run
   * gets past the first checks as often as it is stopped by them; the other half are assembled from any parts.
   */
  static byte[] next(Choices c) {
    String method;
    String target;
    byte[] body;
    if (c.flip()) {
      String operation = c.one(new String[] {"chat/completions", "chat/completions", "completions", "embeddings"});
      String model = operation.equals("embeddings") ? "text-embedding-3-small" : "gpt-4o";
      method = c.between(0, 7) == 0 ? c.one(METHODS) : "POST";
      target = c.between(0, 7) == 0 ? target(c) : switch (c.between(0, 2)) {
        case 0 -> "/v1/" + operation;
        case 1 -> "/openai/v1/" + operation;
        default -> "/openai/deployments/" + model + "/" + operation + "?api-version=2024-10-21";
      };
      body = c.between(0, 5) == 0 ? body(c) : servable(operation, model, c).getBytes(StandardCharsets.UTF_8);
    } else {
      method = c.between(0, 9) > 0 ? c.one(METHODS) : token(c.text(8));
      target = target(c);
      body = body(c);
    }
    boolean chunked = body.length > 0 && c.between(0, 4) == 0;
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("host: 127.0.0.1\r\nconnection: close\r\n");
    int extra = c.between(0, 3);
    for (int i = 0; i < extra; i++) {
      String name = c.between(0, 15) == 0 ? token(c.text(12)) : c.one(HEADER_NAMES);
      head.append(name).append(": ").append(headerValue(name, c)).append("\r\n");
    }
    head.append(chunked ? "transfer-encoding: chunked\r\n" : "content-length: " + body.length + "\r\n").append("\r\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (chunked) {
      int at = 0;
      while (at < body.length) {
        int n = Math.min(body.length - at, c.between(1, 512));
        out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, at, n);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        at += n;
      }
      out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    } else {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  private static String target(Choices c) {
    String path =
        switch (c.between(0, 7)) {
          case 0, 1 -> c.one(new String[] {"/v1/", "/openai/v1/"}) + c.one(OPERATIONS);
          case 2, 3 -> "/openai/deployments/" + (c.flip() ? c.one(NAMES) : escapedText(c)) + "/" + c.one(OPERATIONS);
          case 4 -> c.one(new String[] {"/v1/models", "/openai/v1/models", "/v1/models/", "/openai/v1/models/"})
              + (c.flip() ? "" : c.flip() ? c.one(NAMES) : escapedText(c));
          case 5 -> c.one(new String[] {"/healthz", "/readyz", "/metrics", "/dashboard", "/dashboard/", "/dashboard/api/stats",
            "/admin/backends", "/admin/backends/x/reset", "/", "*", "//v1/chat/completions", "/v1/chat/completions/"});
          default -> "/" + visible(c.text(40));
        };
    return switch (c.between(0, 3)) {
      case 0 -> path + "?api-version=" + c.one(new String[] {"2024-10-21", "", "%", "x"});
      case 1 -> path + "?" + visible(c.text(24));
      default -> path;
    };
  }

  /** Fuzz text made safe for a request line (no space, CR or LF), non-ASCII percent-encoded byte by byte. */
  private static String escapedText(Choices c) {
    return visible(c.text(16));
  }

  private static String visible(String text) {
    StringBuilder s = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      if (b > 0x20 && b < 0x7F) {
        s.append((char) b);
      } else {
        s.append('%').append(String.format("%02X", b & 0xFF));
      }
    }
    return s.toString();
  }

  /**
   * What a header value can be on the wire: anything but CR and LF, which would end it. Mostly visible text, since a
   * control character makes the HTTP decoder refuse the whole request before the gateway's own code sees it.
   */
  private static String headerValue(String name, Choices c) {
    String value =
        switch (c.between(0, 5)) {
          case 0, 1 -> c.one(HEADER_VALUES);
          case 2 -> name.equals("authorization") ? "Bearer " + jwtLike(c) : printable(c.text(40));
          case 3 -> c.text(40);
          default -> printable(c.text(40));
        };
    return oneLine(value);
  }

  /** Control characters replaced by a letter. */
  private static String printable(String text) {
    StringBuilder s = new StringBuilder(text.length());
    for (char ch : text.toCharArray()) {
      s.append(ch < 0x20 || ch == 0x7F ? 'x' : ch);
    }
    return s.toString();
  }

  /** Three base64url parts, the first two JSON-ish: what a token looks like to a parser that must reject it. */
  private static String jwtLike(Choices c) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = c.one(new String[] {"{\"alg\":\"RS256\",\"kid\":\"k1\"}", "{\"alg\":\"none\"}", "{\"alg\":\"HS256\"}",
      "{\"alg\":\"RS256\",\"kid\":" + c.text(8) + "}", c.text(24)});
    String claims = "{\"iss\":\"https://issuer.test\",\"aud\":\"api://spillway\",\"exp\":" + c.one(NUMBERS) + ",\"sub\":"
        + quoted(c.text(12)) + "}";
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(c.bytes(32));
  }

  private static String oneLine(String value) {
    // Header bytes go out as ISO-8859-1: characters above U+00FF become '?', CR and LF a space.
    return value.replace('\r', ' ').replace('\n', ' ');
  }

  /** A method or header name: anything but the separators that would break the line. */
  private static String token(String text) {
    String t = text.replaceAll("[\\s:]", "");
    return t.isEmpty() ? "X" : t;
  }

  private static byte[] body(Choices c) {
    return switch (c.between(0, 6)) {
      case 0 -> new byte[0];
      case 1 -> c.bytes(512);
      case 2 -> ("{\"model\":\"gpt-4o\",\"input\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}").getBytes(StandardCharsets.UTF_8);
      default -> json(c).getBytes(c.between(0, 7) == 0 ? StandardCharsets.UTF_16 : StandardCharsets.UTF_8);
    };
  }

  /** A request a backend would serve (chat, text completion or embeddings), with at most one odd field. */
  private static String servable(String operation, String model, Choices c) {
    String odd = c.flip() ? "" : "," + quoted(c.one(BODY_KEYS)) + ":" + valueFor(c.one(BODY_KEYS), c);
    return switch (operation) {
      case "embeddings" -> "{\"model\":\"" + model + "\",\"input\":" + quoted(c.text(32)) + odd + "}";
      case "completions" -> "{\"model\":\"" + model + "\",\"prompt\":" + quoted(c.text(32)) + odd + "}";
      default -> "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":" + quoted(c.text(32))
          + "}]" + (c.flip() ? ",\"stream\":true" : "") + odd + "}";
    };
  }

  /** A request-shaped JSON object; values are often of the wrong type or out of range, sometimes not JSON at all. */
  static String json(Choices c) {
    List<String> fields = new ArrayList<>();
    if (c.between(0, 5) > 0) {
      fields.add("\"model\":" + (c.between(0, 4) > 0 ? quoted(c.one(MODELS)) : value(c, 1)));
    }
    if (c.between(0, 3) > 0) {
      fields.add("\"messages\":" + messages(c));
    }
    int extra = c.between(0, 4);
    for (int i = 0; i < extra; i++) {
      String key = c.between(0, 6) == 0 ? c.text(8) : c.one(BODY_KEYS);
      fields.add(quoted(key) + ":" + valueFor(key, c));
    }
    String json = "{" + String.join(",", fields) + "}";
    return c.between(0, 11) == 0 ? json.substring(0, c.between(0, json.length())) : json;
  }

  private static String valueFor(String key, Choices c) {
    return switch (key) {
      case "stream" -> c.one(new String[] {"true", "false", "\"yes\"", "1", "null"});
      case "stream_options" -> c.one(new String[] {"{\"include_usage\":true}", "{\"include_usage\":false}", "{}", "null", "7"});
      case "prompt", "input" -> c.flip() ? quoted(c.text(64)) : list(c, () -> c.flip() ? c.one(NUMBERS) : quoted(c.text(16)));
      case "max_tokens", "max_completion_tokens", "n", "best_of", "dimensions" -> c.one(NUMBERS);
      case "tools" -> list(c, () -> "{\"type\":\"function\",\"function\":{\"name\":" + quoted(c.text(8))
          + ",\"parameters\":" + value(c, 1) + "}}");
      default -> value(c, 1);
    };
  }

  private static String messages(Choices c) {
    return list(c, () -> {
      String content =
          switch (c.between(0, 3)) {
            case 0 -> quoted(c.text(48));
            case 1 -> list(c, () -> c.flip() ? "{\"type\":\"text\",\"text\":" + quoted(c.text(24)) + "}"
                : "{\"type\":\"image_url\",\"image_url\":{\"url\":" + quoted(imageUrl(c)) + "}}");
            case 2 -> value(c, 1);
            default -> "null";
          };
      return "{\"role\":" + quoted(c.one(new String[] {"system", "user", "assistant", "tool", ""})) + ",\"content\":"
          + content + (c.flip() ? "" : ",\"name\":" + quoted(c.text(8))) + "}";
    });
  }

  private static String imageUrl(Choices c) {
    if (c.flip()) {
      return c.text(32);
    }
    String header = c.one(new String[] {"\u0089PNG\r\n\u001a\n", "GIF89a", "RIFF\0\0\0\0WEBPVP8 ", "\u00ff\u00d8\u00ff\u00c0"});
    byte[] head = header.getBytes(StandardCharsets.ISO_8859_1);
    byte[] rest = c.bytes(40);
    byte[] image = new byte[head.length + rest.length];
    System.arraycopy(head, 0, image, 0, head.length);
    System.arraycopy(rest, 0, image, head.length, rest.length);
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(image);
  }

  private static String value(Choices c, int depth) {
    return switch (depth > 3 ? 0 : c.between(0, 5)) {
      case 0 -> c.one(new String[] {"null", "true", "false", "{}", "[]"});
      case 1 -> c.one(NUMBERS);
      case 2 -> quoted(c.text(24));
      case 3 -> list(c, () -> value(c, depth + 1));
      case 4 -> "{" + quoted(c.one(BODY_KEYS)) + ":" + value(c, depth + 1) + "}";
      default -> c.text(12); // not necessarily JSON
    };
  }

  private static String list(Choices c, java.util.function.Supplier<String> item) {
    int n = c.between(0, 4);
    List<String> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      items.add(item.get());
    }
    return "[" + String.join(",", items) + "]";
  }

  /** A JSON string literal of {@code text}, escaped as JSON requires (lone surrogates stay as they are). */
  static String quoted(String text) {
    StringBuilder s = new StringBuilder("\"");
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        default -> {
          if (ch < 0x20) {
            s.append(String.format("\\u%04x", (int) ch));
          } else {
            s.append(ch);
          }
        }
      }
    }
    return s.append('"').toString();
  }
}
