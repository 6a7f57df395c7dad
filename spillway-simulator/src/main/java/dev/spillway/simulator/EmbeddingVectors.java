package dev.spillway.simulator;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Deterministic unit-length embedding vectors.
 *
 * <p>Each input is reduced to features — its lower-cased words (or token ids) with weight 1 and
 * consecutive word pairs with weight ½ — and every feature contributes a pseudo-random direction
 * derived from {@code hash(seed, feature)}. The sum is normalized. The same input therefore always
 * yields the same vector, and inputs sharing most words (e.g. two phrasings of one question) get a
 * high cosine similarity, which lets a semantic cache be demonstrated against the simulator.
 * Component {@code i} does not depend on the vector length, so asking for fewer {@code dimensions}
 * returns the renormalized prefix, as the real {@code text-embedding-3} models do. Pure; thread-safe.
 */
final class EmbeddingVectors {
  private EmbeddingVectors() {}

  /** The vector for {@code input} under {@code seed}, with {@code dimensions} components. */
  static float[] of(long seed, EmbeddingRequest.EmbeddingInput input, int dimensions) {
    List<String> words = words(input);
    double[] sum = new double[dimensions];
    for (int w = 0; w < words.size(); w++) {
      add(sum, RequestSeed.of(seed, words.get(w)), 1.0);
      if (w > 0) {
        add(sum, RequestSeed.of(seed, words.get(w - 1) + "\u0000" + words.get(w)), 0.5);
      }
    }
    double norm = 0;
    for (double v : sum) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[dimensions];
    for (int i = 0; i < dimensions; i++) {
      out[i] = (float) (sum[i] / norm);
    }
    return out;
  }

  /** The little-endian float32 bytes of {@code vector}, base64-encoded, as {@code encoding_format: base64} returns. */
  static String base64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : vector) {
      bytes.putFloat(v);
    }
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private static void add(double[] sum, long featureSeed, double weight) {
    for (int i = 0; i < sum.length; i++) {
      long bits = RequestSeed.mix(featureSeed + (i + 1) * RequestSeed.GOLDEN_GAMMA);
      double uniform = (bits >>> 11) * 0x1.0p-53;
      sum[i] += weight * (uniform * 2 - 1);
    }
  }

  private static List<String> words(EmbeddingRequest.EmbeddingInput input) {
    List<String> words = new ArrayList<>();
    if (input.tokens() != null) {
      for (int id : input.tokens()) {
        words.add("#" + id);
      }
      return words;
    }
    for (String w : input.text().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty()) {
        words.add(w);
      }
    }
    if (words.isEmpty()) {
      words.add(input.text());
    }
    return words;
  }
}
