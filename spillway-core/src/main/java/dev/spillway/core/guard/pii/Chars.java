package dev.spillway.core.guard.pii;

/**
 * The ASCII character classes the recognizers test at a candidate's edges. ASCII only on purpose: the entities are
 * written in ASCII digits and letters, and a full-width digit or a letter of another script next to a candidate is
 * treated as a boundary, like punctuation.
 */
final class Chars {
  private Chars() {}

  static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean letter(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  }

  static boolean alnum(char c) {
    return digit(c) || letter(c);
  }

  /** A letter, a digit or an underscore: what makes a candidate part of a longer token. */
  static boolean word(char c) {
    return alnum(c) || c == '_';
  }

  /** The character at {@code i}, or a space outside the text: the edges of a text are boundaries. */
  static char at(CharSequence text, int i) {
    return i < 0 || i >= text.length() ? ' ' : text.charAt(i);
  }

  /** Whether any of {@code words} (lower case) ends within {@code window} characters before {@code pos}. */
  static boolean precededBy(CharSequence text, int pos, int window, String... words) {
    int from = Math.max(0, pos - window);
    String before = text.subSequence(from, pos).toString().toLowerCase(java.util.Locale.ROOT);
    for (String w : words) {
      int i = before.indexOf(w);
      while (i >= 0) {
        boolean startsWord = i == 0 ? from == 0 || !letter(text.charAt(from - 1)) : !letter(before.charAt(i - 1));
        if (startsWord) {
          return true;
        }
        i = before.indexOf(w, i + 1);
      }
    }
    return false;
  }
}
