package dev.spillway.core.guard.injection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The words the rules know, looked up by a 64-bit hash of their lower-case letters: for each, the {@link CueClass}es it
 * belongs to (a bit mask; a second mask for the classes that count only in capitals) and, if a rule names it as a
 * literal, its word id. Prefix entries ({@code ignor*}) sit in a second table probed while a word is still being read,
 * at each length some prefix has.
 *
 * <p>Design note: open addressing over two {@code long} arrays, so a lookup allocates nothing and costs one or two
 * probes; the key is the hash itself (FNV-1a, 64 bits), so a word never needs to be copied out of the text. Two words
 * of a few hundred sharing a 64-bit hash is not a practical risk.
 */
final class Lexicon {
  static final long FNV_OFFSET = 0xcbf29ce484222325L;
  static final long FNV_PRIME = 0x100000001b3L;

  private final long[] keys;
  /**
   * One bit per value of a hash's top {@link #FILTER_BITS} bits, set for every known word: most words of a text are
   * unknown, and this 2 KB table (which stays in the first-level cache) answers for most of them without a probe of
   * the larger tables.
   */
  private final long[] filter = new long[(1 << FILTER_BITS) / 64];
  private static final int FILTER_BITS = 14;
  private final long[] anyMask;
  private final long[] upperMask;
  private final int[] wordIds;
  private final long[] prefixKeys;
  private final long[] prefixMask;
  private final long prefixLengths;
  /** Which two-letter starts (a-z, 26 x 26) some prefix entry has; other words skip the prefix table. */
  private final long[] prefixStarts = new long[(26 * 26 + 63) / 64];

  private Lexicon(Map<String, long[]> exact, Map<String, Long> prefixes) {
    int size = Integer.highestOneBit(Math.max(16, exact.size() * 4)) * 2;
    keys = new long[size];
    anyMask = new long[size];
    upperMask = new long[size];
    wordIds = new int[size];
    for (Map.Entry<String, long[]> e : exact.entrySet()) {
      int slot = slot(keys, hash(e.getKey()));
      keys[slot] = hash(e.getKey());
      anyMask[slot] = e.getValue()[0];
      upperMask[slot] = e.getValue()[1];
      wordIds[slot] = (int) e.getValue()[2];
      int bit = (int) (hash(e.getKey()) >>> (64 - FILTER_BITS));
      filter[bit >>> 6] |= 1L << bit;
    }
    int psize = Integer.highestOneBit(Math.max(16, prefixes.size() * 4)) * 2;
    prefixKeys = new long[psize];
    prefixMask = new long[psize];
    long lengths = 0;
    for (Map.Entry<String, Long> e : prefixes.entrySet()) {
      int slot = slot(prefixKeys, hash(e.getKey()));
      prefixKeys[slot] = hash(e.getKey());
      prefixMask[slot] = e.getValue();
      lengths |= 1L << e.getKey().length();
      int start = start(e.getKey().charAt(0), e.getKey().charAt(1));
      if (start < 0) {
        throw new IllegalStateException("a prefix starts with two letters a to z: " + e.getKey());
      }
      prefixStarts[start >>> 6] |= 1L << start;
    }
    prefixLengths = lengths;
  }

  /** The FNV-1a hash of a lower-case word, as {@link CueTokens} computes it while reading. */
  static long hash(CharSequence word) {
    long h = FNV_OFFSET;
    for (int i = 0; i < word.length(); i++) {
      h = (h ^ word.charAt(i)) * FNV_PRIME;
    }
    return h == 0 ? 1 : h;
  }

  private static int slot(long[] table, long key) {
    int mask = table.length - 1;
    int i = (int) (key ^ (key >>> 32)) & mask;
    while (table[i] != 0 && table[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /** The slot of a whole word's hash, or -1 when the word is not known. */
  int find(long key) {
    long k = key == 0 ? 1 : key;
    int bit = (int) (k >>> (64 - FILTER_BITS));
    if ((filter[bit >>> 6] & 1L << bit) == 0) {
      return -1;
    }
    int i = slot(keys, k);
    return keys[i] == 0 ? -1 : i;
  }

  long classes(int slot, boolean upper) {
    return anyMask[slot] | (upper ? upperMask[slot] : 0);
  }

  int wordId(int slot) {
    return wordIds[slot];
  }

  /** The index of a two-letter start, or -1 when either is not a lower-case letter a to z. */
  static int start(char first, char second) {
    return first >= 'a' && first <= 'z' && second >= 'a' && second <= 'z' ? (first - 'a') * 26 + second - 'a' : -1;
  }

  /** Whether some prefix entry starts with the two-letter start {@code start} (from {@link #start}). */
  boolean prefixStartsWith(int start) {
    return start >= 0 && (prefixStarts[start >>> 6] & 1L << start) != 0;
  }

  /** Whether some prefix entry is {@code length} letters long. */
  boolean prefixAt(int length) {
    return length < 64 && (prefixLengths >>> length & 1) != 0;
  }

  /** The classes of the prefix whose hash this is, or 0. */
  long prefixClasses(long key) {
    int i = slot(prefixKeys, key == 0 ? 1 : key);
    return prefixKeys[i] == 0 ? 0 : prefixMask[i];
  }

  /** Collects the classes' words and the rules' literal words, then builds the tables. */
  static final class Builder {
    private final Map<String, long[]> exact = new LinkedHashMap<>();
    private final Map<String, Long> prefixes = new LinkedHashMap<>();
    private final List<String> literals = new ArrayList<>();

    Builder() {
      for (CueClass c : CueClass.values()) {
        for (String word : c.words()) {
          String w = Fold.word(word);
          if (w.endsWith("*")) {
            prefixes.merge(w.substring(0, w.length() - 1), c.bit(), (a, b) -> a | b);
          } else {
            long[] e = exact.computeIfAbsent(w, k -> new long[] {0, 0, -1});
            e[c.upperOnly() ? 1 : 0] |= c.bit();
          }
        }
      }
    }

    /** The id of a word a rule names literally. */
    int literal(String word) {
      String w = Fold.word(word.toLowerCase(java.util.Locale.ROOT));
      long[] e = exact.computeIfAbsent(w, k -> new long[] {0, 0, -1});
      if (e[2] < 0) {
        e[2] = literals.size();
        literals.add(w);
      }
      return (int) e[2];
    }

    Lexicon build() {
      return new Lexicon(exact, prefixes);
    }
  }
}
