package dev.spillway.bench;

import dev.spillway.core.cache.semantic.Embedder;
import dev.spillway.core.cache.semantic.LexicalGuard;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two things a semantic hit turns on, for each pair of a set: the cosine similarity of its two sentences and the
 * lexical guards' verdict (null when they let it pass; the rule's code when they refuse). Each cosine and verdict is
 * computed once; every threshold of the sweep reads them.
 *
 * @param label  what each pair is ("paraphrase" for one that may share an answer; anything else must not)
 * @param guardMicros the guards' time per pair, mean, in microseconds (a second pass over the pairs)
 */
record PairScores(String set, List<String> label, double[] cosine, String[] refusal, double guardMicros) {

  /** Scores {@code pairs} (each {@code {a, b, label}}) with the sentences' {@code vectors}. */
  static PairScores of(String set, List<String[]> pairs, Map<String, float[]> vectors, LexicalGuard guard) {
    double[] cosine = new double[pairs.size()];
    String[] refusal = new String[pairs.size()];
    List<String> label = new ArrayList<>(pairs.size());
    for (String[] p : pairs) {
      guard.refuse(p[0], p[1]); // warm up: the timed pass below measures compiled code
    }
    long guardNanos = 0;
    for (int i = 0; i < pairs.size(); i++) {
      String[] p = pairs.get(i);
      cosine[i] = dot(vectors.get(p[0]), vectors.get(p[1]));
      long t0 = System.nanoTime();
      refusal[i] = guard.refuse(p[0], p[1]).orElse(null);
      guardNanos += System.nanoTime() - t0;
      label.add(p[2]);
    }
    return new PairScores(set, List.copyOf(label), cosine, refusal, guardNanos / 1000.0 / Math.max(1, pairs.size()));
  }

  /** The distinct sentences of {@code pairs}, embedded in batches. */
  static Map<String, float[]> embed(List<String[]> pairs, Embedder embedder, int batch) {
    Map<String, float[]> out = new LinkedHashMap<>();
    List<String> todo = new ArrayList<>();
    for (String[] p : pairs) {
      for (int k = 0; k < 2; k++) {
        if (!out.containsKey(p[k]) && !todo.contains(p[k])) {
          todo.add(p[k]);
        }
      }
      if (todo.size() >= batch) {
        flush(todo, embedder, out);
      }
    }
    flush(todo, embedder, out);
    return out;
  }

  private static void flush(List<String> todo, Embedder embedder, Map<String, float[]> out) {
    if (todo.isEmpty()) {
      return;
    }
    List<float[]> v = embedder.embedAll(todo);
    for (int i = 0; i < todo.size(); i++) {
      out.put(todo.get(i), v.get(i));
    }
    todo.clear();
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  int size() {
    return cosine.length;
  }

  boolean positive(int i) {
    return label.get(i).equals("paraphrase");
  }

  /** How many pairs labelled {@code positive} (or not) reach {@code threshold}, with or without the guards. */
  int hits(double threshold, boolean positive, boolean guarded) {
    int n = 0;
    for (int i = 0; i < cosine.length; i++) {
      if (positive(i) == positive && cosine[i] >= threshold - 1e-9 && (!guarded || refusal[i] == null)) {
        n++;
      }
    }
    return n;
  }

  int count(boolean positive) {
    int n = 0;
    for (int i = 0; i < cosine.length; i++) {
      if (positive(i) == positive) {
        n++;
      }
    }
    return n;
  }

  /** How many pairs labelled {@code positive} (or not) each rule refused. */
  Map<String, Integer> refusals(boolean positive) {
    Map<String, Integer> out = new TreeMap<>();
    for (int i = 0; i < cosine.length; i++) {
      if (positive(i) == positive && refusal[i] != null) {
        out.merge(refusal[i], 1, Integer::sum);
      }
    }
    return out;
  }

  /** Mean cosine of the pairs labelled {@code positive} (or not). */
  double meanCosine(boolean positive) {
    double s = 0;
    int n = 0;
    for (int i = 0; i < cosine.length; i++) {
      if (positive(i) == positive) {
        s += cosine[i];
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }
}
