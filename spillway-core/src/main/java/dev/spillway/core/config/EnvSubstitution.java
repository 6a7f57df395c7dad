package dev.spillway.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Expands {@code ${NAME}} and {@code ${NAME:-default}} (default used when NAME is unset or empty)
 * inside a config scalar; <code>$${</code> is a literal <code>${</code>. Pure; the environment is injected.
 */
final class EnvSubstitution {
  private EnvSubstitution() {}

  /**
   * @param value the expanded text (meaningless when {@code missing} or {@code malformed})
   * @param substituted whether any reference was expanded (then the value must not be echoed)
   * @param missing variables referenced without default that are unset
   * @param malformed whether a <code>${</code> was not a valid reference
   */
  record Result(String value, boolean substituted, List<String> missing, boolean malformed) {}

  static Result expand(String text, Function<String, String> env) {
    if (text.indexOf('$') < 0) {
      return new Result(text, false, List.of(), false);
    }
    StringBuilder out = new StringBuilder(text.length());
    List<String> missing = new ArrayList<>();
    boolean substituted = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (c == '$' && text.startsWith("${", i)) {
        int close = text.indexOf('}', i + 2);
        if (close < 0) {
          return new Result(text, substituted, missing, true);
        }
        String body = text.substring(i + 2, close);
        int separator = body.indexOf(":-");
        String name = separator < 0 ? body : body.substring(0, separator);
        if (!isName(name)) {
          return new Result(text, substituted, missing, true);
        }
        String found = env.apply(name);
        if (separator >= 0 && (found == null || found.isEmpty())) {
          found = body.substring(separator + 2);
        }
        if (found == null) {
          missing.add(name);
        } else {
          out.append(found);
        }
        substituted = true;
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return new Result(out.toString(), substituted, List.copyOf(missing), false);
  }

  private static boolean isName(String name) {
    if (name.isEmpty() || !(Character.isLetter(name.charAt(0)) || name.charAt(0) == '_')) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c == '_' || (c < 128 && Character.isLetterOrDigit(c)))) {
        return false;
      }
    }
    return name.charAt(0) < 128;
  }
}
