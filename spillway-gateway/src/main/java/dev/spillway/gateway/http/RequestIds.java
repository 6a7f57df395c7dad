package dev.spillway.gateway.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Generates request ids: 32 lower-case hex digits, time-ordered and random enough to be unique across replicas. The
 * first 12 digits are the wall-clock millisecond (48 bits, as in UUIDv7), the other 20 are random (80 bits). Ids from
 * one millisecond sort in no particular order; across milliseconds they sort by time.
 *
 * <p>Why time-ordered: the ledger's primary key is the request id. Random keys land all over its B-tree, so every
 * insert touches a different page, and once the table outgrows the page cache an insert costs several times more
 * (SQLite here: 4 µs per row with ordered ids, 24 µs and rising with random ones, at 800,000 rows). Ordered keys
 * append at the right edge.
 */
public final class RequestIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final int TIME_DIGITS = 12;

  private RequestIds() {}

  /** An id for the millisecond {@code clock} reads (the gateway's clock; tests pass a fixed one). */
  public static String next(LongSupplier clock) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    char[] out = new char[32];
    fill(out, 0, TIME_DIGITS, clock.getAsLong());
    fill(out, TIME_DIGITS, 4, r.nextLong());
    fill(out, TIME_DIGITS + 4, 16, r.nextLong());
    return new String(out);
  }

  /** Writes the low {@code digits} hex digits of {@code bits} into {@code out} from {@code at}, most significant first. */
  private static void fill(char[] out, int at, int digits, long bits) {
    for (int i = digits - 1; i >= 0; i--) {
      out[at + i] = HEX[(int) (bits & 0xF)];
      bits >>>= 4;
    }
  }
}
