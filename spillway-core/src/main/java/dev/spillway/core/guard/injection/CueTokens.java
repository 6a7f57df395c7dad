package dev.spillway.core.guard.injection;

import java.util.Arrays;

/**
 * The words of one text that the rules know, in order: for each, its position among all the text's words (so a rule
 * can say how many words may lie between two cues), its character span, its {@link CueClass} mask and its literal word
 * id. Words the rules do not know are counted but not kept, so a long ordinary prompt leaves only a handful of entries.
 * A sentence end (a {@code .}, {@code !}, {@code ?} or {@code ;} before a space, or a blank line) adds {@link #BARRIER}
 * to the position, so cues in different sentences are far apart.
 *
 * <p>Reused: one instance per thread is {@link #fill filled} again for each text, and its arrays only grow, so reading
 * a text allocates nothing once they are large enough.
 */
final class CueTokens {
  /** Positions added at a sentence end. */
  static final int BARRIER = 6;

  int count;
  int[] pos = new int[64];
  int[] start = new int[64];
  int[] end = new int[64];
  long[] mask = new long[64];
  int[] word = new int[64];
  /** Every word's count, known or not; some rules look at the text's length. */
  int words;
  /** Where the first word ending in {@code gpt} other than ChatGPT/GPT starts (a jailbreak persona's usual name). */
  int gptNameStart = -1;
  int gptNameEnd = -1;

  /** Reads {@code text}'s words and keeps the known ones. */
  void fill(CharSequence text, Lexicon lexicon) {
    count = 0;
    words = 0;
    gptNameStart = -1;
    int position = 0;
    int n = text.length();
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        if ((c == '.' || c == '!' || c == '?' || c == ';') && (i + 1 >= n || Character.isWhitespace(text.charAt(i + 1)))) {
          position += BARRIER;
        } else if (c == '\n' && i + 1 < n && text.charAt(i + 1) == '\n') {
          position += BARRIER;
        }
        i++;
        continue;
      }
      int s = i;
      long h = Lexicon.FNV_OFFSET;
      long prefixClasses = 0;
      boolean upper = true;
      int len = 0;
      while (i < n) {
        c = text.charAt(i);
        if (c == '\u2019') {
          c = '\'';
        }
        if (!(Character.isLetterOrDigit(c) || (c == '_' && len > 0) || (c == '\'' && len > 0 && i + 1 < n
            && Character.isLetter(text.charAt(i + 1))))) {
          break;
        }
        if (Character.isLowerCase(c)) {
          upper = false;
        }
        h = (h ^ Character.toLowerCase(c)) * Lexicon.FNV_PRIME;
        len++;
        i++;
        if (lexicon.prefixAt(len)) {
          prefixClasses |= lexicon.prefixClasses(h);
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
  }

  /** Whether the word ending at {@code end} ends in "gpt" (ChatGPT and GPT are known words and never get here). */
  private static boolean endsWithGpt(CharSequence text, int end) {
    return (text.charAt(end - 3) | 0x20) == 'g' && (text.charAt(end - 2) | 0x20) == 'p'
        && (text.charAt(end - 1) | 0x20) == 't';
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
    pos[count] = position;
    start[count] = s;
    end[count] = e;
    mask[count] = classes;
    word[count] = id;
    count++;
  }
}
