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
  /**
   * Chars below this have their fold and word-ness in tables made when the class loads: Latin, Greek, Cyrillic and
   * the other alphabets through the Indic scripts, Georgian, punctuation and letter-like symbols. Chars above it (CJK,
   * Hangul syllables, full-width forms) are folded by the same rules as they come, a few nanoseconds slower each.
   * All 65,536 tables took some 30 ms of CPU to fill when the class loaded, most of it interpreted; these take a fifth.
   */
  private static final int TABLED = 0x3000;

  private static final char[] FOLD = new char[TABLED];
  /** A bit per tabled char: whether it is a word character. */
  private static final long[] WORD = new long[TABLED / 64];

  static {
    for (int c = 0; c < TABLED; c++) {
      FOLD[c] = foldUntabled((char) c);
      if (isWordChar(c)) {
        WORD[c >>> 6] |= 1L << c;
      }
    }
  }

  private TermFolding() {}

  /** The folded form of one char; a surrogate is left as it is (see {@link #foldCodePoint}). */
  static char fold(char c) {
    return c < TABLED ? FOLD[c] : foldUntabled(c);
  }

  private static char foldUntabled(char c) {
    if (Character.isSurrogate(c)) {
      return c;
    }
    if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
      return ' ';
    }
    return Character.toLowerCase(Character.toUpperCase(c));
  }

  /** The folded form of a code point, always with as many chars as {@code cp} has. */
  static int foldCodePoint(int cp) {
    if (cp <= Character.MAX_VALUE) {
      return fold((char) cp);
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

  /** Whether a BMP char is a word character; false for a surrogate, whose pair must be read as a code point. */
  static boolean isWordCharBmp(char c) {
    if (c < TABLED) {
      return (WORD[c >>> 6] & (1L << c)) != 0;
    }
    return !Character.isSurrogate(c) && isWordChar((int) c);
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
