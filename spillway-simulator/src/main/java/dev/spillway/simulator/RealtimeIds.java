package dev.spillway.simulator;

import java.security.SecureRandom;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids in OpenAI's Realtime style: a prefix ({@code sess_}, {@code event_}, {@code item_}, {@code
 * resp_}, {@code conv_}) and 21 base-62 characters. Drawn from a per-instance random salt and a
 * counter, so they never depend on the content (two identical turns get different ids) and two
 * simulators do not share them. Thread-safe.
 */
final class RealtimeIds {
  private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final int LENGTH = 21;

  private final long salt = new SecureRandom().nextLong();
  private final AtomicLong sequence = new AtomicLong();

  /** {@code prefix} followed by 21 base-62 characters. */
  String next(String prefix) {
    SplittableRandom random = new SplittableRandom(RequestSeed.of(salt, sequence.incrementAndGet()));
    StringBuilder id = new StringBuilder(prefix.length() + LENGTH).append(prefix);
    for (int i = 0; i < LENGTH; i++) {
      id.append(BASE62.charAt(random.nextInt(BASE62.length())));
    }
    return id.toString();
  }
}
