package dev.spillway.core.cache.semantic;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link LexicalGuards} knows of English words: which mean the opposite of which (antonyms, with the inflections
 * that lead to them) and which are common words (so a capitalised one opening a sentence is not a name). Immutable
 * once built, so thread-safe.
 *
 * <p>{@link #standard()} is WordNet 3.1's antonym pointers (read once, at first use, by {@link WordNetLexicon}) plus
 * {@link #SUPPLEMENT}, a short list of opposites that questions to a model often turn on and WordNet does not hold as
 * antonyms (before/after, min/max, read/write, login/logout...).
 *
 * <p>Inflections: a word is looked up under itself, the base forms WordNet's exception lists give it (sold → sell,
 * worse → bad) and the forms left by stripping a regular ending (-s, -es, -ies, -ed, -ing, -er, -est, with a doubled
 * consonant or a dropped e put back), so "disabled", "disabling" and "disables" all reach "disable". Over-generated
 * stems only matter when they happen to be an antonym; the cost of one is a refused pair (a cache miss), never a
 * wrong answer.
 */
final class Lexicon {

  /** Opposites WordNet does not pair as antonyms, each pair both ways. */
  static final List<String> SUPPLEMENT = List.of(
      "before/after", "min/max", "minimum/maximum", "minimal/maximal", "minimize/maximize", "above/below",
      "over/under", "in/out", "inside/outside", "inbound/outbound", "input/output", "upper/lower", "most/least",
      "encrypt/decrypt", "encode/decode", "compress/decompress", "serialize/deserialize", "zip/unzip",
      "login/logout", "signin/signout", "signup/signout", "read/write", "send/receive", "push/pull", "add/remove",
      "insert/delete", "create/delete", "allow/block", "allowlist/denylist", "whitelist/blacklist",
      "ascending/descending", "asc/desc", "increase/reduce", "grow/shrink", "raise/lower", "expand/collapse",
      "sync/async", "synchronous/asynchronous", "online/offline", "required/optional", "mandatory/optional",
      "pros/cons", "accept/decline", "approve/reject", "enable/disable", "on/off", "earlier/later",
      "inclusive/exclusive", "plus/minus",
      "multiply/divide", "horizontal/vertical", "import/export", "upload/download", "buy/sell", "open/close",
      "start/stop", "win/lose", "pass/fail", "success/failure", "cheap/expensive", "male/female", "past/future",
      "first/last", "oldest/newest", "old/new", "lock/unlock", "show/hide", "mute/unmute", "follow/unfollow",
      "subscribe/unsubscribe", "install/uninstall", "connect/disconnect", "include/exclude", "like/dislike");

  /** Words a "un"/"non" prefix does not negate (unless is not un-less, union is not un-ion). */
  private static final Set<String> NOT_PREFIXED = Set.of("unless", "under", "until", "union", "unit", "unity",
      "unite", "united", "unique", "uniform", "universal", "universe", "university", "unison", "unanimous",
      "uninstall", "none", "nonce", "nonsense");

  private final Map<String, Set<String>> opposites;
  private final Map<String, Set<String>> irregular;
  /** Hashes ({@link #hash}) of the words WordNet writes in lower case, and their irregular forms; sorted. */
  private final long[] common;

  /**
   * @param pairs     antonym pairs, each word lower case; added both ways
   * @param irregular an inflected form to its base forms (WordNet's exception lists); entries whose bases have no
   *                  antonym are dropped
   * @param common    the sorted {@link #hash}es of common (lower-case) words
   */
  Lexicon(Iterable<String[]> pairs, Map<String, ? extends Iterable<String>> irregular, long[] common) {
    this.common = common.clone();
    Map<String, Set<String>> o = new HashMap<>();
    for (String[] p : pairs) {
      if (!p[0].equals(p[1])) {
        o.computeIfAbsent(p[0], k -> new HashSet<>()).add(p[1]);
        o.computeIfAbsent(p[1], k -> new HashSet<>()).add(p[0]);
      }
    }
    Map<String, Set<String>> frozen = new HashMap<>(o.size() * 2);
    o.forEach((k, v) -> frozen.put(k, Set.copyOf(v)));
    this.opposites = Map.copyOf(frozen);
    Map<String, Set<String>> irr = new HashMap<>();
    irregular.forEach((form, bases) -> {
      for (String b : bases) {
        if (opposites.containsKey(b)) {
          irr.computeIfAbsent(form, k -> new HashSet<>()).add(b);
        }
      }
    });
    Map<String, Set<String>> irrFrozen = new HashMap<>(irr.size() * 2);
    irr.forEach((k, v) -> irrFrozen.put(k, Set.copyOf(v)));
    this.irregular = Map.copyOf(irrFrozen);
  }

  /** WordNet's words and antonyms and the supplement, loaded once from the class path at first use. */
  static Lexicon standard() {
    return Standard.INSTANCE;
  }

  private static final class Standard {
    static final Lexicon INSTANCE = WordNetLexicon.load(Lexicon.class.getClassLoader());
  }


  static List<String[]> supplementPairs() {
    return SUPPLEMENT.stream().map(p -> p.split("/")).toList();
  }

  /**
   * Whether {@code lower} is a common English word: WordNet holds it, or a regular stem of it, in lower case
   * ("elephants", "several", "named"). Names WordNet writes capitalised (Paris, Kubernetes) are not.
   */
  boolean common(String lower) {
    if (isCommon(lower)) {
      return true;
    }
    int n = lower.length();
    if (n < 4) {
      return false;
    }
    for (String ending : List.of("s", "es", "ed", "ing", "er", "est", "ly")) {
      if (lower.endsWith(ending) && n - ending.length() >= 2) {
        String stem = lower.substring(0, n - ending.length());
        int s = stem.length();
        if (isCommon(stem) || isCommon(stem + "e")
            || (stem.endsWith("i") && isCommon(stem.substring(0, s - 1) + "y"))
            || (s >= 3 && stem.charAt(s - 1) == stem.charAt(s - 2) && isCommon(stem.substring(0, s - 1)))) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean isCommon(String lower) {
    return Arrays.binarySearch(common, hash(lower)) >= 0;
  }

  /** FNV-1a, 64 bits, over the lower-cased characters of {@code s}. */
  static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h ^= Character.toLowerCase(s.charAt(i));
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** {@link #hash(String)} of the ASCII bytes {@code [from, to)} of {@code b}. */
  static long hash(byte[] b, int from, int to) {
    long h = 0xcbf29ce484222325L;
    for (int i = from; i < to; i++) {
      h ^= Character.toLowerCase((char) (b[i] & 0xff));
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** How many words have an antonym. */
  int size() {
    return opposites.size();
  }

  /** The antonyms of {@code lemma}, empty when it has none. */
  Set<String> of(String lemma) {
    return opposites.getOrDefault(lemma, Set.of());
  }

  /**
   * Adds to {@code out} the forms of {@code word} (lower case) the antonym check compares: the word itself, and those
   * of its irregular bases and regular stems that have an antonym or a negating prefix.
   */
  void lemmas(String word, Set<String> out) {
    int n = word.length();
    if (n < 2) {
      return;
    }
    out.add(word); // a prefixed word in the other question may negate it ("lock" against "unlock")
    Set<String> irr = irregular.get(word);
    if (irr != null) {
      out.addAll(irr);
    }
    if (n < 4) {
      return;
    }
    if (word.endsWith("ies")) {
      consider(word.substring(0, n - 3) + "y", out);
    } else if (word.endsWith("es")) {
      consider(word.substring(0, n - 2), out);
      consider(word.substring(0, n - 1), out);
    } else if (word.endsWith("s") && !word.endsWith("ss")) {
      consider(word.substring(0, n - 1), out);
    }
    stripEnding(word, "ed", out);
    stripEnding(word, "ing", out);
    stripEnding(word, "er", out);
    stripEnding(word, "est", out);
  }

  private void stripEnding(String word, String ending, Set<String> out) {
    if (!word.endsWith(ending) || word.length() - ending.length() < 2) {
      return;
    }
    String stem = word.substring(0, word.length() - ending.length());
    consider(stem, out);
    consider(stem + "e", out);
    int s = stem.length();
    if (stem.endsWith("i")) {
      consider(stem.substring(0, s - 1) + "y", out);
    }
    if (s >= 3 && stem.charAt(s - 1) == stem.charAt(s - 2)) {
      consider(stem.substring(0, s - 1), out);
    }
  }

  private void consider(String form, Set<String> out) {
    if (opposites.containsKey(form) || negatedByPrefix(form) != null) {
      out.add(form);
    }
  }

  /** The word a "un"/"non" prefix negates in {@code form} ("unlock" → "lock"), or null. */
  static String negatedByPrefix(String form) {
    if (NOT_PREFIXED.contains(form)) {
      return null;
    }
    if (form.startsWith("non") && form.length() >= 6) {
      String rest = form.charAt(3) == '-' ? form.substring(4) : form.substring(3);
      return rest.length() >= 3 ? rest : null;
    }
    if (form.startsWith("un") && form.length() >= 5) {
      return form.substring(2);
    }
    return null;
  }

  /**
   * Whether one question holds a form more often than the other while the other holds one of its opposites more
   * often than the first: {@code a} and {@code b} count the forms of two questions, as {@link #lemmas} reads them.
   */
  boolean opposed(Map<String, Integer> a, Map<String, Integer> b) {
    return leans(a, b) || leans(b, a);
  }

  private boolean leans(Map<String, Integer> a, Map<String, Integer> b) {
    for (Map.Entry<String, Integer> e : a.entrySet()) {
      String w = e.getKey();
      if (e.getValue() <= b.getOrDefault(w, 0)) {
        continue;
      }
      for (String x : of(w)) {
        if (b.getOrDefault(x, 0) > a.getOrDefault(x, 0)) {
          return true;
        }
      }
      String base = negatedByPrefix(w);
      if (base != null && b.getOrDefault(base, 0) > a.getOrDefault(base, 0)) {
        return true;
      }
    }
    return false;
  }
}
