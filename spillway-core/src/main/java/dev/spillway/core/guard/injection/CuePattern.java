package dev.spillway.core.guard.injection;

import java.util.ArrayList;
import java.util.List;

/**
 * One sequence of cues a rule looks for, written as a line: steps separated by spaces, each step a {@code |}-list of
 * {@link CueClass} names (capitals) and literal words (lower case), and {@code ~N} before a step for how many other
 * words may lie between it and the step before (none when not given). {@code IGNORE ~3 PRIOR ~3 DIRECTIVE} matches
 * "ignore all previous instructions" and "disregard any of the prior rules"; {@code do anything now} matches only those
 * three words in a row.
 *
 * <p>Matching walks {@link CueTokens}' known words only, trying each start and backtracking over the later steps'
 * candidates within their gaps; texts hold few known words, so this stays linear in practice.
 */
final class CuePattern {
  private final long[] classes;
  private final int[][] words;
  /** Per step, its literal word ids as a bit set. */
  private final long[][] wordBits;
  private final int[] gaps;
  private final String source;

  private CuePattern(long[] classes, int[][] words, int[] gaps, String source) {
    this.classes = classes;
    this.words = words;
    this.gaps = gaps;
    this.wordBits = new long[words.length][];
    for (int step = 0; step < words.length; step++) {
      int max = -1;
      for (int w : words[step]) {
        max = Math.max(max, w);
      }
      wordBits[step] = new long[max < 0 ? 0 : (max >>> 6) + 1];
      for (int w : words[step]) {
        wordBits[step][w >>> 6] |= 1L << w;
      }
    }
    this.source = source;
  }

  /** Parses {@code line}, registering its literal words with {@code lexicon}. */
  static CuePattern parse(String line, Lexicon.Builder lexicon) {
    List<Long> cls = new ArrayList<>();
    List<int[]> lits = new ArrayList<>();
    List<Integer> gaps = new ArrayList<>();
    int gap = 0;
    for (String part : line.trim().split("\\s+")) {
      if (part.startsWith("~")) {
        gap = Integer.parseInt(part.substring(1));
        continue;
      }
      long mask = 0;
      List<Integer> ids = new ArrayList<>();
      for (String alt : part.split("\\|")) {
        if (alt.isEmpty()) {
          throw new IllegalArgumentException("empty alternative in '" + line + "'");
        }
        if (Character.isUpperCase(alt.charAt(0))) {
          mask |= CueClass.valueOf(alt).bit();
        } else {
          ids.add(lexicon.literal(alt));
        }
      }
      cls.add(mask);
      lits.add(ids.stream().mapToInt(Integer::intValue).toArray());
      gaps.add(gap);
      gap = 0;
    }
    if (cls.isEmpty()) {
      throw new IllegalArgumentException("a pattern needs a step: '" + line + "'");
    }
    return new CuePattern(cls.stream().mapToLong(Long::longValue).toArray(), lits.toArray(int[][]::new),
        gaps.stream().mapToInt(Integer::intValue).toArray(), line);
  }

  /** How many steps. */
  int steps() {
    return classes.length;
  }

  /** Whether every step has some word in the text; when not, the pattern cannot match and is not searched. */
  boolean possible(CueTokens t) {
    for (int step = 0; step < classes.length; step++) {
      if ((t.present & classes[step]) == 0 && !anyLiteral(t, words[step])) {
        return false;
      }
    }
    return true;
  }

  private static boolean anyLiteral(CueTokens t, int[] ids) {
    for (int id : ids) {
      if (t.hasLiteral(id)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the known word at {@code index} can be this pattern's step {@code step}. */
  boolean accepts(int step, CueTokens t, int index) {
    if ((t.mask[index] & classes[step]) != 0) {
      return true;
    }
    int id = t.word[index];
    long[] bits = wordBits[step];
    return id >= 0 && id >>> 6 < bits.length && (bits[id >>> 6] & 1L << id) != 0;
  }

  /**
   * The first match starting at known word {@code from} or later whose first word {@code startOk} accepts, packed as
   * {@code firstIndex << 32 | lastIndex} (indexes into {@code t}), or -1.
   */
  long find(CueTokens t, int from, StartFilter startOk) {
    if (!possible(t)) {
      return -1;
    }
    for (int i = from; i < t.count; i++) {
      if (accepts(0, t, i) && startOk.accepts(t, i)) {
        int last = extend(t, 1, i);
        if (last >= 0) {
          return (long) i << 32 | last;
        }
      }
    }
    return -1;
  }

  private int extend(CueTokens t, int step, int previous) {
    if (step == classes.length) {
      return previous;
    }
    int limit = t.pos[previous] + 1 + gaps[step];
    for (int j = previous + 1; j < t.count && t.pos[j] <= limit; j++) {
      if (accepts(step, t, j)) {
        int last = extend(t, step + 1, j);
        if (last >= 0) {
          return last;
        }
      }
    }
    return -1;
  }

  @Override
  public String toString() {
    return source;
  }

  /** Decides whether a match may start at a known word (a rule's negation check). */
  @FunctionalInterface
  interface StartFilter {
    StartFilter ANY = (t, i) -> true;

    boolean accepts(CueTokens t, int index);
  }
}
