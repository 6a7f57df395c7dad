package dev.spillway.core.guard.injection;

import java.util.Arrays;

/**
 * The words of one text that the rules know, in order: for each, its position among all the text's words (so a rule
 * can say how many words may lie between two cues), its character span, its {@link CueClass} mask and its literal word
 * id. Words the rules do not know are counted but not kept, so a long ordinary prompt leaves only a handful of entries.
 * A sentence end (a {@code .}, {@code !}, {@code ?} or {@code ;} before a space, or a blank line) adds {@link #BARRIER}
 * to the position, so cues in different sentences are far apart.
 *
 * <p>Words are spelled as {@link Fold} says (lower case, accents dropped, French and Italian elisions split) before
 * they are looked up.
 *
 * <p>Reused: one instance per thread is {@link #fill filled} again for each text, and its arrays only grow, so reading
 * a text allocates nothing once they are large enough.
 */
final class CueTokens {
  private static final int WORD = 1;
  private static final int UPPER = 2;
  private static final int LOWER = 4;
  /** What each ASCII character is, so the common case needs no {@link Character} lookups. */
  private static final byte[] ASCII = new byte[128];

  static {
    for (char c = 0; c < 128; c++) {
      ASCII[c] = (byte) unicodeKind(c);
    }
  }

  /** A combining mark (an accent written as a character of its own): part of the word, but not spelled. */
  private static final int MARK = 8;

  private static int unicodeKind(char c) {
    if (!Character.isLetterOrDigit(c)) {
      return Character.getType(c) == Character.NON_SPACING_MARK ? MARK : 0;
    }
    return WORD | (Character.isUpperCase(c) ? UPPER : 0) | (Character.isLowerCase(c) ? LOWER : 0);
  }

  private static boolean isApostrophe(char c) {
    return c == '\'' || c == '\u2019';
  }

  /** Positions added at a sentence end. */
  static final int BARRIER = 6;

  int count;
  int[] pos = new int[64];
  int[] start = new int[64];
  int[] end = new int[64];
  long[] mask = new long[64];
  int[] word = new int[64];
  /** The classes of all known words together: a pattern needing a class absent here cannot match. */
  long present;
  /** Which literal word ids occur, one bit each. */
  long[] literals = new long[8];
  /** Where each {@link Marker} first occurs and ends, -1 where it does not. */
  final int[] markerStarts = new int[Marker.values().length];
  final int[] markerEnds = new int[Marker.values().length];
  /** Every word's count, known or not; some rules look at the text's length. */
  int words;
  /** Where the first word ending in {@code gpt} other than ChatGPT/GPT starts (a jailbreak persona's usual name). */
  int gptNameStart = -1;
  int gptNameEnd = -1;

