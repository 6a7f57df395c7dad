package dev.spillway.core.guard.lists;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * An Aho–Corasick automaton over a list of keyword terms (words and phrases): one pass over a text finds every
 * occurrence of every term, overlapping ones included ({@code "new york"} and {@code "york"} both), in time linear in
 * the text plus the matches. Matching is under {@link TermFolding}: case-insensitive per code point, spaces as one,
 * and only on whole words: a match with a letter, digit or combining mark right before or after it is not one
 * ({@code "ass"} is not in {@code "class"}).
 *
 * <p>Layout, for memory and speed: the trie's states are numbered in breadth-first order, so the children of a state
 * are consecutive states and the edge into state {@code s} needs no array of its own: {@code label[s]} is its char,
 * and {@code firstChild[s] .. firstChild[s + 1] - 1} are the children of {@code s}, labels ascending, found by binary
 * search. With the failure link, the output link and the term of each state that is all: four ints and a char per
 * state (about 18 bytes; 10,000 terms of ten letters take some 1.5 MB), against a map per state. A char no term holds
 * goes straight back to the root (a bit set of the terms' chars). Build: the folded terms are sorted, so each new
 * child in the first, linked trie is its parent's last one; one breadth-first walk then lays the states out and sets
 * the links.
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
  private final int ringMask;

  private KeywordAutomaton(char[] label, int[] firstChild, int[] fail, int[] output, int[] termAt, int[] termLength,
      long[] alphabet, int maxLength) {
    this.label = label;
    this.firstChild = firstChild;
    this.fail = fail;
    this.output = output;
    this.termAt = termAt;
    this.termLength = termLength;
    this.alphabet = alphabet;
    this.ringMask = Integer.highestOneBit(Math.max(1, maxLength - 1)) * 2 - 1;
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
    int totalChars = 0;
    for (int i = 0; i < count; i++) {
      try {
        folded[i] = TermFolding.normalize(terms.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("term " + i + " cannot be matched: " + e.getMessage());
      }
      if (folded[i].isEmpty()) {
        throw new IllegalArgumentException("term " + i + " is empty");
      }
      totalChars += folded[i].length();
    }
    Integer[] order = new Integer[count];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparing((Integer i) -> folded[i]).thenComparing(i -> i));
    for (int k = 1; k < count; k++) {
      if (folded[order[k]].equals(folded[order[k - 1]])) {
        throw new IllegalArgumentException(
            "terms " + order[k - 1] + " and " + order[k] + " are the same once case and spaces are folded");
      }
    }
    return new Builder(totalChars + 1).build(folded, order);
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
    for (int i = 0; i < n; i++) {
      char c = TermFolding.fold(text.charAt(i));
      if (c == ' ') {
        if (lastWasSpace) {
          continue;
        }
        lastWasSpace = true;
      } else {
        lastWasSpace = false;
        if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          int cp = TermFolding.foldCodePoint(Character.toCodePoint(c, text.charAt(i + 1)));
          ring[fed++ & ringMask] = i;
          state = next(state, Character.highSurrogate(cp)); // no term ends inside a pair
          c = Character.lowSurrogate(cp);
          i++;
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
    for (int s = state; ; s = fail[s]) {
      int child = child(s, c);
      if (child > 0) {
        return child;
      }
      if (s == 0) {
        return 0;
      }
    }
  }

  private int child(int state, char c) {
    int lo = firstChild[state];
    int hi = firstChild[state + 1] - 1;
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

  /** The first, linked trie (first child, next sibling, last child) and its breadth-first layout. */
  private static final class Builder {
    private final char[] edge;
    private final int[] firstChild;
    private final int[] nextSibling;
    private final int[] lastChild;
    private final int[] term;
    private int nodes = 1;

    Builder(int capacity) {
      edge = new char[capacity];
      firstChild = new int[capacity];
      nextSibling = new int[capacity];
      lastChild = new int[capacity];
      term = new int[capacity];
      Arrays.fill(term, -1);
    }

    KeywordAutomaton build(String[] folded, Integer[] sorted) {
      int maxLength = 0;
      for (int index : sorted) {
        insert(folded[index], index);
        maxLength = Math.max(maxLength, folded[index].length());
      }
      char[] label = new char[nodes];
      int[] first = new int[nodes + 1];
      int[] fail = new int[nodes];
      int[] output = new int[nodes];
      int[] termAt = new int[nodes];
      long[] alphabet = new long[(Character.MAX_VALUE + 1) / 64];
      int[] linked = new int[nodes]; // state -> its node in the linked trie; also the breadth-first queue
      int assigned = 1;
      for (int s = 0; s < nodes; s++) {
        int node = linked[s];
        termAt[s] = term[node];
        first[s] = assigned;
        for (int child = firstChild[node]; child != 0; child = nextSibling[child]) {
          linked[assigned] = child;
          char c = edge[child];
          label[assigned] = c;
          alphabet[c >>> 6] |= 1L << c;
          assigned++;
        }
      }
      first[nodes] = nodes;
      int[] termLength = new int[folded.length];
      for (int i = 0; i < folded.length; i++) {
        termLength[i] = folded[i].length();
      }
      KeywordAutomaton automaton =
          new KeywordAutomaton(label, first, fail, output, termAt, termLength, alphabet, maxLength);
      for (int s = 0; s < nodes; s++) {
        for (int child = first[s]; child < first[s + 1]; child++) {
          fail[child] = s == 0 ? 0 : automaton.next(fail[s], label[child]);
          output[child] = termAt[child] >= 0 ? child : output[fail[child]];
        }
      }
      return automaton;
    }

    /** Adds a term; terms come sorted, so a child to follow is always its parent's last child. */
    private void insert(String term, int index) {
      int node = 0;
      for (int i = 0; i < term.length(); i++) {
        char c = term.charAt(i);
        int last = lastChild[node];
        if (last != 0 && edge[last] == c) {
          node = last;
          continue;
        }
        int created = nodes++;
        edge[created] = c;
        if (last == 0) {
          firstChild[node] = created;
        } else {
          nextSibling[last] = created;
        }
        lastChild[node] = created;
        node = created;
      }
      this.term[node] = index;
    }
  }
}
