package dev.spillway.core.multipart;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a part's header block says about it: its form field name, its file name when it is a file, its content type.
 * Only {@code Content-Disposition} and {@code Content-Type} are read; other headers are allowed and ignored. Header
 * text is read as UTF-8 (RFC 7578 4.2: names and file names may be sent as UTF-8). A folded header line (one starting
 * with a space or a tab) continues the one before it.
 *
 * @param name the {@code name} parameter of {@code Content-Disposition: form-data}
 * @param filename {@code filename*} (RFC 5987, UTF-8 or ISO-8859-1) when it decodes, else {@code filename}; present
 *     (possibly empty) for a file part
 * @param contentType the part's {@code Content-Type} value, trimmed
 */
record PartHead(String name, Optional<String> filename, Optional<String> contentType) {

  /** A header block that cannot be read; the message is short and names no header value. */
  static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Reads a header block: {@code length} bytes of {@code block}, ending with the empty line's CRLF (so an empty block
   * is just CRLF).
   */
  static PartHead parse(byte[] block, int length) throws Unreadable {
    String disposition = null;
    String contentType = null;
    for (String line : unfold(new String(block, 0, Math.max(0, length - 2), StandardCharsets.UTF_8))) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new Unreadable("a part header line without a name and a colon");
      }
      String field = line.substring(0, colon);
      if (field.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
        throw new Unreadable("a part header name with a space or a control character");
      }
      String value = line.substring(colon + 1).strip();
      switch (field.toLowerCase(Locale.ROOT)) {
        case "content-disposition" -> {
          if (disposition != null) {
            throw new Unreadable("a part with two Content-Disposition headers");
          }
          disposition = value;
        }
        case "content-type" -> {
          if (contentType != null) {
            throw new Unreadable("a part with two Content-Type headers");
          }
          contentType = value;
        }
        default -> {} // Content-Transfer-Encoding and the like: RFC 7578 deprecates them; the bytes pass as sent
      }
    }
    if (disposition == null) {
      throw new Unreadable("a part without Content-Disposition");
    }
    HeaderParams params =
        HeaderParams.parse(disposition).orElseThrow(() -> new Unreadable("an ambiguous Content-Disposition"));
    if (!params.type().equals("form-data")) {
      throw new Unreadable("a part whose Content-Disposition is not form-data");
    }
    String name = params.param("name").orElseThrow(() -> new Unreadable("a form-data part without a name"));
    Optional<String> filename = params.param("filename*").flatMap(PartHead::extendedValue)
        .or(() -> params.param("filename"))
        .or(() -> params.param("filename*"));
    return new PartHead(name, filename, Optional.ofNullable(contentType));
  }

  /** The header lines of {@code text} (lines ended by CRLF), each folded continuation joined to its line. */
  private static List<String> unfold(String text) throws Unreadable {
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\r\n")) {
      if (line.isEmpty()) {
        continue; // only the split of an empty block gives one
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (lines.isEmpty()) {
          throw new Unreadable("a part's header block begins with a continuation line");
        }
        lines.set(lines.size() - 1, lines.getLast() + ' ' + line.strip());
      } else {
        lines.add(line);
      }
    }
    return lines;
  }

  /** An RFC 5987 value, {@code charset'language'percent-encoded}, decoded; empty when it cannot be. */
  static Optional<String> extendedValue(String value) {
    int first = value.indexOf('\'');
    int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
    if (second < 0) {
      return Optional.empty();
    }
    Charset charset;
    switch (value.substring(0, first).toLowerCase(Locale.ROOT)) {
      case "utf-8" -> charset = StandardCharsets.UTF_8;
      case "iso-8859-1" -> charset = StandardCharsets.ISO_8859_1;
      default -> {
        return Optional.empty();
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (int i = second + 1; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%') {
        int hi = i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
        int lo = hi < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
        if (lo < 0) {
          return Optional.empty();
        }
        bytes.write(hi * 16 + lo);
        i += 2;
      } else if (c < 0x80) {
        bytes.write(c);
      } else {
        return Optional.empty();
      }
    }
    return Optional.of(bytes.toString(charset));
  }
}
