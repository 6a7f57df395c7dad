package dev.spillway.core.guard.lists;

/**
 * The folding a keyword list matches under, shared by the terms (when a list is built) and the text (as it is
 * searched), and what counts as a word character at a match's edges.
 *
 * <p>Case: each code point {@code c} becomes {@code toLowerCase(toUpperCase(c))} (Java's {@link Character} simple,
 * one-to-one mappings, no locale). Going through upper case joins the letters that lower-casing alone keeps apart:
 * {@code ſ}/{@code s}, {@code ς}/{@code σ}, Kelvin sign/{@code k}, dotless {@code ı}/{@code i}/{@code İ}. Being one
 * to one, it keeps every offset of the text: a match's span is the original text's. The price: no multi-character
 * folds ({@code ß} does not match {@code ss}), no Unicode normalization ({@code é} written as {@code e} + combining
 * acute is not {@code é} precomposed), no accent stripping. Letters outside the Basic Multilingual Plane fold too
 * (Deseret, Osage, Adlam), as a pair of chars for a pair.
 *
 * <p>Spaces: every whitespace or space-separator char (tab, line breaks, no-break space, ideographic space) folds to
 * one {@code ' '}, and a run of them is read as one, so the phrase {@code "new york"} also matches
 * {@code "New\n  York"}. A hyphen is not a space: {@code "new-york"} is another word.
 *
 * <p>Word characters: letters, digits and combining marks (a mark after a term's last letter changes that letter, so
 * {@code cafe} does not match {@code café} written with a combining accent). Scripts written without spaces (Chinese,
 * Japanese, Thai) have no word edges to find, so a term in them matches only where non-word characters surround it.
 */
final class TermFolding {
  /** The folded char of every BMP char; surrogates map to themselves (pairs are folded as code points). */
  private static final char[] FOLD = new char[Character.MAX_VALUE + 1];

  static {
    for (int c = 0; c <= Character.MAX_VALUE; c++) {
      char ch = (char) c;
      if (Character.isSurrogate(ch)) {
        FOLD[c] = ch;
      } else if (Character.isWhitespace(ch) || Character.isSpaceChar(ch)) {
        FOLD[c] = ' ';
      } else {
        FOLD[c] = Character.toLowerCase(Character.toUpperCase(ch));
      }
    }
  }

  private TermFolding() {}

  /** The folded form of one char; a surrogate is left as it is (see {@link #foldCodePoint}). */
  static char fold(char c) {
    return FOLD[c];
  }

  /** The folded form of a code point, always with as many chars as {@code cp} has. */
  static int foldCodePoint(int cp) {
    if (cp <= Character.MAX_VALUE) {
      return FOLD[cp];
    }
    int folded = Character.toLowerCase(Character.toUpperCase(cp));
    return Character.charCount(folded) == 2 ? folded : cp;
  }

  /**
   * A term as the automaton stores it: folded, without leading or trailing spaces, each run of spaces inside as one
   * {@code ' '}. Empty when the term has nothing but spaces.
   *
   * @throws IllegalArgumentException when the term holds a lone surrogate (a broken code point cannot match a word)
   */
  static String normalize(String term) {
    StringBuilder out = new StringBuilder(term.length());
    boolean pendingSpace = false;
    for (int i = 0; i < term.length(); ) {
      int cp = term.codePointAt(i);
      if (Character.isSurrogate(term.charAt(i)) && Character.charCount(cp) == 1) {
        throw new IllegalArgumentException("it holds a lone surrogate at index " + i);
      }
      int folded = foldCodePoint(cp);
      i += Character.charCount(cp);
      if (folded == ' ') {
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      out.appendCodePoint(folded);
    }
    return out.toString();
  }

  /** Whether the code point is a letter, a digit or a combining mark: a character that would continue a word. */
  static boolean isWordChar(int cp) {
    if (cp < 0x80) {
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    }
    if (Character.isLetterOrDigit(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.NON_SPACING_MARK
        || type == Character.COMBINING_SPACING_MARK
        || type == Character.ENCLOSING_MARK;
  }

  /** Whether a word character sits right before {@code index} in {@code text}. */
  static boolean wordCharBefore(CharSequence text, int index) {
    return index > 0 && isWordChar(Character.codePointBefore(text, index));
  }

  /** Whether a word character starts at {@code index} in {@code text}. */
  static boolean wordCharAt(CharSequence text, int index) {
    return index < text.length() && isWordChar(Character.codePointAt(text, index));
  }
}
