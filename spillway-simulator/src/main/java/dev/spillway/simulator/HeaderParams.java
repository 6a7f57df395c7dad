package dev.spillway.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Splits a header value such as {@code form-data; name="file"; filename="a;b.wav"} into its main
 * value and {@code key=value} parameters, honouring quoted strings (with backslash escapes). Pure.
 */
final class HeaderParams {
  private HeaderParams() {}

  /** The {@code ;}-separated pieces of {@code value}, quotes kept; the first is the main value. */
  static List<String> split(String value) {
    List<String> pieces = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quoted && c == '\\' && i + 1 < value.length()) {
        piece.append(c).append(value.charAt(++i));
      } else if (c == '"') {
        quoted = !quoted;
        piece.append(c);
      } else if (c == ';' && !quoted) {
        pieces.add(piece.toString());
        piece.setLength(0);
      } else {
        piece.append(c);
      }
    }
    pieces.add(piece.toString());
    return pieces;
  }

  /** The unquoted value of parameter {@code key} (case-insensitive) among {@code pieces} after the first. */
  static Optional<String> param(List<String> pieces, String key) {
    for (String piece : pieces.subList(1, pieces.size())) {
      int eq = piece.indexOf('=');
      if (eq > 0 && piece.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals(key)) {
        return Optional.of(unquote(piece.substring(eq + 1).strip()));
      }
    }
    return Optional.empty();
  }

  private static String unquote(String v) {
    if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
      return v;
    }
    StringBuilder out = new StringBuilder(v.length());
    for (int i = 1; i < v.length() - 1; i++) {
      char c = v.charAt(i);
      if (c == '\\' && i + 1 < v.length() - 1) {
        c = v.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }
}
