package dev.spillway.core.limits;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Builds counter keys from named dimensions: {@code {consumer=search-app, model=gpt-4o}} becomes
 * {@code consumer=search-app|model=gpt-4o}.
 *
 * <p>Stable: dimensions are sorted by name, so the map's order never matters. Unambiguous: in names
 * and values the separators {@code = |}, the escape {@code %}, Redis hash-tag braces {@code { }},
 * whitespace and control characters are percent-encoded (UTF-8), so a header value such as {@code
 * a|team=x} cannot forge another dimension. Readable: everything else is kept as is.
 */
public final class CounterKeys {

  /** The key for a limit shared by all traffic (no dimensions). */
  public static final String GLOBAL = "*";

  private CounterKeys() {}

  /** A stable, escaped key for {@code dimensions}; {@link #GLOBAL} when there are none. */
  public static String compose(Map<String, String> dimensions) {
    Objects.requireNonNull(dimensions, "dimensions");
    if (dimensions.isEmpty()) {
      return GLOBAL;
    }
    StringBuilder key = new StringBuilder();
    for (Map.Entry<String, String> dimension : new TreeMap<>(dimensions).entrySet()) {
      String name = Objects.requireNonNull(dimension.getKey(), "dimension name");
      String value = Objects.requireNonNull(dimension.getValue(), () -> "value of dimension " + name);
      if (name.isEmpty()) {
        throw new IllegalArgumentException("dimension names must not be empty");
      }
      if (!key.isEmpty()) {
        key.append('|');
      }
      escape(name, key);
      key.append('=');
      escape(value, key);
    }
    return key.toString();
  }

  private static void escape(String text, StringBuilder out) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (needsEscape(cp)) {
        for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
              .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
        }
      } else {
        out.appendCodePoint(cp);
      }
    }
  }

  private static boolean needsEscape(int cp) {
    return cp == '%' || cp == '=' || cp == '|' || cp == '{' || cp == '}'
        || Character.isWhitespace(cp) || Character.isISOControl(cp) || Character.isSpaceChar(cp);
  }
}
