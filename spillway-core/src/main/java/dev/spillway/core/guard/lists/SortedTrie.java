package dev.spillway.core.guard.lists;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The trie of a keyword list, laid out breadth-first for {@link KeywordAutomaton}: states numbered level by level,
 * so the children of a state are consecutive states, {@code label[s]} is the char on the edge into {@code s}, and
 * {@code firstChild[s] .. firstChild[s + 1] - 1} are the children of {@code s}, labels ascending. {@code termAt[s]}
 * is the index of the term that ends at {@code s}, or -1.
 *
 * <p>Built in two passes without a map per node: the terms are sorted, so inserting them in order adds each new child
 * after its parent's last one, and the trie can first be linked (first child, next sibling, last child) in flat
 * arrays as long as the terms' chars; one breadth-first walk then numbers the states.
 */
final class SortedTrie {
  final char[] label;
  final int[] firstChild;
  final int[] termAt;
  final int maxLength;

  private SortedTrie(char[] label, int[] firstChild, int[] termAt, int maxLength) {
    this.label = label;
    this.firstChild = firstChild;
    this.termAt = termAt;
    this.maxLength = maxLength;
  }

  /**
   * The trie of {@code folded} terms (normalized, none empty).
   *
   * @throws IllegalArgumentException naming both indexes when two terms are equal
   */
  static SortedTrie of(String[] folded) {
    int capacity = 1;
    Map<String, Integer> indexOf = HashMap.newHashMap(folded.length);
    for (int i = 0; i < folded.length; i++) {
      Integer earlier = indexOf.putIfAbsent(folded[i], i);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "terms " + earlier + " and " + i + " are the same once case and spaces are folded");
      }
      capacity += folded[i].length();
    }
    String[] sorted = folded.clone();
    Arrays.sort(sorted);
    Linked linked = new Linked(capacity);
    int maxLength = 0;
    for (String term : sorted) {
      linked.insert(term, indexOf.get(term));
      maxLength = Math.max(maxLength, term.length());
    }
    return linked.breadthFirst(maxLength);
  }

  /** The first, linked trie: node 0 is the root, and 0 also means "none" for a child or a sibling. */
  private static final class Linked {
    private final char[] edge;
    private final int[] firstChild;
    private final int[] nextSibling;
    private final int[] lastChild;
    private final int[] term;
    private int nodes = 1;

    Linked(int capacity) {
      edge = new char[capacity];
      firstChild = new int[capacity];
      nextSibling = new int[capacity];
      lastChild = new int[capacity];
      term = new int[capacity];
      Arrays.fill(term, -1);
    }

    /** Adds a term; terms come sorted, so a child to follow is always its parent's last child. */
    void insert(String folded, int index) {
      int node = 0;
      for (int i = 0; i < folded.length(); i++) {
        char c = folded.charAt(i);
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
      term[node] = index;
    }

    SortedTrie breadthFirst(int maxLength) {
      char[] label = new char[nodes];
      int[] first = new int[nodes + 1];
      int[] termAt = new int[nodes];
      int[] queue = new int[nodes]; // state -> its node here; states are assigned in the order they are visited
      int assigned = 1;
      for (int s = 0; s < nodes; s++) {
        int node = queue[s];
        termAt[s] = term[node];
        first[s] = assigned;
        for (int child = firstChild[node]; child != 0; child = nextSibling[child]) {
          queue[assigned] = child;
          label[assigned] = edge[child];
          assigned++;
        }
      }
      first[nodes] = nodes;
      return new SortedTrie(label, first, termAt, maxLength);
    }
  }
}
