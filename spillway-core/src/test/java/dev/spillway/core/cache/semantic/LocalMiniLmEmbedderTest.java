package dev.spillway.core.cache.semantic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The real model from its Maven artifact: no stand-in. */
class LocalMiniLmEmbedderTest {
  private static final LocalMiniLmEmbedder EMBEDDER = new LocalMiniLmEmbedder();

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  @Test
  void namesItsModelAndItsDimensions() {
    assertThat(EMBEDDER.id()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(EMBEDDER.dimensions()).isEqualTo(384);
  }

  @Test
  void loadsTheModelOnFirstUseNotWhenBuilt() {
    LocalMiniLmEmbedder fresh = new LocalMiniLmEmbedder();
    assertThat(fresh.loaded()).isFalse();
    fresh.embed("hello");
    assertThat(fresh.loaded()).isTrue();
  }

  @Test
  void givesTheSameUnitVectorForTheSameText() {
    float[] a = EMBEDDER.embed("How do I reset my password?");
    float[] b = EMBEDDER.embed("How do I reset my password?");
    assertThat(a).hasSize(384).containsExactly(b);
    assertThat(dot(a, a)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  void aParaphraseIsCloserThanAnUnrelatedQuestion() {
    float[] q = EMBEDDER.embed("How do I reset my password?");
    float[] paraphrase = EMBEDDER.embed("What are the steps to reset my password?");
    float[] unrelated = EMBEDDER.embed("What is the boiling point of water at sea level?");
    double near = dot(q, paraphrase);
    double far = dot(q, unrelated);
    assertThat(near).isGreaterThan(0.8);
    assertThat(far).isLessThan(0.3);
    assertThat(near).isGreaterThan(far + 0.5);
  }

  @Test
  void embedAllKeepsTheOrderAndAgreesWithEmbed() {
    List<String> texts = List.of("first question about invoices", "second, about the weather", "a third on taxes");
    List<float[]> all = EMBEDDER.embedAll(texts);
    assertThat(all).hasSize(3);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(dot(all.get(i), EMBEDDER.embed(texts.get(i)))).isCloseTo(1.0, within(1e-5));
    }
    assertThat(EMBEDDER.embedAll(List.of())).isEmpty();
  }

  @Test
  void threadsEmbeddingAtOnceEachGetTheirOwnTextsVector() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      texts.add("question number " + i + " about order " + (1000 + i * 7));
    }
    List<float[]> expected = texts.stream().map(EMBEDDER::embed).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<float[]>> jobs = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (String t : texts) {
          jobs.add(() -> EMBEDDER.embed(t));
        }
      }
      List<Future<float[]>> results = pool.invokeAll(jobs);
      for (int i = 0; i < results.size(); i++) {
        assertThat(dot(results.get(i).get(), expected.get(i % texts.size()))).isCloseTo(1.0, within(1e-5));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFreshEmbedderLoadedByManyThreadsAtOnceGivesTheSameVectors() throws Exception {
    LocalMiniLmEmbedder fresh = new LocalMiniLmEmbedder();
    float[] expected = EMBEDDER.embed("the same text");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<float[]>> jobs = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        jobs.add(() -> fresh.embed("the same text"));
      }
      for (Future<float[]> f : pool.invokeAll(jobs)) {
        assertThat(f.get()).containsExactly(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
