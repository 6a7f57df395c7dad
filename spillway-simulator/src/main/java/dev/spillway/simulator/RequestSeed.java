package dev.spillway.simulator;

import java.nio.charset.StandardCharsets;

/**
 * Derives 64-bit seeds from the simulator seed and request content, so that a given request always
 * gets the same pseudo-random choices however many others run concurrently. Pure functions.
 */
final class RequestSeed {
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;
  static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private RequestSeed() {}

  /** A seed for {@code content} under {@code seed}. */
  static long of(long seed, byte[] content) {
    long h = FNV_OFFSET;
    for (byte b : content) {
      h = (h ^ (b & 0xff)) * FNV_PRIME;
    }
    return mix(h ^ mix(seed));
  }

  /** A seed for {@code text} (UTF-8) under {@code seed}. */
  static long of(long seed, String text) {
    return of(seed, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A seed for the {@code index}-th item of a sequence under {@code seed}. */
  static long of(long seed, long index) {
    return mix(mix(seed) + index * GOLDEN_GAMMA);
  }

  /** The SplitMix64 finalizer: a bijective, well-spread 64-bit mix. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
