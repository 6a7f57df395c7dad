package dev.spillway.core.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spillway.core.cache.CacheSettings;
import dev.spillway.core.cache.semantic.QuestionPairs.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The semantic cache's precision on the project's own pairs, with the real in-process embedder: at {@link
 * CacheSettings#DEFAULT_THRESHOLD}, with the lexical guards, no hard negative gets another's answer, and most true
 * paraphrases do. Prints the figures (the public-set sweep is {@code bench/run-cache-precision}).
 */
class SemanticPrecisionTest {
  /**
   * The least share of the own paraphrases the default must hit: far under what it measures (see the README), so
   * the test fails on a guard or an embedder that refuses nearly everything, not on noise.
   */
  private static final double MIN_PARAPHRASE_HIT_RATE = 0.60;

  @Test
  void atTheDefaultThresholdNoHardNegativeHitsAndMostParaphrasesDo() {
    List<Pair> hard = QuestionPairs.hardNegatives();
    List<Pair> para = QuestionPairs.paraphrases();
    Set<String> sentences = new LinkedHashSet<>();
    for (Pair p : concat(hard, para)) {
      sentences.add(p.a());
      sentences.add(p.b());
    }
    List<String> texts = List.copyOf(sentences);
    List<float[]> vectors = new LocalMiniLmEmbedder().embedAll(texts);
    Map<String, float[]> byText = new HashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      byText.put(texts.get(i), vectors.get(i));
    }
    LexicalGuard guards = LexicalGuards.standard();
    double t = CacheSettings.DEFAULT_THRESHOLD;

    List<String> falseHits = new ArrayList<>();
    int hardReaching = 0;
    for (Pair p : hard) {
      double cos = dot(byText.get(p.a()), byText.get(p.b()));
      if (cos >= t) {
        hardReaching++;
        if (guards.refuse(p.a(), p.b()).isEmpty()) {
          falseHits.add(String.format(Locale.ROOT, "%.3f %s: %s | %s", cos, p.kind(), p.a(), p.b()));
        }
      }
    }
    int paraReaching = 0;
    int paraHits = 0;
    for (Pair p : para) {
      if (dot(byText.get(p.a()), byText.get(p.b())) >= t) {
        paraReaching++;
        if (guards.refuse(p.a(), p.b()).isEmpty()) {
          paraHits++;
        }
      }
    }
    double hitRate = (double) paraHits / para.size();
    System.out.printf(Locale.ROOT,
        "semantic precision at threshold %.2f: hard negatives %d (reaching the threshold %d, passing the guards %d);"
            + " paraphrases %d (reaching %d, hits with the guards %d = %.1f %%)%n",
        t, hard.size(), hardReaching, falseHits.size(), para.size(), paraReaching, paraHits, 100 * hitRate);

    assertThat(hard).hasSizeGreaterThanOrEqualTo(200);
    assertThat(falseHits).as("hard negatives given another question's answer").isEmpty();
    assertThat(hitRate).as("share of paraphrases hit").isGreaterThanOrEqualTo(MIN_PARAPHRASE_HIT_RATE);
  }

  private static List<Pair> concat(List<Pair> a, List<Pair> b) {
    List<Pair> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