  /** Reads {@code text}'s words and keeps the known ones. */
  void fill(CharSequence text, Lexicon lexicon) {
    count = 0;
    words = 0;
    present = 0;
    Arrays.fill(literals, 0);
    gptNameStart = -1;
    Arrays.fill(markerStarts, -1);
    Arrays.fill(markerEnds, -1);
    int position = 0;
    int n = text.length();
    int i = 0;
    int run = 0;
    int runKinds = 0;
    boolean lineStart = true;
    while (i < n) {
      char c = text.charAt(i);
      if (((c < 128 ? ASCII[c] : unicodeKind(c)) & WORD) == 0) {
        int f = c < 128 ? Marker.CHARS[c] : 0;
        if ((f & Marker.BASE64) != 0) {
          run++;
        } else {
          if (run >= Marker.BLOB_LENGTH) {
            Marker.blob(i, run, runKinds, markerStarts, markerEnds);
          }
          run = 0;
          runKinds = 0;
        }
        if ((f & Marker.TRIGGER) != 0 || lineStart) {
          lineStart = Marker.special(text, i, c, lineStart, markerStarts, markerEnds);
        }
        boolean sentenceEnd = c == '.' || c == '!' || c == '?' || c == ';';
        if (sentenceEnd && (i + 1 >= n || Character.isWhitespace(text.charAt(i + 1)))) {
          position += BARRIER;
        } else if (c == '\n' && i + 1 < n && text.charAt(i + 1) == '\n') {
          position += BARRIER;
        }
        i++;
        continue;
      }
      if (lineStart) {
        lineStart = Marker.special(text, i, c, true, markerStarts, markerEnds);
      }
      int s = i;
      long h = Lexicon.FNV_OFFSET;
      long prefixClasses = 0;
      boolean upper = true;
      int len = 0;
      char first = 0;
      boolean prefixes = false;
      while (i < n) {
        c = text.charAt(i);
        int kind = c < 128 ? ASCII[c] : unicodeKind(c);
        if (kind == MARK) {
          i++;
          continue;
        }
        if (kind == 0 && !(c == '_' && len > 0) && !(isApostrophe(c) && len > 0 && i + 1 < n
            && Character.isLetter(text.charAt(i + 1)) && !Fold.elides(h))) {
          break;
        }
        if ((kind & LOWER) != 0) {
          upper = false;
        }
        int f = c < 128 ? Marker.CHARS[c] : 0;
        if ((f & Marker.BASE64) != 0) {
          run++;
          runKinds |= f & 7;
        } else {
          if (run >= Marker.BLOB_LENGTH) {
            Marker.blob(i, run, runKinds, markerStarts, markerEnds);
          }
          run = 0;
          runKinds = 0;
        }
        char lower = (kind & UPPER) == 0 ? (isApostrophe(c) ? '\'' : c)
            : c < 128 ? (char) (c | 0x20) : Character.toLowerCase(c);
        char second = 0;
        if (lower >= 0xC0) {
          int folded = Fold.fold(lower);
          lower = (char) folded;
          second = (char) (folded >>> 16);
        }
        i++;
        h = (h ^ lower) * Lexicon.FNV_PRIME;
        len++;
        if (len == 1) {
          first = lower;
        } else if (len == 2) {
          prefixes = lexicon.prefixStartsWith(Lexicon.start(first, lower));
        } else if (prefixes && lexicon.prefixAt(len)) {
          prefixClasses |= lexicon.prefixClasses(h);
        }
        if (second != 0) {
          // a letter that stands for two (ß is ss): the second, as if it had been written
          h = (h ^ second) * Lexicon.FNV_PRIME;
          len++;
          if (len == 2) {
            prefixes = lexicon.prefixStartsWith(Lexicon.start(first, second));
          } else if (prefixes && lexicon.prefixAt(len)) {
            prefixClasses |= lexicon.prefixClasses(h);
          }
        }
      }
      words++;
      int slot = lexicon.find(h);
      long classes = prefixClasses | (slot < 0 ? 0 : lexicon.classes(slot, upper && len > 1));
      int id = slot < 0 ? -1 : lexicon.wordId(slot);
      if (classes != 0 || id >= 0) {
        add(position, s, i, classes, id);
      } else if (len > 4 && gptNameStart < 0 && endsWithGpt(text, i)) {
        gptNameStart = s;
        gptNameEnd = i;
      }
      position++;
    }
    if (run >= Marker.BLOB_LENGTH) {
      Marker.blob(n, run, runKinds, markerStarts, markerEnds);
    }
  }

  /** Whether the word ending at {@code end} ends in "gpt" (ChatGPT and GPT are known words and never get here). */
  private static boolean endsWithGpt(CharSequence text, int end) {
    return (text.charAt(end - 3) | 0x20) == 'g' && (text.charAt(end - 2) | 0x20) == 'p'
        && (text.charAt(end - 1) | 0x20) == 't';
  }

  /** Whether the literal word {@code id} occurs. */
  boolean hasLiteral(int id) {
    return id >>> 6 < literals.length && (literals[id >>> 6] & 1L << id) != 0;
  }

  private void add(int position, int s, int e, long classes, int id) {
    if (count == pos.length) {
      int size = count * 2;
      pos = Arrays.copyOf(pos, size);
      start = Arrays.copyOf(start, size);
      end = Arrays.copyOf(end, size);
      mask = Arrays.copyOf(mask, size);
      word = Arrays.copyOf(word, size);
    }
    present |= classes;
    if (id >= 0) {
      if (id >>> 6 >= literals.length) {
        literals = Arrays.copyOf(literals, (id >>> 6) + 1);
      }
      literals[id >>> 6] |= 1L << id;
    }
    pos[count] = position;
    start[count] = s;
    end[count] = e;
    mask[count] = classes;
    word[count] = id;
    count++;
  }
}
