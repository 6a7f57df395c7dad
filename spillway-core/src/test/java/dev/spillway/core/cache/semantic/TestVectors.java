package dev.spillway.core.cache.semantic;

import dev.spillway.core.cache.CachedAnswer;
import dev.spillway.core.usage.TokenUsage;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Deterministic unit vectors with chosen similarities, and entries around them: no model needed. */
final class TestVectors {
  static final int DIMENSIONS = 64;

  private TestVectors() {}

  /** A random unit vector, the same for the same seed. */
  static float[] random(long seed) {
    Random r = new Random(seed);
    float[] v = new float[DIMENSIONS];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    return unit(v);
  }

  /** A unit vector whose cosine similarity with {@code base} (a unit vector) is {@code similarity}. */
  static float[] near(float[] base, double similarity, long seed) {
    float[] r = random(seed);
    double along = dot(r, base);
    float[] orthogonal = new float[base.length];
    for (int i = 0; i < base.length; i++) {
      orthogonal[i] = (float) (r[i] - along * base[i]);
    }
    orthogonal = unit(orthogonal);
    double across = Math.sqrt(1 - similarity * similarity);
    float[] v = new float[base.length];
    for (int i = 0; i < base.length; i++) {
      v[i] = (float) (similarity * base[i] + across * orthogonal[i]);
    }
    return unit(v);
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  static float[] unit(float[] v) {
    double n = Math.sqrt(dot(v, v));
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / n);
    }
    return out;
  }

  static SemanticEntry entry(String partition, String id, String question, float[] vector, long expiresAtMillis) {
    return entry(partition, id, "tenant-a", "gpt-4o", question, vector, expiresAtMillis);
  }

  static SemanticEntry entry(
      String partition, String id, String tenant, String model, String question, float[] vector, long expiresAtMillis) {
    byte[] completion = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
    CachedAnswer answer = new CachedAnswer(id, tenant, model, completion, TokenUsage.of(10, 20), 0, expiresAtMillis);
    return new SemanticEntry(partition, question, vector, answer);
  }
}
