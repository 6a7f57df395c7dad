package dev.spillway.gateway.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.Random;

/**
 * Where {@link ClientRequests} gets its decisions: from the coverage-guided fuzzer, or from a seeded random source for
 * a run that is the same every time. One grammar, two drivers.
 */
interface Choices {
  /** A number from {@code min} to {@code max}, both included. */
  int between(int min, int max);

  boolean flip();

  /** Any text of at most {@code maxChars} characters: control characters, non-ASCII and lone surrogates included. */
  String text(int maxChars);

  /** Any bytes, at most {@code maxBytes}. */
  byte[] bytes(int maxBytes);

  default <T> T one(T[] values) {
    return values[between(0, values.length - 1)];
  }

  static Choices of(FuzzedDataProvider data) {
    return new Choices() {
      @Override
      public int between(int min, int max) {
        return data.consumeInt(min, max);
      }

      @Override
      public boolean flip() {
        return data.consumeBoolean();
      }

      @Override
      public String text(int maxChars) {
        return data.consumeString(maxChars);
      }

      @Override
      public byte[] bytes(int maxBytes) {
        return data.consumeBytes(maxBytes);
      }
    };
  }

  static Choices of(Random random) {
    return new Choices() {
      @Override
      public int between(int min, int max) {
        return min + random.nextInt(max - min + 1);
      }

      @Override
      public boolean flip() {
        return random.nextBoolean();
      }

      @Override
      public String text(int maxChars) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(maxChars + 1);
        for (int i = 0; i < n; i++) {
          s.append(
              switch (random.nextInt(6)) {
                case 0 -> (char) random.nextInt(0x20); // control
                case 1 -> (char) (0x80 + random.nextInt(0x780)); // Latin-1 supplement to Arabic
                case 2 -> (char) (0xD800 + random.nextInt(0x800)); // a lone surrogate
                case 3 -> "\"\\{}[]:,%&?=#/+".charAt(random.nextInt(15));
                default -> (char) (0x20 + random.nextInt(0x5F)); // printable ASCII
              });
        }
        return s.toString();
      }

      @Override
      public byte[] bytes(int maxBytes) {
        byte[] b = new byte[random.nextInt(maxBytes + 1)];
        random.nextBytes(b);
        return b;
      }
    };
  }
}
