package dev.spillway.core.guard.lists;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An Aho–Corasick automaton over a list of keyword terms (words and phrases): one pass over a text finds every
 * occurrence of every term, overlapping ones included ({@code "new york"} and {@code "york"} both), in time linear in
 * the text plus the matches. Matching is under {@link TermFolding}: case-insensitive per code point, spaces as one,
 * and only on whole words: a match with a letter, digit or combining mark right before or after it is not one
 * ({@code "ass"} is not in {@code "class"}).
 *
 * <p>Layout, for memory and speed: the {@link SortedTrie}'s states are numbered in breadth-first order, so the
 * children of a state are consecutive states and the edge into state {@code s} needs no array of its own:
 * {@code label[s]} is its char, and {@code firstChild[s] .. firstChild[s + 1] - 1} are the children of {@code s},
 * labels ascending, found by binary search (a scan when there are few). With the failure link, the output link and
 * the term of each state that is all: four ints and a char per state (about 18 bytes; 10,000 terms of ten letters
 * take some 1 MB), against a map per state. A char no term holds goes straight back to the root (a bit set of the
 * terms' chars), the root's ASCII children are a table, and a char right after a word character is skipped while the
 * automaton is at the root: no match can start there, and a match in progress is never at the root, so nothing is
 * lost. The failure and output links are set in one breadth-first pass over the trie.
 *
 * <p>Immutable and thread-safe; a search allocates one small ring of offsets (a term's folded length is not its span
 * when a run of spaces was read as one).
 */
public final class KeywordAutomaton {
  /** One occurrence: the term's index in the list the automaton was built from, and its span in the text. */
  public record Match(int term, int start, int end) {}

  /** Receives the matches of a search, in order of end offset. */
  @FunctionalInterface
  public interface MatchSink {
    void match(int term, int start, int end);
  }

  private static final Comparator<Match> BY_SPAN =
      Comparator.comparingInt(Match::start).thenComparingInt(Match::end).thenComparingInt(Match::term);

  private final char[] label;
  private final int[] firstChild;
  private final int[] fail;
  /** The nearest state, {@code s} itself or along its failure links, at which a term ends; 0 for none. */
  private final int[] output;
  private final int[] termAt;
  private final int[] termLength;
  private final long[] alphabet;
  /** The root's children along ASCII chars, 0 for none: the root is where most of a text is read. */
  private final int[] rootAscii = new int[128];
  private final int ringMask;

  private KeywordAutomaton(SortedTrie trie, int[] termLength) {
    this.label = trie.label;
    this.firstChild = trie.firstChild;
    this.termAt = trie.termAt;
    this.termLength = termLength;
    this.ringMask = Integer.highestOneBit(Math.max(1, trie.maxLength - 1)) * 2 - 1;
    int states = label.length;
    this.alphabet = new long[(Character.MAX_VALUE + 1) / 64];
    for (int s = 1; s < states; s++) {
      alphabet[label[s] >>> 6] |= 1L << label[s];
    }
    for (int child = firstChild[0]; child < firstChild[1] && label[child] < rootAscii.length; child++) {
      rootAscii[label[child]] = child;
    }
    this.fail = new int[states];
    this.output = new int[states];
    for (int s = 0; s < states; s++) { // breadth-first: a failure link points to a shallower state, already linked
      for (int child = firstChild[s]; child < firstChild[s + 1]; child++) {
        fail[child] = s == 0 ? 0 : next(fail[s], label[child]);
        output[child] = termAt[child] >= 0 ? child : output[fail[child]];
      }
    }
  }

  /**
   * The automaton of {@code terms}; match {@link Match#term() term} {@code i} is {@code terms.get(i)}.
   *
   * @throws IllegalArgumentException naming the term's index (not its text) when a term is empty or all spaces, holds
   *     a lone surrogate, or folds to the same as an earlier one
   */
  public static KeywordAutomaton build(List<String> terms) {
    int count = terms.size();
    String[] folded = new String[count];
    for (int i = 0; i < count; i++) {
      try {
        folded[i] = TermFolding.normalize(terms.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("term " + i + " cannot be matched: " + e.getMessage());
      }
      if (folded[i].isEmpty()) {
        throw new IllegalArgumentException("term " + i + " is empty");
      }
    }
    return fromFolded(folded);
  }

  /**
   * The automaton of terms already {@link TermFolding#normalize normalized}, none of them empty.
   *
   * @throws IllegalArgumentException naming both indexes when two terms are equal
   */
  static KeywordAutomaton fromFolded(String[] folded) {
    int[] termLength = new int[folded.length];
    for (int i = 0; i < folded.length; i++) {
      termLength[i] = folded[i].length();
    }
    return new KeywordAutomaton(SortedTrie.of(folded), termLength);
  }

  /** How many states the trie has (the root included): the memory it holds is about 18 bytes each. */
  public int states() {
    return label.length;
  }

  /** How many terms it matches. */
  public int terms() {
    return termLength.length;
  }

  /** Every match in {@code text}, ordered by start, then end, then term index. */
  public List<Match> matches(CharSequence text) {
    List<Match> found = new ArrayList<>();
    search(text, (term, start, end) -> found.add(new Match(term, start, end)));
    found.sort(BY_SPAN);
    return found;
  }

  /** Feeds {@code sink} every match in {@code text} in one pass, by end offset (a shorter term first at a tie). */
  public void search(CharSequence text, MatchSink sink) {
    int n = text.length();
    int[] ring = new int[ringMask + 1];
    int state = 0;
    int fed = 0;
    boolean lastWasSpace = false;
    boolean lastWasWord = false;
    for (int i = 0; i < n; i++) {
      char raw = text.charAt(i);
      char c = TermFolding.fold(raw);
      if (Character.isHighSurrogate(raw) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(raw, text.charAt(i + 1));
        boolean skip = state == 0 && lastWasWord;
        lastWasWord = TermFolding.isWordChar(cp);
        lastWasSpace = false;
        if (skip) {
          i++;
          continue;
        }
        int folded = TermFolding.foldCodePoint(cp);
        ring[fed++ & ringMask] = i;
        state = next(state, Character.highSurrogate(folded)); // no term ends inside a pair
        c = Character.lowSurrogate(folded);
        i++;
      } else {
        boolean skip = state == 0 && lastWasWord; // no match starts right after a word character
        lastWasWord = TermFolding.isWordCharBmp(raw);
        if (skip) {
          continue;
        }
        if (c == ' ') {
          if (lastWasSpace) {
            continue;
          }
          lastWasSpace = true;
        } else {
          lastWasSpace = false;
        }
      }
      ring[fed++ & ringMask] = i;
      state = next(state, c);
      if (output[state] != 0) {
        report(text, state, i + 1, fed, ring, sink);
      }
    }
  }

  private void report(CharSequence text, int state, int end, int fed, int[] ring, MatchSink sink) {
    if (TermFolding.wordCharAt(text, end)) {
      return;
    }
    for (int s = output[state]; s != 0; s = output[fail[s]]) {
      int term = termAt[s];
      int start = ring[(fed - termLength[term]) & ringMask];
      if (!TermFolding.wordCharBefore(text, start)) {
        sink.match(term, start, end);
      }
    }
  }

  private int next(int state, char c) {
    if ((alphabet[c >>> 6] & (1L << c)) == 0) {
      return 0;
    }
    for (int s = state; s != 0; s = fail[s]) {
      int child = child(s, c);
      if (child > 0) {
        return child;
      }
    }
    return c < rootAscii.length ? rootAscii[c] : Math.max(0, child(0, c));
  }

  /** The child of {@code state} along {@code c}, or -1: a scan of a few children, a binary search of more. */
  private int child(int state, char c) {
    int lo = firstChild[state];
    int hi = firstChild[state + 1] - 1;
    if (hi - lo < 4) {
      for (int k = lo; k <= hi; k++) {
        if (label[k] == c) {
          return k;
        }
      }
      return -1;
    }
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      char m = label[mid];
      if (m < c) {
        lo = mid + 1;
      } else if (m > c) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }
}
