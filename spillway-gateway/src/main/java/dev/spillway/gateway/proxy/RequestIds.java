package dev.spillway.gateway.proxy;

import java.util.concurrent.ThreadLocalRandom;

/** Generates request ids: 32 lower-case hex digits, random enough to be unique across replicas. */
public final class RequestIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private RequestIds() {}

  public static String next() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] out = new char[32];
    fill(out, 0, r.nextLong());
    fill(out, 16, r.nextLong());
    return new String(out);
  }

  private static void fill(char[] out, int at, long bits) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (bits & 0xF)];
      bits >>>= 4;
    }
  }
}
