package dev.spillway.core.multipart;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A header value of the form {@code type; key=value; key="quoted value"}: a media type with its parameters
 * (RFC 9110) or a part's {@code Content-Disposition} (RFC 7578, RFC 6266). The type and the keys are lower-cased; values
 * are kept as sent, a quoted one without its quotes and with {@code \"} and {@code \\} unescaped (browsers escape a
 * quote in a file name as {@code %22} and leave other backslashes alone, so any other backslash is kept).
 *
 * <p>A value that two parsers could read differently is refused rather than guessed at: an unterminated quote, text
 * after a closing quote, an empty key, or the same key twice (which {@code boundary} or {@code name} would win is
 * exactly where a gateway and its backend must not disagree).
 *
 * @param type the part before the first {@code ;}, trimmed and lower-cased
 * @param params parameters by lower-cased key, in order; a key without {@code =} is left out
 */
record HeaderParams(String type, Map<String, String> params) {
  HeaderParams {
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** The parameter {@code key} (lower case), if present. */
  Optional<String> param(String key) {
    return Optional.ofNullable(params.get(key));
  }

  /** Reads {@code text}; empty when it is ambiguous as described in the class comment. */
  static Optional<HeaderParams> parse(String text) {
    int n = text.length();
    int semi = text.indexOf(';');
    String type = (semi < 0 ? text : text.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    int i = semi < 0 ? n : semi + 1;
    while (i < n) {
      char c = text.charAt(i);
      if (c == ' ' || c == '\t' || c == ';') {
        i++;
        continue;
      }
      int keyStart = i;
      while (i < n && text.charAt(i) != '=' && text.charAt(i) != ';') {
        i++;
      }
      String key = text.substring(keyStart, i).trim().toLowerCase(Locale.ROOT);
      if (i == n || text.charAt(i) == ';') {
        continue; // a bare word, no value: nothing to read
      }
      i = skipBlanks(text, i + 1);
      String value;
      if (i < n && text.charAt(i) == '"') {
        StringBuilder quoted = new StringBuilder();
        i++;
        boolean closed = false;
        while (i < n) {
          char q = text.charAt(i++);
          if (q == '"') {
            closed = true;
            break;
          }
          if (q == '\\' && i < n && (text.charAt(i) == '"' || text.charAt(i) == '\\')) {
            q = text.charAt(i++);
          }
          quoted.append(q);
        }
        i = skipBlanks(text, i);
        if (!closed || (i < n && text.charAt(i) != ';')) {
          return Optional.empty();
        }
        value = quoted.toString();
      } else {
        int valueStart = i;
        while (i < n && text.charAt(i) != ';') {
          i++;
        }
        value = text.substring(valueStart, i).trim();
      }
      if (key.isEmpty() || params.putIfAbsent(key, value) != null) {
        return Optional.empty();
      }
    }
    return Optional.of(new HeaderParams(type, params));
  }

  private static int skipBlanks(String text, int i) {
    while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }
}
