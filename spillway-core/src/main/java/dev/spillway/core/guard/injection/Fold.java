package dev.spillway.core.guard.injection;

import java.text.Normalizer;
import java.util.Locale;

/**
 * How the detector spells a word before looking it up: lower case, accents dropped ({@code é} is {@code e}, {@code ü}
 * is {@code u}), and the letters that stand for two ({@code ß}, {@code æ}, {@code œ}, {@code ĳ}) written out
 * ({@code ss}, {@code ae}, {@code oe}, {@code ij}); so "Règles", "regles" and "REGLES" are one word, and so are "vergiß"
 * and "vergiss". Covers Latin-1 and Latin Extended-A (U+00C0 to U+017F); other characters are kept as they are. The
 * word lists are written folded (plain a to z) and {@link Lexicon} folds them again, so an accent in a list is harmless.
 *
 * <p>Also the French and Italian elisions: "l'invite", "d'instructions", "n'ignore", "dell'assistente" are read as two
 * words each, so the word after the apostrophe is found on its own.
 */
final class Fold {
  private static final int FIRST = 0xC0;
  private static final int LAST = 0x17F;
  /** Per character from {@link #FIRST}: the folded character, and in the high 16 bits a second one, or 0. */
  private static final int[] TABLE = new int[LAST - FIRST + 1];
  /** Hashes (as {@link CueTokens} computes them) of the words an apostrophe elides: l', d', qu', dell', ... */
  private static final long[] ELISIONS;

  static {
    for (int c = FIRST; c <= LAST; c++) {
      String lower = String.valueOf((char) c).toLowerCase(Locale.ROOT);
      String out = switch (lower) {
        case "ß" -> "ss";
        case "æ" -> "ae";
        case "œ" -> "oe";
        case "ĳ" -> "ij";
        default -> {
          String d = Normalizer.normalize(lower, Normalizer.Form.NFD);
          char base = d.isEmpty() ? (char) c : d.charAt(0);
          yield base < 128 && Character.isLetter(base) ? String.valueOf(base) : lower.length() == 1 ? lower : "";
        }
      };
      TABLE[c - FIRST] = out.isEmpty() ? c : out.length() == 1 ? out.charAt(0) : out.charAt(0) | out.charAt(1) << 16;
    }
    String[] elided = {"l", "d", "n", "s", "j", "t", "m", "c", "qu", "lorsqu", "puisqu", "jusqu", "dell", "all", "nell",
        "sull", "dall", "un", "quell", "quest", "nessun"};
    ELISIONS = new long[elided.length];
    for (int i = 0; i < elided.length; i++) {
      ELISIONS[i] = rawHash(elided[i]);
    }
  }

  /**
   * {@code lower} (a character already in lower case) folded: the plain letter in the low 16 bits and, where it stands
   * for two, the second in the high 16 bits.
   */
  static int fold(char lower) {
    return lower < FIRST || lower > LAST ? lower : TABLE[lower - FIRST];
  }

  /** A whole word folded, as the word lists are looked up. */
  static String word(String w) {
    StringBuilder b = new StringBuilder(w.length());
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      char lower = Character.isUpperCase(c) ? Character.toLowerCase(c) : c == '\u2019' ? '\'' : c;
      int f = fold(lower);
      b.append((char) (f & 0xFFFF));
      if (f >>> 16 != 0) {
        b.append((char) (f >>> 16));
      }
    }
    return b.toString();
  }

  /** Whether a word whose running hash is {@code h} is one an apostrophe elides ({@code l'}, {@code qu'}, ...). */
  static boolean elides(long h) {
    for (long e : ELISIONS) {
      if (e == h) {
        return true;
      }
    }
    return false;
  }

  private static long rawHash(String w) {
    long h = Lexicon.FNV_OFFSET;
    for (int i = 0; i < w.length(); i++) {
      h = (h ^ w.charAt(i)) * Lexicon.FNV_PRIME;
    }
    return h;
  }

  private Fold() {}
}
